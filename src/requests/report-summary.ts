/**
 * The office's summary report of a period, overall and by service, kelurahan, day or channel.
 * D1 only; the figures are tallied by `report-figures.ts`.
 *
 * What each source counts (one period `[from, to)` for all three):
 * - requests: those created in the period, by their status now; their completion figures use
 *   the working calendar like due dates do (see {@link completionDays});
 * - complaints: those made in the period. A complaint about a request counts in that request's
 *   service, kelurahan and channel; one about no request counts only in the overall total. By
 *   day, every complaint counts on the office day it was made;
 * - SKM surveys: those finished in the period, in the service and kelurahan they were about; by
 *   channel through their request (none once the request is erased: total only); by day on the
 *   office day they were finished.
 *
 * Rows are read a page at a time ({@link keysetPages}), so a year's report holds only its tallies.
 *
 * @module
 */

import { type WorkingCalendar, workingDaysBetween } from "../standards/calendar";
import { loadCalendar } from "../standards/calendar-store";
import { officeDate } from "../standards/office-clock";
import { type KeysetQuery, type KeysetRow, keysetPages } from "./keyset";
import {
	addRequest,
	addSurvey,
	figuresOf,
	newTally,
	type SummaryFigures,
	type Tally,
} from "./report-figures";
import type { RequestStatus } from "./statuses";

/** How the summary's groups are cut. */
export const SUMMARY_GROUPINGS = ["service", "kelurahan", "day", "channel"] as const;
export type SummaryGrouping = (typeof SUMMARY_GROUPINGS)[number];

/** What the summary is asked for. */
export interface SummaryQuery {
	/** Epoch ms, inclusive. */
	from: number;
	/** Epoch ms, exclusive. */
	to: number;
	groupBy: SummaryGrouping;
	/** A kelurahan operator's areas: every source is limited to them. Null: the whole office. */
	areas: string[] | null;
	timeZone: string;
	/** The instant "overdue" is judged at. */
	now: number;
}

/** One group of the summary. */
export interface SummaryGroup extends SummaryFigures {
	/** The service code, area code, office-local date or channel. */
	key: string;
	/** The service's or area's name; the key itself for a day or a channel. */
	label: string;
}

/** The summary of a period. */
export interface Summary {
	totals: SummaryFigures;
	groups: SummaryGroup[];
}

/** Statuses in which the office owes the work (as the digest counts overdue). */
const OWED: readonly RequestStatus[] = ["submitted", "in_review", "processing"];

interface RequestRow extends KeysetRow {
	status: RequestStatus;
	service_code: string;
	area_code: string;
	channel: string;
	queue_date: string | null;
	due_date: string | null;
	closed_at: number | null;
	revisions: number;
}

interface ComplaintRow extends KeysetRow {
	service_code: string | null;
	area_code: string | null;
	channel: string | null;
}

interface SurveyRow extends ComplaintRow {
	u1: number | null;
	u2: number | null;
	u3: number | null;
	u4: number | null;
	u5: number | null;
	u6: number | null;
	u7: number | null;
	u8: number | null;
	u9: number | null;
}

/** The period's conditions on a time column, and the area's when the caller has one. */
function scoped(query: SummaryQuery, time: string, area: string): Omit<KeysetQuery, "select"> {
	const where = [`${time} >= ?`, `${time} < ?`];
	const binds: (string | number)[] = [query.from, query.to];
	if (query.areas !== null) {
		where.push(`${area} IN (SELECT value FROM json_each(?))`);
		binds.push(JSON.stringify(query.areas));
	}
	const id = `${time.split(".")[0]}.id`;
	return { where, binds, at: time, id };
}

/**
 * Working days from a request's queue date (its office-local creation day when it has none) to
 * the office day it was completed, counted like due dates (`workingDaysBetween`: the days after
 * the queue date up to and including the completion day, so done on the queue day is 0 and done
 * on the due date is the service's time limit). Elapsed time: the days it waited for the
 * resident's papers are in it (they move the due date instead). Null when the calendar has no
 * data for those days.
 */
function completionDays(calendar: WorkingCalendar, row: RequestRow, done: string): number | null {
	const start = row.queue_date ?? officeDate(row.key_at, calendar.timeZone);
	const days = workingDaysBetween(calendar, start, done);
	return days.ok ? Math.max(0, days.value) : null;
}

/** The group a row falls in, or null when it belongs to the total only. */
type KeyOf<R> = (row: R) => string | null;

