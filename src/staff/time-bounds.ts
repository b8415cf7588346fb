/**
 * The `from` and `to` of a staff query, read in the office's time zone. The zod schemas only
 * check the text (its validity does not depend on the zone) and keep it, because a date means
 * the office's day and the office's zone is a setting (`OFFICE_TIME_ZONE`: WIB, WITA or WIT),
 * which a schema cannot see; each handler reads its bounds here, so a filter and the report's
 * grouping by day agree on where a day starts.
 *
 * @module
 */

import { settingsOf } from "../env";
import { fieldProblem } from "../http/problem";
import { parseTimeBound } from "../requests/time-bounds";

/** `Q` with its time bounds read: epoch milliseconds where the text was. */
export type WithBounds<Q> = {
	[K in keyof Q]: K extends "from" | "to" ? Exclude<Q[K], string> | number : Q[K];
};

/**
 * Reads `query.from` and `query.to` (when given) in the office's time zone; the rest of the
 * query is kept as it is.
 *
 * @param where - Where the bounds came from, to name them in a problem (`query` or `body`).
 */
export function officeBounds<Q extends { from?: string | undefined; to?: string | undefined }>(
	env: Env,
	query: Q,
	where: "query" | "body" = "query",
): WithBounds<Q> {
	const timeZone = settingsOf(env).get("OFFICE_TIME_ZONE");
	const read: Record<string, unknown> = { ...query };
	for (const bound of ["from", "to"] as const) {
		const text = query[bound];
		if (text === undefined) continue;
		const at = parseTimeBound(text, bound, timeZone);
		// The schema let only readable text through; this is for a caller that skipped it.
		if (at === null) throw fieldProblem(`${where}.${bound}`, "not a time bound");
		read[bound] = at;
	}
	return read as WithBounds<Q>;
}
