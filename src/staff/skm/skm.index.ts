import { createRouter } from "../router";
import * as handlers from "./skm.handlers";
import * as routes from "./skm.routes";

/** The SKM report for admins and officers. */
export const skmRoutes = createRouter().openapi(routes.skmReport, handlers.skmReport);
