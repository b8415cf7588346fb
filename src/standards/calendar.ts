/**
 * The office's working calendar: which days are working days, the due date of a request (queue
 * date + N working days), and when staff will first look at something that arrives now.
 *
 * Pure: the data (weekly office hours, the decreed holidays and cuti bersama, the office's own
 * closures and extra working days, the years the data covers) comes in as a {@link CalendarInput}.
 * A computation that reaches a year the data does not cover answers {@link NoCalendarData}
 * instead of guessing: holidays, and Islamic ones above all, move every year and are known only
 * from that year's decree.
 *
 * @module
 */

import { addDays, dayNumber, type IsoDate, type IsoWeekday, isoWeekday, yearOf } from "./iso-date";
import { assertTimeZone, instantOf, parseClock, wallClock } from "./office-clock";

/** Opening and closing time of one day, office-local `HH:MM` (closing is exclusive). */
export interface OfficeHours {
	opens: string;
	closes: string;
}

/** Office hours per ISO weekday (1 Monday … 7 Sunday); a missing weekday is closed. */
export type WeeklyHours = Readonly<Partial<Record<IsoWeekday, OfficeHours>>>;

/**
 * What a listed day is. `holiday` (libur nasional) and `cuti_bersama` come from the decree;
 * `closed` is a day the office itself closes (a local holiday); `working_day` opens a day that
 * is normally closed (a Saturday service day) and carries its hours.
 */
export type DayKind = "holiday" | "cuti_bersama" | "closed" | "working_day";

/** One listed day of the calendar. */
export interface CalendarDay {
	date: IsoDate;
	kind: DayKind;
	name: string;
	/** Where the day comes from: the decree, or `admin` for a day an admin added. */
	source: string;
	/** Required for `working_day`, ignored otherwise. */
	hours?: OfficeHours;
}

/** Everything the calendar knows. */
export interface CalendarInput {
	/** The office's IANA time zone: `Asia/Jakarta` (WIB), `Asia/Makassar` (WITA), `Asia/Jayapura` (WIT). */
	timeZone: string;
	weeklyHours: WeeklyHours;
	days: readonly CalendarDay[];
	/** Years whose holidays and cuti bersama are all listed in `days` (from that year's decree). */
	coveredYears: readonly number[];
}

/** A validated calendar, built by {@link buildCalendar}. */
export interface WorkingCalendar {
	readonly timeZone: string;
	readonly coveredYears: ReadonlySet<number>;
	readonly weekly: ReadonlyMap<IsoWeekday, Span>;
	readonly days: ReadonlyMap<IsoDate, CalendarDay & { span: Span | null }>;
}

/** Office hours as minutes after midnight, `opens` inclusive, `closes` exclusive. */
export interface Span {
	opens: number;
	closes: number;
}

/** The answer when a computation reaches a year the calendar has no data for. */
export interface NoCalendarData {
	ok: false;
	reason: "no_calendar_data";
	year: number;
}

/** A computed value, or the year that is missing from the calendar. */
export type Outcome<T> = { ok: true; value: T } | NoCalendarData;

/** When staff will first look at something arriving at an instant. */
export interface FirstLook {
	/** True when the office is open at that instant. */
	openNow: boolean;
	/** The instant itself when open, otherwise the next opening (epoch ms). */
	at: number;
	/** The office-local date of `at`. */
	date: IsoDate;
}

class MissingYear extends Error {
	constructor(readonly year: number) {
		super(`no calendar data for year ${year}`);
	}
}

function span(hours: OfficeHours, what: string): Span {
	const opens = parseClock(hours.opens);
	const closes = parseClock(hours.closes);
	if (opens === null || closes === null || opens >= closes) {
		throw new RangeError(`${what}: office hours must be HH:MM with opens before closes`);
	}
	return { opens, closes };
}

/**
 * Validates calendar data and indexes it.
 *
 * @throws RangeError for an unknown time zone, malformed hours or dates, a date listed twice, or
 * a `working_day` without hours.
 */
export function buildCalendar(input: CalendarInput): WorkingCalendar {
	assertTimeZone(input.timeZone);
	const weekly = new Map<IsoWeekday, Span>();
	for (const [key, hours] of Object.entries(input.weeklyHours)) {
		const weekday = Number(key);
		if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) {
			throw new RangeError(`weekday ${key}: must be 1 (Monday) to 7 (Sunday)`);
		}
		if (hours !== undefined) weekly.set(weekday as IsoWeekday, span(hours, `weekday ${key}`));
	}
	const days = new Map<IsoDate, CalendarDay & { span: Span | null }>();
	for (const day of input.days) {
		dayNumber(day.date);
		if (days.has(day.date)) throw new RangeError(`${day.date} is listed twice`);
		let daySpan: Span | null = null;
		if (day.kind === "working_day") {
			if (day.hours === undefined) throw new RangeError(`${day.date}: a working day needs hours`);
			daySpan = span(day.hours, day.date);
		}
		days.set(day.date, { ...day, span: daySpan });
	}
	for (const year of input.coveredYears) {
		if (!Number.isInteger(year)) throw new RangeError(`covered year ${year} is not an integer`);
	}
	return { timeZone: input.timeZone, coveredYears: new Set(input.coveredYears), weekly, days };
}

