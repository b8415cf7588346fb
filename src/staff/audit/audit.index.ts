import { createRouter } from "../router";
import * as handlers from "./audit.handlers";
import * as routes from "./audit.routes";

/** Reading the audit log (admin only). */
export const auditRoutes = createRouter().openapi(routes.list, handlers.list);
