import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import app from "../../src/index";
import { submitRequest } from "../../src/requests/submit";
import { ADMIN, api, createStaff } from "../helpers/staff";

const DAY = 24 * 60 * 60 * 1000;

/** Calls the staff API against another set of settings (a fresh env object: fresh settings). */
async function apiWith(
	settings: Partial<Record<string, string>>,
	path: string,
	token: string | null,
) {
	const broken = { ...env, ...settings } as Env;
	const headers: Record<string, string> =
		token === null ? {} : { authorization: `Bearer ${token}` };
	return app.fetch(
		new Request(`https://worker.test/api/v1${path}`, { headers }),
		broken,
		createExecutionContext(),
	);
}

afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

describe("a bad ADMIN_TOKEN disables only the bootstrap login", () => {
	it("keeps staff tokens working, names no setting to anyone, and logs why", async () => {
		const admin = await createStaff("admin");
		const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const short = { ADMIN_TOKEN: "short" };
		expect((await apiWith(short, "/staff", admin.token)).status).toBe(200);
		for (const token of [null, "short", "dks_nope", ADMIN]) {
			const res = await apiWith(short, "/staff", token);
			expect(res.status).toBe(401);
			const body = await res.text();
			expect(body).not.toContain("ADMIN_TOKEN");
			expect(body).not.toContain("16 characters");
		}
		const logged = errors.mock.calls.map((call) => String(call[0])).join("\n");
		expect(logged).toContain("ADMIN_TOKEN");
	});

	it("is optional once a staff admin exists: missing or empty is fine", async () => {
		const admin = await createStaff("admin");
		for (const settings of [{ ADMIN_TOKEN: "" }, { ADMIN_TOKEN: undefined }]) {
			expect((await apiWith(settings, "/staff", admin.token)).status).toBe(200);
			expect((await apiWith(settings, "/staff", "")).status).toBe(401);
		}
	});

	it("answers a broken setting's 500 without its name or rule, and logs both", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const broken = { ...env, WHATSAPP_APP_SECRET: "" } as Env;
		const res = await app.fetch(
			new Request("https://worker.test/webhooks/whatsapp", { method: "POST", body: "{}" }),
			broken,
			createExecutionContext(),
		);
		expect(res.status).toBe(500);
		const body = await res.text();
		expect(body).not.toContain("WHATSAPP_APP_SECRET");
		expect(body).not.toContain("is empty");
		expect(errors.mock.calls.map((call) => String(call[0])).join("\n")).toContain(
			"WHATSAPP_APP_SECRET",
		);
	});

	it("audits the bootstrap admin's use as bootstrap-admin", async () => {
		const before = Date.now();
		const created = await createStaff("officer");
		const { results } = await env.DB.prepare(
			"SELECT actor, action, detail FROM audit_log WHERE at >= ? AND actor = 'bootstrap-admin' ORDER BY at, action",
		)
			.bind(before)
			.all<{ actor: string; action: string; detail: string }>();
		expect(results.map((r) => r.action)).toContain("staff.create");
		const row = await env.DB.prepare("SELECT created_by FROM staff WHERE id = ?")
			.bind(created.id)
			.first();
		expect(row).toEqual({ created_by: "bootstrap-admin" });
	});
});

describe("token expiry and rotation", () => {
	it("expires tokens after 90 days by default, or expiresInDays (1..365)", async () => {
		const now = Date.now();
		const res = await api("POST", "/staff", { json: { name: "Dewi", role: "officer" } });
		const made = await res.json<{ id: string; token: string; expiresAt: number }>();
		expect(made.expiresAt).toBeGreaterThanOrEqual(now + 90 * DAY);
		expect(made.expiresAt).toBeLessThan(now + 90 * DAY + 60_000);
		const short = await api("POST", "/staff", {
			json: { name: "Sari", role: "admin", expiresInDays: 1 },
		});
		const brief = await short.json<{ id: string; token: string; expiresAt: number }>();
		expect(brief.expiresAt).toBeLessThan(now + DAY + 60_000);
		const listed = await (await api("GET", "/staff")).json<{
			staff: { id: string; expiresAt: number }[];
		}>();
		expect(listed.staff.find((s) => s.id === brief.id)?.expiresAt).toBe(brief.expiresAt);
		for (const expiresInDays of [0, 366, 1.5]) {
			const bad = await api("POST", "/staff", {
				json: { name: "X Y", role: "officer", expiresInDays },
			});
			expect(bad.status).toBe(400);
		}
		expect((await api("GET", "/staff", { token: brief.token })).status).toBe(200);
		vi.useFakeTimers({ now: now + DAY + 60_000, toFake: ["Date"] });
		expect((await api("GET", "/staff", { token: brief.token })).status).toBe(401);
		expect((await api("GET", "/requests", { token: made.token })).status).toBe(200);
	});

	it("rotates a token: the new one shown once, the old one revoked, audited", async () => {
		const officer = await createStaff("officer");
		const res = await api("POST", `/staff/${officer.id}/token`, { json: { expiresInDays: 30 } });
		expect(res.status).toBe(200);
		const rotated = await res.json<{ id: string; token: string; expiresAt: number }>();
		expect(rotated.id).toBe(officer.id);
		expect(rotated.token).toMatch(/^dks_/);
		expect(rotated.token).not.toBe(officer.token);
		expect(rotated.expiresAt).toBeLessThan(Date.now() + 30 * DAY + 60_000);
		expect((await api("GET", "/requests", { token: officer.token })).status).toBe(401);
		expect((await api("GET", "/requests", { token: rotated.token })).status).toBe(200);
		const listed = await (await api("GET", "/staff")).text();
		expect(listed).not.toContain(rotated.token);
		// Without a body the new token gets the default 90 days.
		const again = await api("POST", `/staff/${officer.id}/token`);
		expect(again.status).toBe(200);
		const latest = await again.json<{ token: string; expiresAt: number }>();
		expect(latest.expiresAt).toBeGreaterThan(Date.now() + 89 * DAY);
		expect((await api("GET", "/requests", { token: rotated.token })).status).toBe(401);
		const { results } = await env.DB.prepare(
			"SELECT actor, action FROM audit_log WHERE action = 'staff.rotate' AND detail LIKE ?",
		)
			.bind(`%${officer.id}%`)
			.all();
		expect(results).toEqual([
			{ actor: "bootstrap-admin", action: "staff.rotate" },
			{ actor: "bootstrap-admin", action: "staff.rotate" },
		]);
		// Only admins rotate; a revoked member gets no new token; an unknown one is 404.
		expect((await api("POST", `/staff/${officer.id}/token`, { token: latest.token })).status).toBe(
			403,
		);
		await api("DELETE", `/staff/${officer.id}`);
		expect((await api("POST", `/staff/${officer.id}/token`)).status).toBe(409);
		expect((await api("POST", "/staff/no-such-staff/token")).status).toBe(404);
	});
});

