/**
 * Handlers of the working calendar: thin, over `src/standards/calendar-store.ts`.
 *
 * @module
 */

import type { Context } from "hono";
import { settingsOf } from "../../env";
import { Problem } from "../../http/problem";
import { deliverEach } from "../../notices/deliver";
import {
	changeCalendar,
	declareYear as declare,
	readCalendarData,
} from "../../standards/calendar-store";
import { officeDate } from "../../standards/office-clock";
import { actorOf, type StaffEnv, type StaffHandler } from "../types";
import type { ChangeRoute, DeclareYearRoute, ReadRoute } from "./calendar.routes";

/** The calendar as the API shows it, with this year and next reported when not covered. */
async function calendarView(c: Context<StaffEnv>) {
	const timeZone = settingsOf(c.env).get("OFFICE_TIME_ZONE");
	const data = await readCalendarData(c.env.DB);
	const thisYear = Number(officeDate(Date.now(), timeZone).slice(0, 4));
	const covered = new Set(data.years.map((year) => year.year));
	return {
		timeZone,
		officeHours: Object.entries(data.weeklyHours).flatMap(([weekday, hours]) =>
			hours === undefined ? [] : [{ weekday: Number(weekday), ...hours }],
		),
		days: data.days.map((day) => ({ ...day, hours: day.hours ?? null })),
		years: data.years,
		missingYears: [thisYear, thisYear + 1].filter((year) => !covered.has(year)),
	};
}

/** The working calendar. */
export const read: StaffHandler<ReadRoute> = async (c) => c.json(await calendarView(c), 200);

/**
 * Adds, replaces or removes listed days, re-planning the open requests they reach (audited) and
 * telling the residents whose due date moved, then answers the calendar with how many requests
 * were re-planned.
 */
export const change: StaffHandler<ChangeRoute> = async (c) => {
	const body = c.req.valid("json");
	const settings = settingsOf(c.env);
	const { replanned, told } = await changeCalendar(
		c.env.DB,
		{
			add: body.add.map((day) => ({ ...day, source: "admin" })),
			remove: body.remove,
		},
		actorOf(c.get("staff")),
		{
			timeZone: settings.get("OFFICE_TIME_ZONE"),
			officeNumber: settings.get("WHATSAPP_PHONE_NUMBER_ID"),
		},
	);
	// The notices are kept with the change: what is not handed over now goes with the cron.
	await deliverEach(c.env, told);
	return c.json({ ...(await calendarView(c)), replanned }, 200);
};

/**
 * Declares a year covered by its decree (audited), dating open requests that had no due date and
 * telling their residents the date.
 */
export const declareYear: StaffHandler<DeclareYearRoute> = async (c) => {
	const { year } = c.req.valid("param");
	const settings = settingsOf(c.env);
	const result = await declare(
		c.env.DB,
		{ year, ...c.req.valid("json") },
		actorOf(c.get("staff")),
		{
			timeZone: settings.get("OFFICE_TIME_ZONE"),
			officeNumber: settings.get("WHATSAPP_PHONE_NUMBER_ID"),
		},
	);
	if (!result.ok) {
		throw new Problem(
			422,
			"year-without-days",
			"No days listed for the year",
			`${year} has no holiday or cuti bersama listed: add the decree's days with PUT /calendar first.`,
		);
	}
	// The notices are kept with the declaration: what is not handed over now goes with the cron.
	await deliverEach(c.env, result.told);
	return c.json({ ...(await calendarView(c)), backfilled: result.backfilled }, 200);
};
