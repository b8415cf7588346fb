import { createRouter } from "../router";
import * as handlers from "./requests.handlers";
import * as routes from "./requests.routes";

/** Reading requests: the queue and its search, one request, its files and its WhatsApp messages. All roles. */
export const requestsRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.search, handlers.search)
	.openapi(routes.detail, handlers.detail)
	.openapi(routes.file, handlers.file)
	.openapi(routes.transcript, handlers.transcript);
