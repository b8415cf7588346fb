import { createRouter } from "../router";
import * as handlers from "./handoffs.handlers";
import * as routes from "./handoffs.routes";

/** Hand-offs: chats waiting for a person, for admins and officers. */
export const handoffsRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.reply, handlers.reply)
	.openapi(routes.close, handlers.close)
	.openapi(routes.file, handlers.file)
	.openapi(routes.messages, handlers.messages);
