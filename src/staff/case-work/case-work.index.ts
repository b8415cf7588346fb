import { createRouter } from "../router";
import * as handlers from "./case-work.handlers";
import * as routes from "./case-work.routes";

/** Case work: transitions, notes, messages, the finished document and pick-up notices. */
export const caseWorkRoutes = createRouter()
	.openapi(routes.transition, handlers.transition)
	.openapi(routes.addNote, handlers.addNote)
	.openapi(routes.sendMessage, handlers.sendMessage)
	.openapi(routes.putResult, handlers.putResult)
	.openapi(routes.pickup, handlers.pickup);
