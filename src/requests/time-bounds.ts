/**
 * Time filters of the staff's lists (`from`, `to`), read in the office's time zone.
 *
 * @module
 */

import { DEFAULT_TIME_ZONE } from "./tickets";

const DATE_ONLY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME =
	/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** How far ahead of UTC a time zone is at an instant, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat("en-US", {
		timeZone,
		hourCycle: "h23",
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
		hour: "2-digit",
		minute: "2-digit",
		second: "2-digit",
	}).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(
		part("year"),
		part("month") - 1,
		part("day"),
		part("hour"),
		part("minute"),
		part("second"),
	);
	return wall - Math.floor(at / 1000) * 1000;
}

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
	const date = DATE_ONLY.exec(text);
	if (date === null) return null;
	const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
	const utcMidnight = Date.UTC(year, month - 1, day);
	const check = new Date(utcMidnight);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
	const start = utcMidnight + (bound === "to" ? DAY_MS : 0);
	return start - zoneOffset(start, timeZone);
}
