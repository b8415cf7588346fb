import { createRouter } from "../router";
import * as handlers from "./report-summary.handlers";
import * as routes from "./report-summary.routes";

/** Reports of a period: the summary (every role, scoped) and the requests as CSV. */
export const reportSummaryRoutes = createRouter()
	.openapi(routes.summary, handlers.summary)
	.openapi(routes.requestsCsv, handlers.requestsCsv);
