import { createRouter } from "../router";
import * as handlers from "./dead-letters.handlers";
import * as routes from "./dead-letters.routes";

/** The dead letters: residents' jobs that had all their tries, and retrying them (admin only). */
export const deadLetterRoutes = createRouter()
	.openapi(routes.list, handlers.list)
	.openapi(routes.retry, handlers.retry);
