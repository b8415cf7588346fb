/**
 * Time filters of the staff's lists (`from`, `to`), read in the office's time zone.
 *
 * @module
 */

import { addDays, canAddDays, isIsoDate } from "../standards/iso-date";
import { instantOf } from "../standards/office-clock";
import { DEFAULT_TIME_ZONE } from "./tickets";

const DATE_TIME =
	/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * Reads a time filter: epoch milliseconds, an ISO 8601 date-time with its zone (`Z` or
 * `+07:00`), or a calendar date, which means the office's day (`Asia/Jakarta` by default): its
 * start for `from`, and the start of the next day for `to` (an exclusive bound, so that
 * `to=2026-11-30` includes the 30th).
 *
 * @returns Epoch milliseconds, or null when the text is none of these.
 */
export function parseTimeBound(
	text: string,
	bound: "from" | "to",
	timeZone: string = DEFAULT_TIME_ZONE,
): number | null {
	if (/^[0-9]{1,15}$/.test(text)) return Number(text);
	if (DATE_TIME.test(text)) {
		const at = Date.parse(text);
		return Number.isNaN(at) ? null : at;
	}
	if (!isIsoDate(text) || (bound === "to" && !canAddDays(text, 1))) return null;
	// The office's midnight starting that day, or the next one for an exclusive `to`.
	return instantOf(bound === "to" ? addDays(text, 1) : text, 0, timeZone);
}
