/**
 * The office's wall clock: which date and time an instant is in the office's IANA time zone, and
 * which instant a given office-local date and time is. Built on `Intl.DateTimeFormat`, which
 * workerd supports; Indonesia has no daylight saving, but nothing here assumes a fixed offset.
 *
 * @module
 */

import { dayNumber, type IsoDate } from "./iso-date";

/** Indonesia's three zones, and the abbreviation residents read after a time. */
export const INDONESIAN_ZONES: Readonly<Record<string, "WIB" | "WITA" | "WIT">> = {
	"Asia/Jakarta": "WIB",
	"Asia/Pontianak": "WIB",
	"Asia/Makassar": "WITA",
	"Asia/Jayapura": "WIT",
};

/** An office-local date and the minutes since its midnight (0 … 1439). */
export interface WallClock {
	date: IsoDate;
	minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let found = formatters.get(timeZone);
	if (found === undefined) {
		// en-US with h23: stable numeric parts whatever the runtime's default locale is.
		found = new Intl.DateTimeFormat("en-US", {
			timeZone,
			hourCycle: "h23",
			year: "numeric",
			month: "2-digit",
			day: "2-digit",
			hour: "2-digit",
			minute: "2-digit",
			second: "2-digit",
		});
		formatters.set(timeZone, found);
	}
	return found;
}

/**
 * Checks that a time zone is one the runtime knows.
 *
 * @throws RangeError for an unknown time zone.
 */
export function assertTimeZone(timeZone: string): void {
	formatter(timeZone);
}

/** Whether the runtime knows a time zone (for validating settings without throwing). */
export function isTimeZone(timeZone: string): boolean {
	try {
		formatter(timeZone);
		return true;
	} catch {
		return false;
	}
}

function parts(at: number, timeZone: string): Record<string, number> {
	if (!Number.isFinite(at)) throw new RangeError("an instant must be a finite number of ms");
	const out: Record<string, number> = {};
	for (const part of formatter(timeZone).formatToParts(at)) {
		if (part.type !== "literal") out[part.type] = Number(part.value);
	}
	return out;
}

function pad(value: number | undefined, width: number): string {
	return String(value ?? 0).padStart(width, "0");
}

/**
 * The office-local date and time of an instant.
 *
 * @param at - Epoch milliseconds.
 * @param timeZone - The office's IANA time zone, such as `Asia/Makassar`.
 * @throws RangeError for an unknown time zone or an instant that is not finite.
 */
export function wallClock(at: number, timeZone: string): WallClock {
	const p = parts(at, timeZone);
	// Some engines write midnight as hour 24 even with h23; fold it back.
	return { date: dateOf(p), minutes: ((p.hour ?? 0) % 24) * 60 + (p.minute ?? 0) };
}

function dateOf(p: Record<string, number>): IsoDate {
	return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/**
 * An instant as the office's local date and time with the zone's offset, to the second:
 * `2026-12-04T10:00:05+08:00`, as ISO 8601 and HTML's `<time datetime>` read it.
 *
 * @throws RangeError for an unknown time zone or an instant that is not finite.
 */
export function isoDateTime(at: number, timeZone: string): string {
	const p = parts(at, timeZone);
	const offset = Math.round(offsetAt(at, timeZone) / 60_000);
	const sign = offset < 0 ? "-" : "+";
	const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60), 2)}:${pad(Math.abs(offset) % 60, 2)}`;
	const time = `${pad((p.hour ?? 0) % 24, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
	return `${dateOf(p)}T${time}${zone}`;
}

/** The office-local date (`YYYY-MM-DD`) of an instant. */
export function officeDate(at: number, timeZone: string): IsoDate {
	return wallClock(at, timeZone).date;
}

/** The zone's offset from UTC at an instant, in milliseconds (WIB: +7 h). */
function offsetAt(at: number, timeZone: string): number {
	const p = parts(at, timeZone);
	const asUtc = Date.UTC(
		p.year ?? 1970,
		(p.month ?? 1) - 1,
		p.day ?? 1,
		(p.hour ?? 0) % 24,
		p.minute ?? 0,
		p.second ?? 0,
	);
	return asUtc - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant at which the office's clock shows `minutes` after midnight on `date`.
 *
 * @throws RangeError for a malformed date, minutes outside 0 … 1439, or an unknown zone.
 */
export function instantOf(date: IsoDate, minutes: number, timeZone: string): number {
	if (!Number.isInteger(minutes) || minutes < 0 || minutes >= 1440) {
		throw new RangeError("minutes must be an integer from 0 to 1439");
	}
	const wall = dayNumber(date) * 86_400_000 + minutes * 60_000;
	// Guess with the offset at the wall time read as UTC, then correct once: exact wherever the
	// offset does not change within a day of the guess (always, in Indonesia).
	const first = wall - offsetAt(wall, timeZone);
	return wall - offsetAt(first, timeZone);
}

/** `HH:MM` as minutes after midnight, or null when malformed (24:00 is allowed, as a close). */
export function parseClock(value: string): number | null {
	const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
	if (match === null) return null;
	const minutes = Number(match[1]) * 60 + Number(match[2]);
	return minutes <= 1440 ? minutes : null;
}
