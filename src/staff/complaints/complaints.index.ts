import { createRouter } from "../router";
import * as handlers from "./complaints.handlers";
import * as routes from "./complaints.routes";

/** Complaints: every role reads those in reach; admins and officers answer and close them. */
export const complaintsRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.settings, handlers.settings)
	.openapi(routes.updateSettings, handlers.updateSettings)
	.openapi(routes.detail, handlers.detail)
	.openapi(routes.photo, handlers.photo)
	.openapi(routes.reply, handlers.reply)
	.openapi(routes.close, handlers.close);
