import { exports } from "cloudflare:workers";

/** The origin the tests' requests come from (the console accepts same-origin posts only). */
export const ORIGIN = "https://worker.test";

/** A GET of a console page, with the session cookie when given. */
export function page(path: string, cookie?: string): Promise<Response> {
	return exports.default.fetch(`${ORIGIN}${path}`, {
		headers: cookie ? { cookie } : {},
		redirect: "manual",
	});
}

/** A form post to the console, same-origin unless `origin` says otherwise. */
export async function post(
	path: string,
	form: Record<string, string | string[] | Blob> | FormData,
	options: { cookie?: string; origin?: string | null } = {},
): Promise<Response> {
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = options.cookie;
	const origin = options.origin === undefined ? ORIGIN : options.origin;
	if (origin !== null) headers.origin = origin;
	let body: BodyInit;
	if (form instanceof FormData) {
		// As a browser sends a form: with its Content-Length, and a CRLF after the closing
		// delimiter (browsers write it; workerd's encoder leaves it out).
		const encoded = new Response(form);
		headers["content-type"] = encoded.headers.get("content-type") ?? "";
		const bytes = new Uint8Array(await encoded.arrayBuffer());
		const crlf = bytes.at(-2) === 13 && bytes.at(-1) === 10;
		body = crlf ? bytes : new Uint8Array([...bytes, 13, 10]);
	} else {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(form)) {
			for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
		}
		body = params;
	}
	return exports.default.fetch(`${ORIGIN}${path}`, {
		method: "POST",
		headers,
		body,
		redirect: "manual",
	});
}

/** Signs in with `token` and returns the session cookie (`name=value`) to send back. */
export async function signIn(token: string): Promise<string> {
	const res = await post("/console/sign-in", { token });
	if (res.status !== 303) throw new Error(`signIn: ${res.status} ${await res.text()}`);
	const cookie = res.headers.get("set-cookie") ?? "";
	const pair = cookie.split(";")[0] ?? "";
	if (!pair.startsWith("__Host-console_session=")) throw new Error(`signIn: no cookie (${cookie})`);
	return pair;
}
