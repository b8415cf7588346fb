/**
 * The `Idempotency-Key` header of the routes that send the resident something: its schema, and
 * the id a call's message takes from it.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { uuidFrom } from "../crypto";

/** An optional `Idempotency-Key` header, described for its route. */
function idempotencyHeaders(description: string) {
	return z.object({
		"idempotency-key": z
			.string()
			.regex(/^[\x21-\x7e]{1,255}$/, "must be 1-255 visible ASCII characters")
			.optional()
			.openapi({
				param: { name: "idempotency-key", in: "header" },
				example: "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b",
				description,
			}),
	});
}

/**
 * The optional `Idempotency-Key` header of the routes that send the resident a message: the same
 * key from the same staff member on the same resource sends it once, however often the call is
 * repeated (a retry after a timeout, a form posted twice).
 */
export const IdempotencyHeaders = idempotencyHeaders(
	"A key the client chooses per message (a new UUID each): a repeated call with the same key sends nothing more and answers with the same id.",
);

/**
 * The same header on `POST /staff`: a creation repeated with its key (a refreshed page, a retry
 * after a timeout) creates nobody more; the token was shown only the first time.
 */
export const CreationKeyHeaders = idempotencyHeaders(
	"A key the client chooses per creation (a new UUID each): a repeated call with the same key creates nobody more and answers 409 already-created with the member's id (the token was shown only the first time).",
);

/**
 * The id of what a call sends: derived from its `Idempotency-Key` (with the caller and the
 * resource, so keys never collide across them) when it has one, else new.
 */
export async function sendIdOf(
	key: string | undefined,
	scope: { action: string; staffId: string; resourceId: string },
): Promise<string> {
	if (key === undefined) return crypto.randomUUID();
	return uuidFrom(`${scope.action}:${scope.staffId}:${scope.resourceId}:${key}`);
}