/** Tallies of each group, created as rows reach them. */
class Tallies {
	readonly total = newTally();
	readonly groups = new Map<string, Tally>();

	/** The total's tally and, when the row has a group, the group's. */
	of(key: string | null): Tally[] {
		if (key === null) return [this.total];
		let group = this.groups.get(key);
		if (group === undefined) {
			group = newTally();
			this.groups.set(key, group);
		}
		return [this.total, group];
	}
}

/** Names of the groups' keys: services' and areas' names from the catalog. */
async function labels(db: D1Database, groupBy: SummaryGrouping): Promise<Map<string, string>> {
	if (groupBy !== "service" && groupBy !== "kelurahan") return new Map();
	const sql =
		groupBy === "service"
			? "SELECT code, label_id AS label FROM services"
			: "SELECT code, name AS label FROM areas";
	const { results } = await db.prepare(sql).all<{ code: string; label: string }>();
	return new Map(results.map((row) => [row.code, row.label]));
}

/**
 * The summary of a period: totals and one group per key that any source reached, by key.
 */
export async function reportSummary(db: D1Database, query: SummaryQuery): Promise<Summary> {
	const calendar = await loadCalendar(db, query.timeZone);
	const today = officeDate(query.now, query.timeZone);
	const dayOf = (at: number) => officeDate(at, query.timeZone);
	const tallies = new Tallies();

	const byRequest: Record<SummaryGrouping, KeyOf<RequestRow>> = {
		service: (row) => row.service_code,
		kelurahan: (row) => row.area_code,
		day: (row) => dayOf(row.key_at),
		channel: (row) => row.channel,
	};
	const requests = keysetPages<RequestRow>(db, {
		select: `SELECT r.id AS key_id, r.created_at AS key_at, r.status, r.service_code, r.area_code,
			r.channel, r.queue_date, r.due_date, r.closed_at,
			(SELECT count(*) FROM request_events e
				WHERE e.request_id = r.id AND e.to_status = 'needs_revision') AS revisions
			FROM requests r`,
		...scoped(query, "r.created_at", "r.area_code"),
	});
	for await (const page of requests) {
		for (const row of page) {
			const done =
				row.status === "completed" && row.closed_at !== null ? dayOf(row.closed_at) : null;
			const facts = {
				status: row.status,
				overdue: OWED.includes(row.status) && row.due_date !== null && row.due_date < today,
				workingDays: done === null ? null : completionDays(calendar, row, done),
				withinLimit: done === null || row.due_date === null ? null : done <= row.due_date,
				revisions: row.revisions,
			};
			for (const tally of tallies.of(byRequest[query.groupBy](row))) addRequest(tally, facts);
		}
	}

	// A complaint or a survey is grouped by its request's facts, but by its own day.
	const byOther = (row: ComplaintRow): string | null =>
		query.groupBy === "day"
			? dayOf(row.key_at)
			: query.groupBy === "kelurahan"
				? row.area_code
				: query.groupBy === "service"
					? row.service_code
					: row.channel;
	const complaints = keysetPages<ComplaintRow>(db, {
		select: `SELECT c.id AS key_id, c.created_at AS key_at, r.service_code, c.area_code, r.channel
			FROM complaints c LEFT JOIN requests r ON r.id = c.request_id`,
		...scoped(query, "c.created_at", "c.area_code"),
	});
	for await (const page of complaints) {
		for (const row of page) for (const tally of tallies.of(byOther(row))) tally.complaints++;
	}

	const surveys = keysetPages<SurveyRow>(db, {
		select: `SELECT s.id AS key_id, s.finished_at AS key_at, s.service_code, s.area_code,
			r.channel, s.u1, s.u2, s.u3, s.u4, s.u5, s.u6, s.u7, s.u8, s.u9
			FROM skm_responses s LEFT JOIN requests r ON r.id = s.request_id`,
		...scoped(query, "s.finished_at", "s.area_code"),
	});
	for await (const page of surveys) {
		for (const row of page) {
			const answers = [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9];
			for (const tally of tallies.of(byOther(row))) addSurvey(tally, answers);
		}
	}

	const names = await labels(db, query.groupBy);
	return {
		totals: figuresOf(tallies.total),
		groups: [...tallies.groups.entries()]
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([key, tally]) => ({ key, label: names.get(key) ?? key, ...figuresOf(tally) })),
	};
}