describe("audit of denials and of nothing", () => {
	it("audits a 403 and the scoped 404 of an existing request as denied, with route and caller", async () => {
		const officer = await createStaff("officer");
		const operator = await createStaff("kelurahan", "16.74.01.1001");
		const requestId = crypto.randomUUID();
		await submitRequest(env.DB, "PBM", {
			id: requestId,
			channel: "kelurahan",
			submittedBy: "op",
			residentName: "Warga Lain",
			nik: "1674015203900001",
			nikWarnings: [],
			serviceCode: "legalisir",
			variantCode: "umum",
			areaCode: "16.74.02.1003",
			language: "id",
			attachments: [],
			submittedAt: Date.now(),
		});
		expect((await api("GET", "/staff", { token: officer.token })).status).toBe(403);
		expect((await api("GET", `/requests/${requestId}`, { token: operator.token })).status).toBe(
			404,
		);
		// A request that does not exist is an ordinary 404: nothing to audit.
		expect((await api("GET", "/requests/no-such-request", { token: operator.token })).status).toBe(
			404,
		);
		const denied = async (actor: string) =>
			(
				await env.DB.prepare(
					"SELECT action, request_id, detail FROM audit_log WHERE actor = ? AND action = 'denied'",
				)
					.bind(actor)
					.all<{ action: string; request_id: string | null; detail: string }>()
			).results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
		expect(await denied(`staff:${officer.id}`)).toEqual([
			{
				action: "denied",
				request_id: null,
				detail: { method: "GET", route: "/api/v1/staff", status: 403 },
			},
		]);
		expect(await denied(`staff:${operator.id}`)).toEqual([
			{
				action: "denied",
				request_id: requestId,
				detail: { method: "GET", route: "/api/v1/requests/:id", status: 404 },
			},
		]);
	});

	it("writes no audit row for revoking an unknown staff id", async () => {
		const before = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'staff.revoke'",
		).first<{ n: number }>();
		expect((await api("DELETE", "/staff/no-such-id")).status).toBe(404);
		const after = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'staff.revoke'",
		).first<{ n: number }>();
		expect(after?.n).toBe(before?.n);
		const { results } = await env.DB.prepare(
			"SELECT 1 FROM audit_log WHERE detail LIKE '%no-such-id%' ",
		).all();
		expect(results).toEqual([]);
	});
});

describe("creating a staff member", () => {
	it("creates them once however often the creation is repeated with its Idempotency-Key", async () => {
		const create = (key: string, name: string) =>
			api("POST", "/staff", {
				json: { name, role: "kelurahan", kelurahan: "16.74.01.1001" },
				headers: { "idempotency-key": key },
			});
		const first = await create("creation-key-1", "Ani Operator");
		expect(first.status).toBe(201);
		const member = await first.json<{ id: string; token: string }>();
		expect(member.token).toMatch(/^dks_/);
		// A refreshed page or a retry after a timeout: nobody more, no second token.
		const again = await create("creation-key-1", "Ani Operator");
		expect(again.status).toBe(409);
		expect(again.headers.get("content-type")).toBe("application/problem+json");
		const problem = await again.json<{ type: string; id: string; token?: string }>();
		expect(problem.type).toMatch(/already-created$/);
		expect(problem.id).toBe(member.id);
		expect(problem.token).toBeUndefined();
		const rows = await env.DB.prepare(
			`SELECT (SELECT count(*) FROM staff WHERE name = 'Ani Operator') AS staff,
			        (SELECT count(*) FROM staff_areas WHERE staff_id = ?) AS areas,
			        (SELECT count(*) FROM audit_log WHERE action = 'staff.create' AND detail LIKE ?) AS audits`,
		)
			.bind(member.id, `%${member.id}%`)
			.first<{ staff: number; areas: number; audits: number }>();
		expect(rows).toEqual({ staff: 1, areas: 1, audits: 1 });
		// The first token works; another key creates another member.
		expect((await api("GET", "/requests", { token: member.token })).status).toBe(200);
		expect((await create("creation-key-2", "Ani Operator")).status).toBe(201);
		expect(
			(
				await api("POST", "/staff", {
					json: { name: "Tanpa Kunci", role: "officer" },
					headers: { "idempotency-key": "bad key" },
				})
			).status,
		).toBe(400);
	});
});
