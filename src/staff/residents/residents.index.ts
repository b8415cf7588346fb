import { createRouter } from "../router";
import * as handlers from "./residents.handlers";
import * as routes from "./residents.routes";

/** Residents' data rights: erasure (admin only). */
export const residentsRoutes = createRouter().openapi(routes.erase, handlers.erase);
