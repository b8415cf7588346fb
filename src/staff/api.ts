import { swaggerUI } from "@hono/swagger-ui";
import { staffRoutes } from "./accounts/staff.index";
import { auditRoutes } from "./audit/audit.index";
import { authenticate } from "./auth";
import { calendarRoutes } from "./calendar/calendar.index";
import { caseWorkRoutes } from "./case-work/case-work.index";
import { requestsRoutes } from "./requests/requests.index";
import { createRouter } from "./router";
import { servicesRoutes } from "./services/services.index";

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
	description: "A staff token (from POST /api/v1/staff) or the bootstrap ADMIN_TOKEN.",
});

staffApi.use("*", async (c, next) => {
	if (PUBLIC_PATHS.has(c.req.path)) return next();
	return authenticate(c, next);
});

// Mounted in this order so the OpenAPI document lists paths and components as it always has.
staffApi.route("/", staffRoutes);
staffApi.route("/", requestsRoutes);
staffApi.route("/", auditRoutes);
staffApi.route("/", caseWorkRoutes);
staffApi.route("/", servicesRoutes);
staffApi.route("/", calendarRoutes);

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
