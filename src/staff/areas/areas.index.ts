import { createRouter } from "../router";
import * as handlers from "./areas.handlers";
import * as routes from "./areas.routes";

/** Areas and their office contacts: every role reads, an admin changes. */
export const areasRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.update, handlers.update);
