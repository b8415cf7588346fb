/**
 * A daily warning in the logs while the working calendar lacks a year it needs: this year, and
 * from October next year too. Without a year's decree no due date falls in it (requests get
 * none, the digest is not sent), so an admin should list its days and declare it
 * (`PUT /api/v1/calendar/years/{year}`) before requests reach it.
 *
 * @module
 */

import { settingsOf } from "../env";
import { log } from "../log";
import { coversYear } from "../standards/calendar";
import { loadCalendar } from "../standards/calendar-store";
import { yearOf } from "../standards/iso-date";
import { wallClock } from "../standards/office-clock";

/** The office-local hour of the check (the hourly cron's run at that hour; once a day). */
export const CHECK_HOUR = 7;

/**
 * The month from which next year is needed: time limits run up to 60 working days (about three
 * months), so from October a request's due date can fall in January. The decree is usually
 * signed in September.
 */
export const NEXT_YEAR_FROM_MONTH = 10;

/**
 * Logs `calendar.year_missing` (a warning) for each year the calendar should cover now and
 * does not, at the {@link CHECK_HOUR} run of the day.
 *
 * @returns The years it warned about.
 */
export async function warnMissingYears(env: Env, now = Date.now()): Promise<number[]> {
	const timeZone = settingsOf(env).get("OFFICE_TIME_ZONE");
	const clock = wallClock(now, timeZone);
	if (Math.floor(clock.minutes / 60) !== CHECK_HOUR) return [];
	const calendar = await loadCalendar(env.DB, timeZone, now);
	const year = yearOf(clock.date);
	const month = Number(clock.date.slice(5, 7));
	const needed = month >= NEXT_YEAR_FROM_MONTH ? [year, year + 1] : [year];
	const missing = needed.filter((each) => !coversYear(calendar, each));
	for (const each of missing) {
		log.warn("calendar.year_missing", {
			year: each,
			todo: "list the decree's holidays and cuti bersama (PUT /calendar), then PUT /calendar/years/{year}",
		});
	}
	return missing;
}