/** The office hours of a date, or null when it is not a working day. Throws MissingYear. */
function spanOn(calendar: WorkingCalendar, date: IsoDate): Span | null {
	const year = yearOf(date);
	if (!calendar.coveredYears.has(year)) throw new MissingYear(year);
	const listed = calendar.days.get(date);
	if (listed !== undefined) return listed.span;
	return calendar.weekly.get(isoWeekday(date)) ?? null;
}

function nextOpen(calendar: WorkingCalendar, date: IsoDate): IsoDate {
	let day = addDays(date, 1);
	// Terminates: every step moves a day forward, and past the covered years spanOn throws.
	while (spanOn(calendar, day) === null) day = addDays(day, 1);
	return day;
}

function outcome<T>(compute: () => T): Outcome<T> {
	try {
		return { ok: true, value: compute() };
	} catch (error) {
		if (error instanceof MissingYear) {
			return { ok: false, reason: "no_calendar_data", year: error.year };
		}
		throw error;
	}
}

/** Whether the calendar has the decree's data for a year. */
export function coversYear(calendar: WorkingCalendar, year: number): boolean {
	return calendar.coveredYears.has(year);
}

/** The listed entry of a date (holiday, cuti bersama, closure, extra working day), if any. */
export function listedDay(calendar: WorkingCalendar, date: IsoDate): CalendarDay | undefined {
	const listed = calendar.days.get(date);
	if (listed === undefined) return undefined;
	const { span: _span, ...day } = listed;
	return day;
}

/** Whether the office works on a date (`YYYY-MM-DD`, office-local). */
export function isWorkingDay(calendar: WorkingCalendar, date: IsoDate): Outcome<boolean> {
	return outcome(() => spanOn(calendar, date) !== null);
}

/** The first working day strictly after a date. */
export function nextWorkingDay(calendar: WorkingCalendar, date: IsoDate): Outcome<IsoDate> {
	return outcome(() => nextOpen(calendar, date));
}

/**
 * The due date of a request queued on `date` with a time limit of `n` working days: the n-th
 * working day after `date` (for n = 0, `date` itself or, when it is not a working day, the next
 * one). Never a non-working day, never earlier than `date` + n calendar days.
 *
 * @throws RangeError when n is not a non-negative integer.
 */
export function addWorkingDays(
	calendar: WorkingCalendar,
	date: IsoDate,
	n: number,
): Outcome<IsoDate> {
	if (!Number.isSafeInteger(n) || n < 0) {
		throw new RangeError("the number of working days must be a non-negative integer");
	}
	return outcome(() => {
		if (n === 0) return spanOn(calendar, date) === null ? nextOpen(calendar, date) : date;
		let day = date;
		for (let counted = 0; counted < n; counted++) day = nextOpen(calendar, day);
		return day;
	});
}

/**
 * Working days from `from` to `to`: those after `from` up to and including `to`, negative when
 * `to` is earlier. So `workingDaysBetween(q, addWorkingDays(q, n))` is n for a working day q, and
 * from today to a due date it is the days left (negative: the days late).
 */
export function workingDaysBetween(
	calendar: WorkingCalendar,
	from: IsoDate,
	to: IsoDate,
): Outcome<number> {
	const [start, end, sign] = dayNumber(from) <= dayNumber(to) ? [from, to, 1] : [to, from, -1];
	return outcome(() => {
		let count = 0;
		for (let day = addDays(start, 1); dayNumber(day) <= dayNumber(end); day = addDays(day, 1)) {
			if (spanOn(calendar, day) !== null) count++;
		}
		return sign * count;
	});
}

/**
 * When staff will first look at something arriving at an instant: now, when the office is open;
 * the same day's opening, when it arrives before opening on a working day; otherwise the
 * opening of the next working day (after closing time, on a weekend, a holiday or cuti bersama).
 */
export function firstLook(calendar: WorkingCalendar, at: number): Outcome<FirstLook> {
	const clock = wallClock(at, calendar.timeZone);
	return outcome(() => {
		const today = spanOn(calendar, clock.date);
		if (today !== null && clock.minutes < today.closes) {
			if (clock.minutes >= today.opens) return { openNow: true, at, date: clock.date };
			return {
				openNow: false,
				at: instantOf(clock.date, today.opens, calendar.timeZone),
				date: clock.date,
			};
		}
		const date = nextOpen(calendar, clock.date);
		const opens = spanOn(calendar, date)?.opens ?? 0;
		return { openNow: false, at: instantOf(date, opens, calendar.timeZone), date };
	});
}
