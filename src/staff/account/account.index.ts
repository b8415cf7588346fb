import { createRouter } from "../router";
import * as handlers from "./account.handlers";
import * as routes from "./account.routes";

/** The office's WhatsApp account: what Meta reported about it (admin only). */
export const accountRoutes = createRouter().openapi(routes.alerts, handlers.alerts);
