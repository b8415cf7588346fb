import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, createStaff } from "../helpers/staff";

describe("staff accounts", () => {
	it("lets the bootstrap admin create staff, shows the token once, stores it hashed", async () => {
		const res = await api("POST", "/staff", { json: { name: "Rina Marlina", role: "officer" } });
		expect(res.status).toBe(201);
		const created = await res.json<{ id: string; token: string; role: string }>();
		expect(created.token).toMatch(/^dks_[A-Za-z0-9_-]{40,}$/);
		const stored = await env.DB.prepare("SELECT token_hash FROM staff WHERE id = ?")
			.bind(created.id)
			.first<{ token_hash: string }>();
		expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(stored?.token_hash).not.toContain(created.token);
		const listed = await (await api("GET", "/staff")).json<{ staff: Record<string, unknown>[] }>();
		const entry = listed.staff.find((s) => s.id === created.id);
		expect(entry).toMatchObject({ name: "Rina Marlina", role: "officer", revokedAt: null });
		expect(JSON.stringify(listed)).not.toContain(created.token);
		// The new token works.
		expect((await api("GET", "/staff", { token: created.token })).status).toBe(403);
	});

	it("revokes a token: it stops working at once", async () => {
		const admin = await createStaff("admin");
		expect((await api("GET", "/staff", { token: admin.token })).status).toBe(200);
		const revoked = await api("DELETE", `/staff/${admin.id}`);
		expect(revoked.status).toBe(200);
		expect((await revoked.json<{ revokedAt: number | null }>()).revokedAt).not.toBeNull();
		expect((await api("GET", "/staff", { token: admin.token })).status).toBe(401);
		expect((await api("DELETE", "/staff/no-such-id")).status).toBe(404);
	});

	it("requires a kelurahan for the kelurahan role only, and a known one", async () => {
		for (const json of [
			{ name: "Op", role: "kelurahan" },
			{ name: "Op", role: "officer", kelurahan: "16.74.01.1001" },
			{ name: "Op", role: "kelurahan", kelurahan: "16.74.99.9999" },
		]) {
			const res = await api("POST", "/staff", { json });
			expect(res.status).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			expect((await res.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe(
				"body.kelurahan",
			);
		}
		expect(
			(
				await api("POST", "/staff", {
					json: { name: "Op", role: "kelurahan", kelurahan: "16.74.01.1001" },
				})
			).status,
		).toBe(201);
	});

	it("names the failing fields and refuses unknown ones", async () => {
		const res = await api("POST", "/staff", { json: { name: "X", role: "boss", isAdmin: true } });
		expect(res.status).toBe(400);
		const problem = await res.json<{ errors: { field: string; message: string }[] }>();
		const fields = problem.errors.map((e) => e.field);
		expect(fields).toContain("body.name");
		expect(fields).toContain("body.role");
		expect(problem.errors.some((e) => e.message.includes("isAdmin"))).toBe(true);
	});

	it("answers 401 without a token or with a bad one, 403 for other roles", async () => {
		expect((await api("GET", "/staff", { token: null })).status).toBe(401);
		expect((await api("GET", "/staff", { token: "nope" })).status).toBe(401);
		const officer = await createStaff("officer");
		const res = await api("POST", "/staff", {
			token: officer.token,
			json: { name: "Me", role: "admin" },
		});
		expect(res.status).toBe(403);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
	});

	it("audits staff changes", async () => {
		const created = await createStaff("officer");
		await api("DELETE", `/staff/${created.id}`);
		const { results } = await env.DB.prepare(
			"SELECT action, actor FROM audit_log WHERE detail LIKE ? ORDER BY at",
		)
			.bind(`%${created.id}%`)
			.all();
		expect(results).toEqual([
			{ action: "staff.create", actor: "bootstrap-admin" },
			{ action: "staff.revoke", actor: "bootstrap-admin" },
		]);
	});
});

describe("OpenAPI", () => {
	it("serves an OpenAPI 3.1 document and the docs without a token", async () => {
		const res = await api("GET", "/openapi.json", { token: null });
		expect(res.status).toBe(200);
		const doc = await res.json<{ openapi: string; paths: Record<string, unknown> }>();
		expect(doc.openapi).toBe("3.1.0");
		expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/staff", "/staff/{id}"]));
		const docs = await api("GET", "/docs", { token: null });
		expect(docs.status).toBe(200);
		expect(await docs.text()).toContain("swagger");
	});
});
