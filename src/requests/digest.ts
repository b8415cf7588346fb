/**
 * The morning digest's counts: requests new since the previous working day began, due on the
 * day, and overdue, overall and by service; complaints whose answer is due or overdue. D1 only; the caller gives the office-local day and
 * the instants that bound "new".
 *
 * @module
 */

import { isWorkingDay } from "../standards/calendar";
import { loadCalendar } from "../standards/calendar-store";
import { addDays, type IsoDate } from "../standards/iso-date";
import { instantOf } from "../standards/office-clock";

/** Statuses in which the office owes the work (not `needs_revision`: its clock is stopped). */
const OWED = "('submitted', 'in_review', 'processing')";

/** One line of the digest. */
export interface DigestCounts {
	/** Requests created in the digest's "new" span. */
	new: number;
	/** Requests the office still owes whose due date is the day. */
	dueToday: number;
	/** Requests the office still owes whose due date is before the day. */
	overdue: number;
}

/** Complaints not answered yet (`open`), by their answer's due date. */
export interface ComplaintCounts {
	/** Due on the day. */
	dueToday: number;
	/** Due before the day. */
	overdue: number;
}

/** The digest of one office-local day. */
export interface Digest {
	date: string;
	totals: DigestCounts;
	/** Services with something to count, by code. */
	services: ({ code: string } & DigestCounts)[];
	complaints: ComplaintCounts;
}

/**
 * Counts the digest of `date` (office-local `YYYY-MM-DD`).
 *
 * @param newSince - Epoch ms: requests created from here ...
 * @param newUntil - ... up to (not including) here count as new.
 */
export async function countDigest(
	db: D1Database,
	date: string,
	newSince: number,
	newUntil: number,
): Promise<Digest> {
	const { results } = await db
		.prepare(
			`SELECT service_code AS code,
				SUM(CASE WHEN created_at >= ?1 AND created_at < ?2 THEN 1 ELSE 0 END) AS new,
				SUM(CASE WHEN status IN ${OWED} AND due_date = ?3 THEN 1 ELSE 0 END) AS dueToday,
				SUM(CASE WHEN status IN ${OWED} AND due_date < ?3 THEN 1 ELSE 0 END) AS overdue
			FROM requests
			WHERE (created_at >= ?1 AND created_at < ?2) OR (status IN ${OWED} AND due_date <= ?3)
			GROUP BY service_code
			ORDER BY service_code`,
		)
		.bind(newSince, newUntil, date)
		.all<{ code: string } & DigestCounts>();
	const totals: DigestCounts = { new: 0, dueToday: 0, overdue: 0 };
	for (const row of results) {
		totals.new += row.new;
		totals.dueToday += row.dueToday;
		totals.overdue += row.overdue;
	}
	// The same rule as the complaints' `overdue` filter: unanswered, due before the day.
	const complaints = await db
		.prepare(
			`SELECT coalesce(SUM(CASE WHEN due_date = ?1 THEN 1 ELSE 0 END), 0) AS dueToday,
				coalesce(SUM(CASE WHEN due_date < ?1 THEN 1 ELSE 0 END), 0) AS overdue
			FROM complaints WHERE status = 'open' AND due_date <= ?1`,
		)
		.bind(date)
		.first<ComplaintCounts>();
	return {
		date,
		totals,
		services: results,
		complaints: complaints ?? { dueToday: 0, overdue: 0 },
	};
}

/** How far back the previous working day is looked for (the longest cuti bersama is shorter). */
const LOOK_BACK_DAYS = 21;

/**
 * The working day before `date`, or the calendar day before when the calendar has no data for
 * it (a digest still counts something; the due dates themselves are never guessed).
 */
async function previousWorkingDay(
	db: D1Database,
	timeZone: string,
	date: IsoDate,
): Promise<IsoDate> {
	const calendar = await loadCalendar(db, timeZone);
	for (let back = 1; back <= LOOK_BACK_DAYS; back++) {
		const day = addDays(date, -back);
		const working = isWorkingDay(calendar, day);
		if (!working.ok) break;
		if (working.value) return day;
	}
	return addDays(date, -1);
}

/**
 * The digest of the office-local `date`. "New" are the requests created from the start of the
 * previous working day up to the start of `date`, so on a Monday the weekend's requests count
 * too, and over a run of working mornings each request is new in exactly one digest.
 */
export async function digestOf(db: D1Database, timeZone: string, date: IsoDate): Promise<Digest> {
	const since = instantOf(await previousWorkingDay(db, timeZone, date), 0, timeZone);
	return countDigest(db, date, since, instantOf(date, 0, timeZone));
}

/**
 * The digest's one-line summary, in Indonesian (the template's language), e.g. "3 baru, ...";
 * complaints waiting for an answer that is due are added only when there are any.
 */
export function digestSummary(
	totals: DigestCounts,
	complaints: ComplaintCounts = { dueToday: 0, overdue: 0 },
): string {
	const requests = `${totals.new} baru, ${totals.dueToday} jatuh tempo hari ini, ${totals.overdue} terlambat`;
	if (complaints.dueToday === 0 && complaints.overdue === 0) return requests;
	return `${requests}; pengaduan belum dijawab: ${complaints.dueToday} jatuh tempo hari ini, ${complaints.overdue} terlambat`;
}
