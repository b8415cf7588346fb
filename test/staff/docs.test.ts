import { describe, expect, it } from "vitest";
import { api } from "../helpers/staff";

describe("the staff API docs page", () => {
	it("is served by the Worker itself: no CDN, no inline script, a strict CSP", async () => {
		const page = await api("GET", "/docs", { token: null });
		expect(page.status).toBe(200);
		const csp = page.headers.get("content-security-policy") ?? "";
		expect(csp).toContain("default-src 'self'");
		expect(csp).toContain("script-src 'self'");
		// Nothing but this origin is allowed for anything a page can load or run.
		expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'|data:/);
		const html = await page.text();
		expect(html).not.toMatch(/https?:\/\//);
		const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
		expect(scripts.length).toBeGreaterThan(0);
		for (const [, attributes, body] of scripts) {
			expect(attributes).toMatch(/src="\/api\/v1\/docs\//);
			expect(body?.trim()).toBe("");
		}
		const assets = [...html.matchAll(/(?:src|href)="(\/api\/v1\/docs\/[^"]+)"/g)].map((m) => m[1]);
		expect(assets).toHaveLength(3);
		for (const path of assets) {
			const res = await api("GET", (path ?? "").replace("/api/v1", ""), { token: null });
			expect(res.status, path).toBe(200);
			expect(res.headers.get("content-type"), path).toMatch(/^text\/(css|javascript)/);
			expect(res.headers.get("x-content-type-options")).toBe("nosniff");
			const text = await res.text();
			expect(text.length, path).toBeGreaterThan(100);
			if (path?.endsWith("swagger-ui-bundle.js")) expect(text).toContain("SwaggerUIBundle");
			if (path?.endsWith("swagger-init.js")) expect(text).toContain("/api/v1/openapi.json");
		}
		expect((await api("GET", "/docs/nothing.js", { token: null })).status).toBe(404);
	});

	it("gives every operation a unique camelCase operationId", async () => {
		const doc = await (await api("GET", "/openapi.json", { token: null })).json<{
			paths: Record<string, Record<string, { operationId?: string }>>;
		}>();
		const ids = Object.entries(doc.paths).flatMap(([path, operations]) =>
			Object.entries(operations).map(([method, op]) => [`${method} ${path}`, op.operationId]),
		);
		for (const [where, id] of ids) expect(id, where).toMatch(/^[a-z][A-Za-z]+$/);
		expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
	});
});
