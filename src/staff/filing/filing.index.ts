import { createRouter } from "../router";
import * as handlers from "./filing.handlers";
import * as routes from "./filing.routes";

/** Filing for a resident: a draft, its files, the submission. Every role, in its areas. */
export const filingRoutes = createRouter()
	.openapi(routes.create, handlers.create)
	.openapi(routes.getDraft, handlers.getDraft)
	.openapi(routes.putDocument, handlers.putDocument)
	.openapi(routes.deleteDocument, handlers.deleteDocument)
	.openapi(routes.submit, handlers.submit);
