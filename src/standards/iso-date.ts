/**
 * Calendar dates as `YYYY-MM-DD` strings, with no time and no time zone: a day in the office's
 * calendar. Arithmetic goes through a day number (days since 1970-01-01) computed with
 * `Date.UTC`, so the runtime's own time zone never shifts a date.
 *
 * @module
 */

/** A calendar date written `YYYY-MM-DD` (a day in the office's time zone). */
export type IsoDate = string;

/** ISO weekday: 1 Monday (Senin) … 7 Sunday (Minggu). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether a string is a real calendar date written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDate(value: string): boolean {
	const match = ISO_DATE.exec(value);
	if (match === null) return false;
	const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const utc = new Date(utcMs(year, month, day));
	return (
		utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day
	);
}

/** Epoch ms of a UTC midnight; unlike `Date.UTC`, years 0-99 are not read as 1900-1999. */
function utcMs(year: number, month: number, day: number): number {
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	return date.getTime();
}

/**
 * The date's day number: days since 1970-01-01 (negative before).
 *
 * @throws RangeError when the string is not a real `YYYY-MM-DD` date.
 */
export function dayNumber(date: IsoDate): number {
	if (!isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
	const [year, month, day] = date.split("-").map(Number) as [number, number, number];
	return utcMs(year, month, day) / DAY_MS;
}

/**
 * The date of a day number (the inverse of {@link dayNumber}).
 *
 * @throws RangeError when the date has no `YYYY-MM-DD` form (before year 0, after 9999).
 */
export function fromDayNumber(days: number): IsoDate {
	if (!Number.isSafeInteger(days)) throw new RangeError("a day number must be an integer");
	const date = new Date(days * DAY_MS).toISOString().slice(0, 10);
	if (!isIsoDate(date)) throw new RangeError(`day ${days} has no YYYY-MM-DD date`);
	return date;
}

/** Whether `days` calendar days from `date` is still a `YYYY-MM-DD` date (years 0000-9999). */
export function canAddDays(date: IsoDate, days: number): boolean {
	const target = dayNumber(date) + days;
	return target >= dayNumber("0000-01-01") && target <= dayNumber("9999-12-31");
}

/** The date `days` calendar days after `date` (before, when negative). */
export function addDays(date: IsoDate, days: number): IsoDate {
	return fromDayNumber(dayNumber(date) + days);
}

/** The year of a date. */
export function yearOf(date: IsoDate): number {
	dayNumber(date);
	return Number(date.slice(0, 4));
}

/** The ISO weekday of a date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: IsoDate): IsoWeekday {
	// 1970-01-01 was a Thursday (ISO 4).
	const index = (((dayNumber(date) + 3) % 7) + 7) % 7;
	return (index + 1) as IsoWeekday;
}
