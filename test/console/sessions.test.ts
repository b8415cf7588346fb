import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ORIGIN, page, post, signIn } from "../helpers/console";
import { ADMIN, api, createStaff } from "../helpers/staff";

describe("console sessions", () => {
	it("sends an unknown visitor to the sign-in page, which asks for a token", async () => {
		const res = await page("/console");
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/console/sign-in");
		const signInPage = await page("/console/sign-in");
		expect(signInPage.status).toBe(200);
		const html = await signInPage.text();
		expect(html).toContain('name="token"');
		expect(html).toContain('type="password"');
	});

	it("signs in with a staff token: an HttpOnly, Secure, SameSite=Strict cookie of a D1 session", async () => {
		const { token, id } = await createStaff("officer");
		const res = await post("/console/sign-in", { token });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/console");
		const cookie = res.headers.get("set-cookie") ?? "";
		expect(cookie).toMatch(/^__Host-console_session=[0-9a-f]{64};/);
		expect(cookie).toContain("HttpOnly");
		expect(cookie).toContain("Secure");
		expect(cookie).toContain("SameSite=Strict");
		expect(cookie).toContain("Path=/");
		expect(cookie).toContain("Expires=");
		const sessionId = /=([0-9a-f]{64})/.exec(cookie)?.[1] ?? "";
		// The row keeps the id's hash, never the id or the token.
		const rows = await env.DB.prepare("SELECT * FROM console_sessions WHERE staff_id = ?")
			.bind(id)
			.all<Record<string, unknown>>();
		expect(rows.results).toHaveLength(1);
		expect(JSON.stringify(rows.results)).not.toContain(sessionId);
		expect(JSON.stringify(rows.results)).not.toContain(token);
		const queue = await page("/console", cookie.split(";")[0]);
		expect(queue.status).toBe(200);
		expect(await queue.text()).toContain("Petugas officer");
	});

	it("signs in the bootstrap admin with ADMIN_TOKEN", async () => {
		const cookie = await signIn(ADMIN);
		const res = await page("/console/staff", cookie);
		expect(res.status).toBe(200);
	});

	it("refuses a wrong token with 401 and no cookie", async () => {
		const res = await post("/console/sign-in", { token: "dks_not_a_real_token_at_all" });
		expect(res.status).toBe(401);
		expect(res.headers.get("set-cookie")).toBeNull();
		expect(await res.text()).toContain("Token tidak dikenali");
	});

	it("refuses a made-up session cookie", async () => {
		const res = await page("/console", `__Host-console_session=${"ab".repeat(32)}`);
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/console/sign-in");
	});

	it("ends an expired session", async () => {
		const { token, id } = await createStaff("officer");
		const cookie = await signIn(token);
		await env.DB.prepare("UPDATE console_sessions SET expires_at = ? WHERE staff_id = ?")
			.bind(Date.now() - 1, id)
			.run();
		const res = await page("/console", cookie);
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/console/sign-in");
	});

	it("ends the sessions of a revoked staff member, and of a rotated token", async () => {
		const revoked = await createStaff("officer");
		const cookie = await signIn(revoked.token);
		expect((await page("/console", cookie)).status).toBe(200);
		expect((await api("DELETE", `/staff/${revoked.id}`)).status).toBe(200);
		expect((await page("/console", cookie)).status).toBe(303);

		const rotated = await createStaff("officer");
		const before = await signIn(rotated.token);
		expect((await api("POST", `/staff/${rotated.id}/token`, { json: {} })).status).toBe(200);
		expect((await page("/console", before)).status).toBe(303);
	});

	it("signs out: the session is revoked in D1 and the cookie no longer opens anything", async () => {
		const { token, id } = await createStaff("officer");
		const cookie = await signIn(token);
		const res = await post("/console/sign-out", {}, { cookie });
		expect(res.status).toBe(303);
		expect(res.headers.get("set-cookie")).toMatch(/__Host-console_session=;/);
		const row = await env.DB.prepare("SELECT revoked_at FROM console_sessions WHERE staff_id = ?")
			.bind(id)
			.first<{ revoked_at: number | null }>();
		expect(row?.revoked_at).not.toBeNull();
		expect((await page("/console", cookie)).status).toBe(303);
		const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE actor = ? ORDER BY at")
			.bind(`staff:${id}`)
			.all<{ action: string }>();
		expect(audit.results.map((r) => r.action)).toEqual(["console.sign_in", "console.sign_out"]);
	});

	it("refuses a cross-site form post (CSRF), signed in or not", async () => {
		const { token } = await createStaff("officer");
		const cookie = await signIn(token);
		const evil = await post("/console/sign-out", {}, { cookie, origin: "https://evil.example" });
		expect(evil.status).toBe(403);
		// The session still works: the forged sign-out did nothing.
		expect((await page("/console", cookie)).status).toBe(200);
		const noOrigin = await post("/console/sign-in", { token }, { origin: null });
		expect(noOrigin.status).toBe(403);
	});

	it("sends a strict Content-Security-Policy and no inline script or style", async () => {
		const cookie = await signIn(ADMIN);
		for (const path of ["/console/sign-in", "/console", "/console/staff", "/console/reports"]) {
			const res = await page(path, cookie);
			const csp = res.headers.get("content-security-policy") ?? "";
			expect(csp).toContain("default-src 'none'");
			expect(csp).toContain("script-src 'self'");
			expect(csp).toContain("style-src 'self'");
			expect(csp).toContain("frame-ancestors 'none'");
			expect(csp).not.toContain("unsafe-inline");
			expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
			expect(res.headers.get("cache-control")).toBe("no-store");
			const html = await res.text();
			expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
			expect(html).not.toContain("<style");
			expect(html).not.toContain(" style=");
		}
	});

	it("never puts the token in a page or a URL", async () => {
		const { token } = await createStaff("admin");
		const res = await post("/console/sign-in", { token });
		expect(res.headers.get("location")).not.toContain(token);
		const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
		expect(cookie).not.toContain(token);
		for (const path of ["/console", "/console/staff", "/console/audit", "/console/reports"]) {
			const html = await (await page(path, cookie)).text();
			expect(html).not.toContain(token);
			expect(html).not.toContain(ADMIN);
		}
		const failed = await (await post("/console/sign-in", { token: `${token}x` })).text();
		expect(failed).not.toContain(token);
	});

	it("serves its stylesheet and script from the Worker", async () => {
		const css = await page("/console/assets/console.css");
		expect(css.status).toBe(200);
		expect(css.headers.get("content-type")).toContain("text/css");
		const js = await page("/console/assets/console.js");
		expect(js.status).toBe(200);
		expect(js.headers.get("content-type")).toContain("javascript");
	});

	it("after the session ended, sends a form's post to sign in and then back to its page", async () => {
		const res = await post(
			"/console/requests/abc-123/message",
			{ text: "Halo" },
			{
				cookie: "__Host-console_session=".padEnd(87, "0"),
			},
		);
		expect(res.status).toBe(303);
		const location = res.headers.get("location") ?? "";
		expect(location).toBe("/console/sign-in?next=%2Fconsole%2Frequests%2Fabc-123");
		const form = await (await page(location)).text();
		expect(form).toContain('name="next" value="/console/requests/abc-123"');
		const signedIn = await post("/console/sign-in", {
			token: ADMIN,
			next: "/console/requests/abc-123",
		});
		expect(signedIn.headers.get("location")).toBe("/console/requests/abc-123");
		const elsewhere = await post("/console/sign-in", {
			token: ADMIN,
			next: "https://evil.example/",
		});
		expect(elsewhere.headers.get("location")).toBe("/console");
	});

	it("answers an unknown address and a body over its cap with pages in the staff's language", async () => {
		const cookie = await signIn(ADMIN);
		const missing = await page("/console/no-such-page", cookie);
		expect(missing.status).toBe(404);
		expect(missing.headers.get("content-type")).toContain("text/html");
		const html = await missing.text();
		expect(html).toContain('<html lang="id">');
		expect(html).toContain("Tidak ada: alamat atau datanya tidak ditemukan");
		const big = await post(
			"/console/requests/abc/notes",
			{ text: "x".repeat(70 * 1024) },
			{ cookie: `${cookie}; console_lang=en` },
		);
		expect(big.status).toBe(413);
		expect(big.headers.get("content-type")).toContain("text/html");
		const bigHtml = await big.text();
		expect(bigHtml).toContain("The file or form is too large.");
		expect(bigHtml).toContain('href="/console/requests/abc">Back</a>');
	});

	it("answers a form body it cannot read with 400 and a page, not an error of its own", async () => {
		const cookie = await signIn(ADMIN);
		const broken = (path: string, type: string) =>
			exports.default.fetch(`${ORIGIN}${path}`, {
				method: "POST",
				headers: { cookie, origin: ORIGIN, "content-type": type },
				body: "--x\r\nnot a part at all",
				redirect: "manual",
			});
		for (const path of ["/console/requests/abc/notes", "/console/sign-in"]) {
			const res = await broken(path, "multipart/form-data; boundary=x");
			expect(res.status, path).toBe(400);
			expect(res.headers.get("content-type")).toContain("text/html");
			expect(await res.text()).toContain("Formulir tidak terbaca");
		}
		// Without a boundary the body cannot be split into fields either.
		expect((await broken("/console/requests/abc/notes", "multipart/form-data")).status).toBe(400);
	});

	it("switches to English and back, and only redirects within the console", async () => {
		const res = await page("/console/lang/en?back=/console/staff");
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/console/staff");
		expect(res.headers.get("set-cookie")).toContain("console_lang=en");
		const english = await (await page("/console/sign-in", "console_lang=en")).text();
		expect(english).toContain("Sign in");
		expect(english).toContain('<html lang="en">');
		// The queue's filters survive the switch.
		const cookie = await signIn(ADMIN);
		const queue = await (await page("/console?status=in_review&overdue=true", cookie)).text();
		const back = encodeURIComponent("/console?status=in_review&overdue=true");
		expect(queue).toContain(`href="/console/lang/en?back=${back}"`);
		const filtered = await page(`/console/lang/en?back=${back}`);
		expect(filtered.headers.get("location")).toBe("/console?status=in_review&overdue=true");
		const open = await page("/console/lang/id?back=https://evil.example/");
		expect(open.headers.get("location")).toBe("/console");
	});
});
