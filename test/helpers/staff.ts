import { exports } from "cloudflare:workers";

export const ADMIN = "test_admin_token_0123456789abcdef";

/** Calls the staff API as `token` (none when null). */
export async function api(
	method: string,
	path: string,
	options: {
		token?: string | null;
		json?: unknown;
		body?: BodyInit;
		headers?: Record<string, string>;
	} = {},
): Promise<Response> {
	const headers: Record<string, string> = { ...options.headers };
	const token = options.token === undefined ? ADMIN : options.token;
	if (token !== null) headers.authorization = `Bearer ${token}`;
	let body = options.body;
	if (options.json !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(options.json);
	}
	return exports.default.fetch(`https://worker.test/api/v1${path}`, {
		method,
		headers,
		...(body === undefined ? {} : { body }),
	});
}

/** Creates a staff member through the API and returns their id and token. */
export async function createStaff(
	role: "admin" | "officer" | "kelurahan",
	kelurahan?: string,
): Promise<{ id: string; token: string }> {
	const res = await api("POST", "/staff", {
		json: { name: `Petugas ${role}`, role, ...(kelurahan ? { kelurahan } : {}) },
	});
	if (res.status !== 201) throw new Error(`createStaff: ${res.status} ${await res.text()}`);
	return res.json<{ id: string; token: string }>();
}
