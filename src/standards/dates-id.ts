/**
 * Dates and times written for residents: "Jumat, 11 Desember 2026" and "Friday, 11 December
 * 2026", "pukul 08.00 WIB" and "at 08:00 WIB". The names are written here rather than taken from
 * `Intl`, whose Indonesian data a runtime may lack or spell differently ("Jum'at", "Agt").
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
	const weekday = weekdayName(date, lang);
	const [year, month, day] = date.split("-").map(Number) as [number, number, number];
	return `${weekday}, ${day} ${MONTHS[lang][month - 1]} ${year}`;
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
	const hh = String(Math.floor(clock.minutes / 60)).padStart(2, "0");
	const mm = String(clock.minutes % 60).padStart(2, "0");
	const time = lang === "id" ? `pukul ${hh}.${mm}` : `at ${hh}:${mm}`;
	return `${formatDate(clock.date, lang)} ${time} ${zoneLabel(timeZone)}`;
}
