import { createRouter } from "../router";
import * as handlers from "./calendar.handlers";
import * as routes from "./calendar.routes";

/** The working calendar: every role reads it, an admin changes its listed days and years. */
export const calendarRoutes = createRouter()
	.openapi(routes.read, handlers.read)
	.openapi(routes.change, handlers.change)
	.openapi(routes.declareYear, handlers.declareYear);
