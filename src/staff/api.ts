import { swaggerUI } from "@hono/swagger-ui";
import { staffRoutes } from "./accounts/staff.index";
import { auditRoutes } from "./audit/audit.index";
import { auditDenied, authenticate, Denied } from "./auth";
import { caseWorkRoutes } from "./case-work/case-work.index";
import { requestsRoutes } from "./requests/requests.index";
import { createRouter } from "./router";

/** Paths of the staff API that need no token: the API's own description. */
const PUBLIC_PATHS = new Set(["/api/v1/openapi.json", "/api/v1/docs"]);

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
	if (PUBLIC_PATHS.has(c.req.path)) return next();
	return authenticate(c, next);
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

staffApi.doc31("/openapi.json", {
	openapi: "3.1.0",
	info: {
		title: "Disdukcapil WhatsApp: staff API",
		version: "1.0.0",
		description:
			"Work the queue of residents' requests: search, open, view files, move through statuses, ask for corrections, message residents, send finished documents. Every action is audited. Errors are `application/problem+json`.",
	},
	servers: [{ url: "/api/v1" }],
});

staffApi.get("/docs", swaggerUI({ url: "/api/v1/openapi.json", title: "Disdukcapil staff API" }));
