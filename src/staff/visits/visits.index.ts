import { createRouter } from "../router";
import * as handlers from "./visits.handlers";
import * as routes from "./visits.routes";

/** Home visits (jemput bola): admins, officers and the kelurahan operators of the area. */
export const visitsRoutes = createRouter().openapi(routes.setVisit, handlers.setVisit);
