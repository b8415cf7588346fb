/**
 * Dates and times in words: "Jumat, 11 Desember 2026" and "Friday, 11 December 2026", "pukul
 * 08.00 WIB" and "at 08:00 WIB" for residents and on the console's detail pages, and the short
 * form of the console's tables, "Jum 11 Des 2026" and "Fri 11 Dec 2026". The names are written
 * here rather than taken from `Intl`, whose Indonesian data a runtime may lack or spell
 * differently ("Jum'at", "Agt").
 *
 * @module
 */

import { type IsoDate, isoWeekday } from "./iso-date";
import { INDONESIAN_ZONES, wallClock } from "./office-clock";

/** The languages residents are answered in. */
export type DateLang = "id" | "en";

// Index 0 is ISO weekday 1 (Monday); KBBI spells Jumat without an apostrophe.
const WEEKDAYS: Readonly<Record<DateLang, readonly string[]>> = {
	id: ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
	en: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
};

const MONTHS: Readonly<Record<DateLang, readonly string[]>> = {
	id: [
		"Januari",
		"Februari",
		"Maret",
		"April",
		"Mei",
		"Juni",
		"Juli",
		"Agustus",
		"September",
		"Oktober",
		"November",
		"Desember",
	],
	en: [
		"January",
		"February",
		"March",
		"April",
		"May",
		"June",
		"July",
		"August",
		"September",
		"October",
		"November",
		"December",
	],
};

/** The weekday's name of a date: "Jumat" / "Friday". */
export function weekdayName(date: IsoDate, lang: DateLang): string {
	return WEEKDAYS[lang][isoWeekday(date) - 1] ?? "";
}

/**
 * A date with its weekday, day-month-year order in both languages.
 *
 * @throws RangeError when the date is not a real `YYYY-MM-DD` date.
 * @example
 * ```ts
 * formatDate("2026-12-11", "id"); // "Jumat, 11 Desember 2026"
 * formatDate("2026-12-11", "en"); // "Friday, 11 December 2026"
 * ```
 */
export function formatDate(date: IsoDate, lang: DateLang): string {
	return `${weekdayName(date, lang)}, ${dayMonthYear(date, lang, false)}`;
}

/**
 * A date's short form, for a table: the names cut to their first three letters, which are the
 * usual abbreviations in both languages (Jum, Agu, Des; Fri, Aug, Dec).
 *
 * @throws RangeError when the date is not a real `YYYY-MM-DD` date.
 * @example
 * ```ts
 * formatShortDate("2026-12-11", "id"); // "Jum 11 Des 2026"
 * formatShortDate("2026-12-11", "en"); // "Fri 11 Dec 2026"
 * ```
 */
export function formatShortDate(date: IsoDate, lang: DateLang): string {
	return `${weekdayName(date, lang).slice(0, 3)} ${dayMonthYear(date, lang, true)}`;
}

/** "11 Desember 2026", or "11 Des 2026" when `short`; the caller has checked the date. */
function dayMonthYear(date: IsoDate, lang: DateLang, short: boolean): string {
	const [year, month, day] = date.split("-").map(Number) as [number, number, number];
	const name = MONTHS[lang][month - 1] ?? "";
	return `${day} ${short ? name.slice(0, 3) : name} ${year}`;
}

/** The abbreviation of an Indonesian zone (WIB, WITA, WIT), or the zone's own name otherwise. */
export function zoneLabel(timeZone: string): string {
	return INDONESIAN_ZONES[timeZone] ?? timeZone;
}

/**
 * An instant as the office's date and time: "Senin, 14 Desember 2026 pukul 08.00 WIB" /
 * "Monday, 14 December 2026 at 08:00 WIB" (Indonesian writes the time with a dot).
 *
 * @throws RangeError for an unknown time zone or an instant that is not finite.
 */
export function formatDateTime(at: number, timeZone: string, lang: DateLang): string {
	const clock = wallClock(at, timeZone);
	const time = `${lang === "id" ? "pukul" : "at"} ${clockText(clock.minutes, lang)}`;
	return `${formatDate(clock.date, lang)} ${time} ${zoneLabel(timeZone)}`;
}

/**
 * An instant's short form, for a table: "Jum 11 Des 2026 08.00" / "Fri 11 Dec 2026 08:00", in
 * the office's time without the zone (a table's rows are all in it).
 *
 * @throws RangeError for an unknown time zone or an instant that is not finite.
 */
export function formatShortDateTime(at: number, timeZone: string, lang: DateLang): string {
	const clock = wallClock(at, timeZone);
	return `${formatShortDate(clock.date, lang)} ${clockText(clock.minutes, lang)}`;
}

/** Minutes after midnight as a clock: "08.00" in Indonesian, "08:00" in English. */
function clockText(minutes: number, lang: DateLang): string {
	const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
	const mm = String(minutes % 60).padStart(2, "0");
	return `${hh}${lang === "id" ? "." : ":"}${mm}`;
}
