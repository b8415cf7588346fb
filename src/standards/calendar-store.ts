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
import { replanStatements } from "../requests/replan";
import {
	buildCalendar,
	type CalendarDay,
	type DayKind,
	type WeeklyHours,
	type WorkingCalendar,
} from "./calendar";
import type { IsoDate, IsoWeekday } from "./iso-date";

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
}

/**
 * Adds, replaces and removes listed days in one transaction with the re-planning of the open
 * requests the change reaches (see `replanStatements`) and its audit row (`calendar.update`,
 * with the dates and how many requests were re-planned), then drops this isolate's copy of the
 * calendar. A date both removed and added ends up as added (removals run first).
 *
 * @param timeZone - The office's time zone (`OFFICE_TIME_ZONE`), for the calendars compared.
 */
export async function changeCalendar(
	db: D1Database,
	change: CalendarChange,
	actor: string,
	timeZone: string,
): Promise<CalendarChangeResult> {
	const data = await readCalendarData(db);
	const dates = [...change.remove, ...change.add.map((day) => day.date)].sort();
	const since = dates[0];
	const replan =
		since === undefined
			? { statements: [], replanned: 0, queueMoved: 0 }
			: await replanStatements(
					db,
					calendarOf(data, timeZone),
					calendarOf(changedData(data, change), timeZone),
					since,
				);
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
		auditStatement(db, {
			actor,
			action: "calendar.update",
			detail: {
				added: change.add.map((day) => day.date),
				removed: change.remove,
				replanned: replan.replanned,
				queueMoved: replan.queueMoved,
			},
		}),
	]);
	invalidateCalendar(db);
	const removed = results
		.slice(0, removals.length)
		.reduce((sum, result) => sum + (result.meta.changes ?? 0), 0);
	return { removed, replanned: replan.replanned };
}
