import { createRouter } from "../router";
import * as handlers from "./services.handlers";
import * as routes from "./services.routes";

/** Service standards: every role reads them, an admin changes them. */
export const servicesRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.update, handlers.update);
