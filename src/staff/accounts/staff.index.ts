import { createRouter } from "../router";
import * as handlers from "./staff.handlers";
import * as routes from "./staff.routes";

/** Staff accounts: create, list, revoke, rotate a token. Admin only. */
export const staffRoutes = createRouter()
	.openapi(routes.create, handlers.create)
	.openapi(routes.list, handlers.list)
	.openapi(routes.revoke, handlers.revoke)
	.openapi(routes.rotate, handlers.rotate);
