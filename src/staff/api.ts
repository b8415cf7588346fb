import { capBody } from "../http/body";
import { accountRoutes } from "./account/account.index";
import { staffRoutes } from "./accounts/staff.index";
import { areasRoutes } from "./areas/areas.index";
import { auditRoutes } from "./audit/audit.index";
import { auditDenied, authenticate, Denied } from "./auth";
import { calendarRoutes } from "./calendar/calendar.index";
import { caseWorkRoutes } from "./case-work/case-work.index";
import { complaintsRoutes } from "./complaints/complaints.index";
import { deadLetterRoutes } from "./dead-letters/dead-letters.index";
import { DOCS_PATH, docsRoutes } from "./docs/docs";
import { filingRoutes } from "./filing/filing.index";
import { handoffsRoutes } from "./handoffs/handoffs.index";
import { reportSummaryRoutes } from "./report-summary/report-summary.index";
import { reportsRoutes } from "./reports/reports.index";
import { requestsRoutes } from "./requests/requests.index";
import { residentsRoutes } from "./residents/residents.index";
import { createRouter } from "./router";
import { servicesRoutes } from "./services/services.index";
import { skmRoutes } from "./skm/skm.index";
import { visitsRoutes } from "./visits/visits.index";

/** Paths of the staff API that need no token: the API's own description and its docs page. */
function isPublic(path: string): boolean {
	return (
		path === "/api/v1/openapi.json" ||
		path === `/api/v1${DOCS_PATH}` ||
		path.startsWith(`/api/v1${DOCS_PATH}/`)
	);
}

/**
 * The staff API, mounted at `/api/v1`: every route declared with zod schemas, which validate the
 * input and produce the OpenAPI 3.1 document.
 */
export const staffApi = createRouter();

staffApi.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
	type: "http",
	scheme: "bearer",
	description:
		"A staff token (from POST /api/v1/staff or POST /api/v1/staff/{id}/token; it expires) or the bootstrap ADMIN_TOKEN (remove it once a personal admin exists).",
});

staffApi.use("*", async (c, next) => {
	if (isPublic(c.req.path)) return next();
	return authenticate(c, next);
});

/** Largest JSON body a staff route reads: a note or a message is a few KiB at most. */
export const MAX_STAFF_JSON_BYTES = 64 * 1024;
const capJson = capBody(MAX_STAFF_JSON_BYTES);
/**
 * Uploads stream up to their own caps and are never parsed: the result PDF (20 MB,
 * result-upload.ts) and a filed document (the catalog's limit, upload.ts).
 */
const FILE_UPLOAD = /^\/api\/v1\/requests\/[^/]+\/(result|documents\/[^/]+)$/;

// Every body a staff route takes is JSON (but the PDF): capped before anything reads or parses it,
// so routes added later are covered without remembering to.
staffApi.use("*", async (c, next) => {
	if (c.req.method === "GET" || c.req.method === "HEAD") return next();
	if (c.req.method === "PUT" && FILE_UPLOAD.test(c.req.path)) return next();
	return capJson(c, next);
});

// Refusals to a known caller (a 403, the scoped 404) are audited here, in one place. Hono hands
// a thrown error to the app's error handler and keeps it in `c.error`.
staffApi.use("*", async (c, next) => {
	await next();
	if (c.error instanceof Denied) await auditDenied(c, c.error);
});

// Mounted in this order so the OpenAPI document lists paths and components as it always has.
staffApi.route("/", staffRoutes);
staffApi.route("/", requestsRoutes);
staffApi.route("/", auditRoutes);
staffApi.route("/", caseWorkRoutes);
staffApi.route("/", deadLetterRoutes);
staffApi.route("/", accountRoutes);
staffApi.route("/", residentsRoutes);
staffApi.route("/", servicesRoutes);
staffApi.route("/", calendarRoutes);
staffApi.route("/", reportsRoutes);
staffApi.route("/", reportSummaryRoutes);
staffApi.route("/", complaintsRoutes);
staffApi.route("/", handoffsRoutes);
staffApi.route("/", skmRoutes);
staffApi.route("/", filingRoutes);
staffApi.route("/", areasRoutes);
staffApi.route("/", visitsRoutes);

/** The document's header; `npm run check:openapi` builds the same document from it to lint it. */
export const OPENAPI_CONFIG = {
	openapi: "3.1.0",
	info: {
		title: "Disdukcapil WhatsApp: staff API",
		version: "1.0.0",
		// The package is private (no open-source license): the document says so rather than nothing
		// (`identifier` is OpenAPI 3.1, which the config type of doc31 does not know yet).
		license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
		description:
			"Work the queue of residents' requests: search, open, view files, move through statuses, ask for corrections, message residents, send finished documents. Every action is audited. Errors are `application/problem+json`.",
	},
	servers: [{ url: "/api/v1" }],
};

staffApi.doc31("/openapi.json", OPENAPI_CONFIG);

staffApi.route(DOCS_PATH, docsRoutes);
