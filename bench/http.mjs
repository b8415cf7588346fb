/** Plain HTTP to the worker: one request at a time, and its /dev/metrics counters. */
import http from "node:http";
import { HOST } from "./settings.mjs";
import { bench } from "./state.mjs";

/**
 * One HTTP request to the worker (or `port`); never throws: `status` 0 on a network error or
 * timeout. `onResponse(res)` may consume the body itself (streamed) and return a result.
 */
export function request({
	method = "GET",
	path: urlPath,
	headers = {},
	body,
	agent,
	port = bench.workerPort,
	timeoutMs = 30_000,
	onResponse,
}) {
	return new Promise((resolve) => {
		const req = http.request(
			{
				host: HOST,
				port,
				method,
				path: urlPath,
				agent,
				headers: body === undefined ? headers : { ...headers, "content-length": body.length },
			},
			(res) => {
				if (onResponse) {
					onResponse(res).then(
						(result) => resolve({ status: res.statusCode, headers: res.headers, result }),
						(error) => resolve({ status: 0, error }),
					);
					return;
				}
				const chunks = [];
				res.on("data", (chunk) => chunks.push(chunk));
				res.on("end", () =>
					resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
				);
				res.on("error", (error) => resolve({ status: 0, error }));
			},
		);
		req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
		req.on("error", (error) => resolve({ status: 0, error }));
		req.end(body);
	});
}

export function jsonOf(res) {
	try {
		return JSON.parse(res.body?.toString("utf8") ?? "");
	} catch {
		return null;
	}
}

export async function metrics() {
	const res = await request({ path: "/dev/metrics", timeoutMs: 10_000 });
	const body = jsonOf(res);
	if (res.status !== 200 || body === null) {
		throw new Error(`/dev/metrics answered ${res.status}: is SANDBOX on?`);
	}
	return body;
}

export function delta(after, before) {
	const out = {};
	for (const key of Object.keys(after)) out[key] = (after[key] ?? 0) - (before[key] ?? 0);
	return out;
}
