/**
 * The working calendar as D1 holds it (office_hours, calendar_days, calendar_years), loaded into
 * a {@link WorkingCalendar} and kept per isolate: a request's submission and a staff list both
 * need it, and it changes only when an admin edits it.
 *
 * The cache is keyed by the database binding and the time zone. An admin's change in this
 * isolate drops it at once ({@link invalidateCalendar}); other isolates reload within
 * {@link CALENDAR_TTL_MS}, so a day added by an admin counts everywhere within a minute.
 *
 * @module
 */

import { auditStatement } from "../requests/audit";
import { NO_NOTICES } from "../requests/due-date-notices";
import { backfillStatements, replanStatements } from "../requests/replan";
import {
	buildCalendar,
	type CalendarDay,
	type DayKind,
	type WeeklyHours,
	type WorkingCalendar,
} from "./calendar";
import type { IsoDate, IsoWeekday } from "./iso-date";
import { shiftedDays } from "./replan";

/** How long an isolate trusts its copy of the calendar before reading D1 again. */
export const CALENDAR_TTL_MS = 60_000;

/** A covered year and the decree its days come from. */
export interface CalendarYear {
	year: number;
	decree: string;
	source: string;
	verification: string;
}

/** The calendar's rows as stored, for the staff API and for {@link buildCalendar}. */
export interface CalendarData {
	weeklyHours: WeeklyHours;
	days: CalendarDay[];
	years: CalendarYear[];
}

interface DayRow {
	date: string;
	kind: DayKind;
	name: string;
	source: string;
	opens: string | null;
	closes: string | null;
}

/** Reads the calendar's three tables. */
export async function readCalendarData(db: D1Database): Promise<CalendarData> {
	const [hours, days, years] = await db.batch([
		db.prepare("SELECT weekday, opens, closes FROM office_hours ORDER BY weekday"),
		db.prepare("SELECT date, kind, name, source, opens, closes FROM calendar_days ORDER BY date"),
		db.prepare("SELECT year, decree, source, verification FROM calendar_years ORDER BY year"),
	]);
	const weeklyHours: Partial<Record<IsoWeekday, { opens: string; closes: string }>> = {};
	for (const row of (hours?.results ?? []) as {
		weekday: IsoWeekday;
		opens: string;
		closes: string;
	}[]) {
		weeklyHours[row.weekday] = { opens: row.opens, closes: row.closes };
	}
	return {
		weeklyHours,
		days: ((days?.results ?? []) as DayRow[]).map((row) => ({
			date: row.date,
			kind: row.kind,
			name: row.name,
			source: row.source,
			...(row.opens !== null && row.closes !== null
				? { hours: { opens: row.opens, closes: row.closes } }
				: {}),
		})),
		years: (years?.results ?? []) as CalendarYear[],
	};
}

const cache = new WeakMap<
	D1Database,
	Map<string, { calendar: WorkingCalendar; loadedAt: number }>
>();

/**
 * The office's working calendar in its time zone, from this isolate's copy when it is fresh.
 *
 * @throws RangeError when the stored data is malformed or the time zone unknown.
 */
export async function loadCalendar(
	db: D1Database,
	timeZone: string,
	now = Date.now(),
): Promise<WorkingCalendar> {
	let zones = cache.get(db);
	if (zones === undefined) {
		zones = new Map();
		cache.set(db, zones);
	}
	const cached = zones.get(timeZone);
	if (cached !== undefined && now - cached.loadedAt < CALENDAR_TTL_MS) return cached.calendar;
	const calendar = calendarOf(await readCalendarData(db), timeZone);
	zones.set(timeZone, { calendar, loadedAt: now });
	return calendar;
}

/** Drops this isolate's copy, after an admin changed the calendar. */
export function invalidateCalendar(db: D1Database): void {
	cache.delete(db);
}

/** An admin's change of the listed days: days to add (or replace), dates to remove. */
export interface CalendarChange {
	add: CalendarDay[];
	remove: IsoDate[];
}

/** The calendar's data after a change: removals first, then additions (replacing a date). */
function changedData(data: CalendarData, change: CalendarChange): CalendarData {
	const touched = new Set([...change.remove, ...change.add.map((day) => day.date)]);
	const days = [...data.days.filter((day) => !touched.has(day.date)), ...change.add];
	return { ...data, days: days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)) };
}

function calendarOf(data: CalendarData, timeZone: string): WorkingCalendar {
	return buildCalendar({
		timeZone,
		weeklyHours: data.weeklyHours,
		days: data.days,
		coveredYears: data.years.map((year) => year.year),
	});
}

/** What {@link changeCalendar} did. */
export interface CalendarChangeResult {
	/** Listed days removed (a date that was not listed counts none). */
	removed: number;
	/** Open requests whose queue date or due date moved with the change. */
	replanned: number;
	/**
	 * The requests whose resident (or filing operator) was told a new due date, unless the request
	 * changed before the batch (then its notice wrote nothing): to hand over.
	 */
	told: string[];
}

