import { createRouter } from "../router";
import * as handlers from "./reports.handlers";
import * as routes from "./reports.routes";

/** Reports for admins and officers: the morning digest. */
export const reportsRoutes = createRouter().openapi(routes.digest, handlers.digest);
