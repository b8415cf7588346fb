import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackUrl } from "../../src/env";
import app from "../../src/index";
import { FakeGraph } from "../fake-graph";

// Nothing here may reach a network: conversations woken by a send talk to the in-memory fake.
let restoreFetch: () => void;
beforeAll(() => {
	restoreFetch = new FakeGraph().install();
});
afterAll(() => restoreFetch());

const ORIGIN = "http://127.0.0.1:8787";

async function call(path: string, e: Env, init: RequestInit = {}): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), e, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

const withBase = (base: string) => ({ ...env, SANDBOX: "true", GRAPH_API_BASE: base }) as Env;

/** Bases that must never turn the sandbox on: Meta's API in disguise, proxies, look-alikes. */
const REFUSED = [
	"https://graph.facebook.com",
	"https://graph.facebook.com.",
	"https://graph.facebook.com.:443/",
	"https://graph%2Efacebook%2Ecom",
	"https://%67raph.facebook.com",
	"https://127.0.0.1@graph.facebook.com",
	"https://localhost:x@graph.facebook.com/dev/graph",
	"https://localhost.evil.com",
	"https://localhost.",
	"http://127.0.0.1.evil.com/dev/graph",
	"http://128.0.0.1/dev/graph",
	"http://10.0.0.1/dev/graph",
	"http://0.0.0.0/dev/graph",
	"http://[::ffff:7f00:1]/dev/graph",
	"http://[::2]/dev/graph",
	"https://graph-proxy.internal.example/v25",
	"https://graph.test",
	"ftp://127.0.0.1/dev/graph",
	"not a url",
];

/** Loopback bases: a Graph API on this machine (the sandbox's own fake). */
const ALLOWED = [
	"http://127.0.0.1:8787/dev/graph",
	"http://127.0.0.2:8787/dev/graph",
	"http://127.255.255.254/dev/graph",
	"http://localhost:8787/dev/graph",
	"http://LOCALHOST:8787/dev/graph",
	"http://[::1]:8787/dev/graph",
	"https://127.0.0.1/dev/graph",
];

describe("the sandbox guard", () => {
	it("reads only loopback hosts, as the URL parser sees them, as local", () => {
		for (const base of REFUSED) expect(isLoopbackUrl(base), base).toBe(false);
		for (const base of ALLOWED) expect(isLoopbackUrl(base), base).toBe(true);
	});

	it("answers the ordinary 404 on every /dev/* path unless the Graph API base is loopback", async () => {
		const paths = ["/dev", "/dev/chat", "/dev/metrics", "/dev/graph/v25.0/1234", "/dev/chat/send"];
		const reference = await (await call("/no-such-route", env)).json<Record<string, unknown>>();
		for (const base of REFUSED) {
			for (const path of paths) {
				const res = await call(path, withBase(base));
				expect(res.status, `${base} ${path}`).toBe(404);
				const body = await res.json<Record<string, unknown>>();
				expect({ ...body, detail: undefined }).toEqual({ ...reference, detail: undefined });
				expect(body.detail).toBe(`No route for GET ${path}.`);
			}
		}
		for (const base of ALLOWED) {
			expect((await call("/dev/chat", withBase(base))).status, base).toBe(200);
		}
	});

	it("takes a resident's message only as application/json (no cross-site form posts)", async () => {
		const e = withBase(`${ORIGIN}/dev/graph`);
		const body = JSON.stringify({
			phone: "6281377999001",
			name: "Warga Uji",
			message: { type: "text", text: "halo" },
		});
		for (const type of [
			"text/plain",
			"application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x",
			"application/jsonp",
		]) {
			const res = await call("/dev/chat/send", e, {
				method: "POST",
				headers: { "content-type": type },
				body,
			});
			expect(res.status, type).toBe(415);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		const noType = await call("/dev/chat/send", e, { method: "POST", body: new Blob([body]) });
		expect(noType.status).toBe(415);
		const ok = await call("/dev/chat/send", e, {
			method: "POST",
			headers: { "content-type": "application/json; charset=utf-8" },
			body,
		});
		expect(ok.status).toBeLessThan(300);
	});
});