/**
 * Adds, replaces and removes listed days in one transaction with the re-planning of the open
 * requests the change reaches (see `replanStatements`), the notices telling residents whose due
 * date moved (kept in `pending_notices` until handed over), and its audit row (`calendar.update`,
 * with the dates, how many requests were re-planned and how many told: the notices the batch
 * wrote, counted by it), then drops this isolate's copy of the calendar. A date both removed and added ends up as added (removals run first).
 *
 * @param office - The office's time zone (`OFFICE_TIME_ZONE`), for the calendars compared, and
 *   its WhatsApp number id (`WHATSAPP_PHONE_NUMBER_ID`), for the chats of filing operators.
 */
export async function changeCalendar(
	db: D1Database,
	change: CalendarChange,
	actor: string,
	{ timeZone, officeNumber }: { timeZone: string; officeNumber: string },
): Promise<CalendarChangeResult> {
	const data = await readCalendarData(db);
	const dates = [...change.remove, ...change.add.map((day) => day.date)].sort();
	const since = dates[0];
	const before = calendarOf(data, timeZone);
	const after = calendarOf(changedData(data, change), timeZone);
	const names = new Map(change.add.map((day) => [day.date, day.name]));
	const replan =
		since === undefined
			? { ...NO_NOTICES, replanned: 0, queueMoved: 0 }
			: await replanStatements(db, before, after, since, {
					officeNumber,
					shifts: shiftedDays(before, after, dates, names),
					at: Date.now(),
				});
	const removals = change.remove.map((date) =>
		db.prepare("DELETE FROM calendar_days WHERE date = ?").bind(date),
	);
	const additions = change.add.map((day) =>
		db
			.prepare(
				`INSERT INTO calendar_days (date, kind, name, source, opens, closes) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (date) DO UPDATE SET kind = excluded.kind, name = excluded.name,
					source = excluded.source, opens = excluded.opens, closes = excluded.closes`,
			)
			.bind(
				day.date,
				day.kind,
				day.name,
				day.source,
				day.hours?.opens ?? null,
				day.hours?.closes ?? null,
			),
	);
	const results = await db.batch([
		...removals,
		...additions,
		...replan.statements,
		// `told`: the notices written, not those built (a request changed meanwhile gets none).
		auditStatement(
			db,
			{
				actor,
				action: "calendar.update",
				detail: {
					added: change.add.map((day) => day.date),
					removed: change.remove,
					replanned: replan.replanned,
					queueMoved: replan.queueMoved,
				},
			},
			Date.now(),
			{ counts: { told: replan.toldCount } },
		),
	]);
	invalidateCalendar(db);
	const removed = results
		.slice(0, removals.length)
		.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
	return { removed, replanned: replan.replanned, told: replan.told };
}

/** What {@link declareYear} did. */
export type DeclareYearResult =
	| {
			ok: true;
			created: boolean;
			backfilled: number;
			/** The requests whose resident (or filing operator) was told their first due date. */
			told: string[];
	  }
	/** The year has no holiday or cuti bersama listed: its decree's days must be added first. */
	| { ok: false; reason: "no_days" };

/**
 * Declares a year covered: its holidays and cuti bersama are all listed now, from the decree
 * named (a year already covered gets the new decree, source and verification). In the same
 * transaction the open requests without a due date get one (see `backfillStatements`), with the
 * notices telling residents (submitted, in review, processing) their first due date, kept in
 * `pending_notices` until handed over, and its audit row (`calendar.year`: the year, whether it
 * was new, how many requests were dated and how many told, the notices the batch wrote); then
 * this isolate's copy of the calendar is dropped.
 *
 * Refused while the year has no holiday or cuti bersama listed: every year's decree has some, so
 * a year without any would be declared before its days were added, and due dates would run
 * through its holidays.
 *
 * @param office - The office's time zone (`OFFICE_TIME_ZONE`) and its WhatsApp number id
 *   (`WHATSAPP_PHONE_NUMBER_ID`), for the chats of filing operators.
 */
export async function declareYear(
	db: D1Database,
	year: CalendarYear,
	actor: string,
	{ timeZone, officeNumber }: { timeZone: string; officeNumber: string },
): Promise<DeclareYearResult> {
	const data = await readCalendarData(db);
	const prefix = `${String(year.year).padStart(4, "0")}-`;
	const decreed = data.days.some(
		(day) => day.date.startsWith(prefix) && (day.kind === "holiday" || day.kind === "cuti_bersama"),
	);
	if (!decreed) return { ok: false, reason: "no_days" };
	const created = !data.years.some((each) => each.year === year.year);
	const years = [...data.years.filter((each) => each.year !== year.year), year];
	const backfill = await backfillStatements(db, calendarOf({ ...data, years }, timeZone), {
		officeNumber,
		year: year.year,
		at: Date.now(),
	});
	await db.batch([
		db
			.prepare(
				`INSERT INTO calendar_years (year, decree, source, verification) VALUES (?, ?, ?, ?)
				ON CONFLICT (year) DO UPDATE SET decree = excluded.decree, source = excluded.source,
					verification = excluded.verification`,
			)
			.bind(year.year, year.decree, year.source, year.verification),
		...backfill.statements,
		auditStatement(
			db,
			{
				actor,
				action: "calendar.year",
				detail: { year: year.year, created, backfilled: backfill.backfilled },
			},
			Date.now(),
			{ counts: { told: backfill.toldCount } },
		),
	]);
	invalidateCalendar(db);
	return { ok: true, created, backfilled: backfill.backfilled, told: backfill.told };
}
