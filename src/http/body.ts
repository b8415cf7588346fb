import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Problem } from "./problem";

/**
 * Refuses a request body over `maxSize` bytes with 413 problem+json, through Hono's body limit: a
 * declared Content-Length is checked up front (the runtime holds the sender to it), a streamed
 * body is counted as it is read. The handler then reads the exact bytes with `c.req.arrayBuffer()`
 * (the webhook needs them as received, for the signature).
 */
export function capBody(maxSize: number): MiddlewareHandler {
	return bodyLimit({
		maxSize,
		onError: () => {
			throw new Problem(
				413,
				"payload-too-large",
				"Payload too large",
				`The body exceeds ${maxSize} bytes.`,
			);
		},
	});
}

/**
 * Refuses a body that is not declared `application/json` with 415 problem+json. A browser may send
 * a cross-site form (urlencoded, multipart, text/plain) without asking first, never JSON: a route
 * that acts on a POST by itself insists on JSON.
 */
export function requireJson(c: Context): void {
	const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
	if (type !== "application/json") {
		throw new Problem(
			415,
			"unsupported-media-type",
			"Unsupported media type",
			"The body must be application/json.",
		);
	}
}
