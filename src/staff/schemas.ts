/**
 * Schemas every part of the staff API shares: problem answers, the `{id}` path parameter and the
 * list parameters (time bounds, page size, cursor).
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { normalizePhone } from "../requests/phone";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../requests/queue";
import { parseTimeBound } from "../requests/time-bounds";
import { isIsoDate } from "../standards/iso-date";

/** RFC 9457 problem details, as every error of the staff API is answered. */
export const ProblemSchema = z
	.object({
		type: z.string().openapi({ example: "urn:disdukcapil:problem:validation" }),
		title: z.string().openapi({ example: "Invalid request" }),
		status: z.number().int().openapi({ example: 400 }),
		detail: z.string().optional().openapi({ example: "body.reason: required for rejected" }),
		errors: z
			.array(z.object({ field: z.string(), message: z.string() }))
			.optional()
			.openapi({ example: [{ field: "body.reason", message: "required for rejected" }] }),
	})
	.openapi("Problem");

/** A problem answer of a route, described for the OpenAPI document. */
export const problemResponse = (description: string) => ({
	description,
	content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error answers every authenticated route can give. */
export const errorResponses = {
	400: problemResponse("The request is invalid; `errors` names each failing field."),
	401: problemResponse("No token, or not a valid one."),
	403: problemResponse("The caller's role may not do this."),
} as const;

/** Errors of a route every role may use: invalid input, or no valid token. */
export const anyRoleErrors = { 400: errorResponses[400], 401: errorResponses[401] } as const;

/** The 404 of a route about one resource. */
export const notFound = {
	404: problemResponse("No such resource (or not visible to the caller)."),
} as const;
/** A 409 answer, described by `what` makes the route conflict. */
export const conflict = (what: string) => ({ 409: problemResponse(what) }) as const;

/** The `security` of every route but the API's own description. */
export const bearer = [{ bearer: [] }];

/**
 * The `{id}` path parameter, defined once for every route: 1 to 100 characters. `doc` says what
 * the id names on the route's resource.
 */
export function idParam(doc: { example: string; description?: string }) {
	return z.object({
		id: z
			.string()
			.min(1)
			.max(100)
			.openapi({ param: { name: "id", in: "path" }, ...doc }),
	});
}

/** The `{id}` of the case-work and staff routes. */
export const IdParamSchema = idParam({ example: "PBM-261128-0001" });

/**
 * A time bound's text, checked and kept (trimmed): a date means the office's day, and the office's
 * time zone is a setting the schema cannot see, so handlers read it with `officeBounds`
 * (`./time-bounds.ts`). Whether the text is readable does not depend on the zone.
 */
function timeBoundText(bound: "from" | "to") {
	return z
		.string()
		.trim()
		.refine((text) => parseTimeBound(text, bound) !== null, {
			message: "must be epoch milliseconds, an ISO 8601 date-time with zone, or a date",
		});
}

/** The OpenAPI description of a `from` or `to` parameter. */
function timeBoundDoc(bound: "from" | "to") {
	return {
		type: "string",
		example: bound === "from" ? "2026-11-01" : "2026-11-30T17:00:00Z",
		description:
			bound === "from"
				? "At or after (inclusive): epoch ms, an ISO date-time with zone, or a date (the start of that day in the office's time zone)."
				: "Before (exclusive): epoch ms, an ISO date-time with zone, or a date (that whole day included).",
	} as const;
}

/**
 * A `from` or `to` query parameter: epoch milliseconds, an ISO 8601 date-time with its zone, or
 * a date (the office's calendar day). `from` is inclusive, `to` exclusive; a date as `to`
 * includes that whole day.
 */
export function timeBoundQuery(bound: "from" | "to") {
	return timeBoundText(bound).optional().openapi(timeBoundDoc(bound));
}

/** {@link timeBoundQuery}, required: a report's period has both ends. */
export function requiredTimeBound(bound: "from" | "to") {
	return timeBoundText(bound).openapi(timeBoundDoc(bound));
}

/** The `limit` query parameter: 1 to 100 rows, 20 by default. */
export const LimitQuery = z.coerce
	.number()
	.int()
	.min(1)
	.max(MAX_PAGE_SIZE)
	.default(DEFAULT_PAGE_SIZE)
	.openapi({
		type: "integer",
		minimum: 1,
		maximum: MAX_PAGE_SIZE,
		default: DEFAULT_PAGE_SIZE,
		example: 20,
		description: "Rows per page.",
	});

/** The `cursor` query parameter: the `nextCursor` of the previous page. */
export const CursorQuery = z.string().min(1).max(400).optional().openapi({
	example: "MTc5NTkwMDAwMDAwMDo1ZjBjMWI5ZQ",
	description: "The `nextCursor` of the previous page; omit for the first page.",
});

/** An optional office-local date in a query string (YYYY-MM-DD, a real date). */
export const OfficeDateQuery = z
	.string()
	.refine(isIsoDate, "must be a real date written YYYY-MM-DD")
	.optional();

/**
 * An optional WhatsApp number in a body, however it is written (`0812...`, `+62 812...`), stored
 * as E.164 digits; a field problem showing `like` when it is not a phone number.
 */
export function phoneField(like: string, doc: { example: string; description: string }) {
	return z
		.string()
		.max(30)
		.transform((phone, ctx) => {
			const normalized = normalizePhone(phone);
			if (normalized === null) {
				ctx.addIssue({ code: "custom", message: `must be a phone number such as ${like}` });
				return z.NEVER;
			}
			return normalized;
		})
		.optional()
		.openapi({ type: "string", ...doc });
}
