import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { ADMIN, api, createStaff } from "../helpers/staff";

/**
 * Every write route of the staff API against every kind of caller. Reads are covered in
 * requests.test.ts; here the rule is: no or bad token 401; a role that may not 403; a
 * kelurahan operator of another area never learns the request exists (404).
 */
const AREA = "16.74.03.1001";
const OTHER_AREA = "16.74.02.1003";
let requestId = "";
const tokens: Record<string, string | null> = {};

beforeAll(async () => {
	requestId = crypto.randomUUID();
	await submitRequest(env.DB, "PBM", {
		id: requestId,
		channel: "kelurahan",
		submittedBy: "op",
		residentName: "Warga",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	tokens.none = null;
	tokens.bad = "dks_not_a_real_token";
	tokens.admin = ADMIN;
	tokens.officer = (await createStaff("officer")).token;
	tokens.own = (await createStaff("kelurahan", AREA)).token;
	tokens.other = (await createStaff("kelurahan", OTHER_AREA)).token;
});

type Caller = "none" | "bad" | "admin" | "officer" | "own" | "other";
type Route = {
	method: string;
	path: () => string;
	json?: unknown;
	expect: Record<Caller, number[]>;
};

const writes = (ok: number[]): Record<Caller, number[]> => ({
	none: [401],
	bad: [401],
	admin: ok,
	officer: ok,
	own: [403],
	other: [403],
});

const routes: Route[] = [
	{
		method: "GET",
		path: () => "/staff",
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "POST",
		path: () => "/staff",
		json: { name: "Baru", role: "officer" },
		expect: { none: [401], bad: [401], admin: [201], officer: [403], own: [403], other: [403] },
	},
	{
		method: "DELETE",
		path: () => "/staff/nobody",
		expect: { none: [401], bad: [401], admin: [404], officer: [403], own: [403], other: [403] },
	},
	{
		method: "POST",
		path: () => `/requests/${requestId}/notes`,
		json: { text: "catatan" },
		expect: { none: [401], bad: [401], admin: [201], officer: [201], own: [201], other: [404] },
	},
	// A kelurahan-channel request has no WhatsApp resident: messages and pick-up answer 409.
	{
		method: "POST",
		path: () => `/requests/${requestId}/messages`,
		json: { text: "Halo" },
		expect: writes([409]),
	},
	{
		method: "POST",
		path: () => `/requests/${requestId}/pickup`,
		json: { place: "Kantor", from: "Senin" },
		expect: writes([409]),
	},
	// Not a home visit (legalisir): 409 for every role that may see it.
	{
		method: "POST",
		path: () => `/requests/${requestId}/visit`,
		json: { date: "2031-01-02", from: "09:00", to: "10:00" },
		expect: { none: [401], bad: [401], admin: [409], officer: [409], own: [409], other: [404] },
	},
	{
		method: "POST",
		path: () => `/requests/${requestId}/transitions`,
		json: { to: "cancelled" },
		expect: writes([409]),
	},
	{
		method: "GET",
		path: () => "/audit",
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/dead-letters",
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "POST",
		path: () => "/dead-letters/no-such-letter/retry",
		expect: { none: [401], bad: [401], admin: [404], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/services",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [200], other: [200] },
	},
	{
		method: "PATCH",
		path: () => "/services/legalisir",
		json: { active: true },
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/calendar",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [200], other: [200] },
	},
	{
		method: "PUT",
		path: () => "/calendar",
		json: { remove: ["2031-01-02"] },
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/reports/digest",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/reports/summary?from=2026-11-01&to=2026-11-30",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [200], other: [200] },
	},
	{
		method: "GET",
		path: () => "/reports/requests.csv?from=2026-11-01&to=2026-11-30",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/reports/requests.csv?from=2026-11-01&to=2026-11-30&include=personal",
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/complaints",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [200], other: [200] },
	},
	{
		method: "POST",
		path: () => "/complaints/no-such-complaint/reply",
		json: { text: "Halo" },
		expect: writes([404]),
	},
	{
		method: "POST",
		path: () => "/complaints/no-such-complaint/close",
		expect: writes([404]),
	},
	{
		method: "PUT",
		path: () => "/complaint-settings",
		json: { timeLimitDays: 5 },
		expect: { none: [401], bad: [401], admin: [200], officer: [403], own: [403], other: [403] },
	},
	{
		method: "GET",
		path: () => "/handoffs",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [403], other: [403] },
	},
	{
		method: "POST",
		path: () => "/handoffs/no-such-handoff/reply",
		json: { text: "Halo" },
		expect: writes([404]),
	},
	{
		method: "POST",
		path: () => "/handoffs/no-such-handoff/close",
		expect: writes([404]),
	},
	{
		method: "GET",
		path: () => "/handoffs/no-such-handoff/files/no-such-file",
		expect: writes([404]),
	},
	{
		method: "GET",
		path: () => "/handoffs/no-such-handoff/messages",
		expect: writes([404]),
	},
	{
		method: "GET",
		path: () => "/reports/skm",
		expect: { none: [401], bad: [401], admin: [200], officer: [200], own: [403], other: [403] },
	},
];

describe("roles", () => {
	for (const route of routes) {
		it(`${route.method} ${route.path.toString().replace(/^\(\) => /, "")}: each caller gets what it may`, async () => {
			for (const caller of Object.keys(route.expect) as Caller[]) {
				const res = await api(route.method, route.path(), {
					token: tokens[caller] ?? null,
					...(route.json === undefined ? {} : { json: route.json }),
				});
				expect(route.expect[caller], `${caller}: ${res.status}`).toContain(res.status);
				if (res.status >= 400)
					expect(res.headers.get("content-type")).toBe("application/problem+json");
			}
		});
	}

	it("documents every route in the OpenAPI document", async () => {
		const doc = await (await api("GET", "/openapi.json", { token: null })).json<{
			paths: Record<string, Record<string, unknown>>;
		}>();
		const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
			Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
		);
		expect(listed.sort()).toEqual(
			[
				"POST /staff",
				"GET /staff",
				"DELETE /staff/{id}",
				"POST /staff/{id}/token",
				"GET /requests",
				"POST /requests/search",
				"GET /requests/{id}",
				"GET /requests/{id}/attachments/{attachmentId}",
				"GET /requests/{id}/messages",
				"POST /requests/{id}/transitions",
				"POST /requests/{id}/notes",
				"POST /requests/{id}/messages",
				"PUT /requests/{id}/result",
				"POST /requests/{id}/pickup",
				"GET /audit",
				"GET /dead-letters",
				"POST /dead-letters/{id}/retry",
				"GET /account/alerts",
				"POST /residents/erasure",
				"GET /services",
				"PATCH /services/{code}",
				"GET /calendar",
				"PUT /calendar",
				"PUT /calendar/years/{year}",
				"GET /reports/digest",
				"GET /reports/summary",
				"GET /reports/requests.csv",
				"GET /complaints",
				"GET /complaints/{id}",
				"GET /complaints/{id}/photo",
				"POST /complaints/{id}/reply",
				"POST /complaints/{id}/close",
				"GET /complaint-settings",
				"PUT /complaint-settings",
				"GET /handoffs",
				"POST /handoffs/{id}/reply",
				"POST /handoffs/{id}/close",
				"GET /handoffs/{id}/files/{fileId}",
				"GET /handoffs/{id}/messages",
				"GET /reports/skm",
				"POST /requests",
				"GET /requests/{id}/draft",
				"PUT /requests/{id}/documents/{docCode}",
				"DELETE /requests/{id}/documents/{docCode}",
				"POST /requests/{id}/submit",
				"GET /areas",
				"PATCH /areas/{code}",
				"POST /requests/{id}/visit",
			].sort(),
		);
	});
});
