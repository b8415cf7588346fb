/**
 * Open requests re-planned after an admin changed the working calendar: a day closed after
 * requests were queued on it, or due on it, or a Saturday service day removed, would otherwise
 * leave them queued on a closed day, or shown late a day early; and a year declared covered
 * gives a due date to the requests that had none for want of its data. The arithmetic is
 * `src/standards/`; this module reads the requests and writes their new dates, with the notices
 * telling residents a moved due date, or their first one (`./due-date-notices.ts`).
 *
 * @module
 */

import { addWorkingDays, type WorkingCalendar } from "../standards/calendar";
import type { IsoDate } from "../standards/iso-date";
import { replannedDates } from "../standards/replan";
import type { BatchCount } from "./audit";
import {
	type DueDateTelling,
	type DueNotices,
	dueDateNoticeStatements,
	type FirstDueTelling,
	firstDueNoticeStatements,
	type MovedDue,
	NO_NOTICES,
	type TellableDue,
} from "./due-date-notices";
import type { RequestStatus } from "./statuses";

/** Requests written by one statement (a JSON array bound as one parameter). */
const CHUNK = 500;

/** The statements that re-plan, and what they change. */
export interface Replan {
	/** To run in the calendar change's batch, before its audit row. */
	statements: D1PreparedStatement[];
	/** Open requests whose queue date or due date changes. */
	replanned: number;
	/** Of those, the ones whose queue date moves. */
	queueMoved: number;
	/**
	 * The requests whose resident (or filing operator) is told their new due date, unless the
	 * request changed before the batch: to hand over.
	 */
	told: string[];
	/** How many were really told, counted by the batch: for its audit row. */
	toldCount: BatchCount;
}

interface OpenRow {
	id: string;
	ticket: string;
	service_code: string;
	variant_code: string;
	status: RequestStatus;
	channel: string;
	submitted_by: string | null;
	business_id: string | null;
	resident_id: string | null;
	queue_date: string;
	queue_position: number | null;
	due_date: string | null;
}

interface Move {
	id: string;
	/** Before: the write only happens when the row still holds these (no concurrent change). */
	q0: string;
	d0: string | null;
	q: string;
	d: string | null;
	/** The new queue position, when the queue date moves. */
	p: number | null;
}

/** `OPEN_STATUSES` of `./statuses`, as SQL. */
const OPEN = "('submitted', 'in_review', 'needs_revision', 'processing')";

/**
 * Re-plans every open request (not completed, rejected or cancelled) whose queue date or due
 * date is on or after `since`, the earliest date the change touched (see {@link replannedDates}).
 *
 * A request whose queue date moves goes ahead of the requests already queued on its new day, in
 * the order it had: it was queued for an earlier day. Those requests' positions move up by as
 * many, so that positions stay unique per service and day. The quota is not applied to moved
 * requests (they were accepted already; a quota is a planning figure).
 *
 * Each write is conditional on the request still having the dates read here, so a request whose
 * due date moved meanwhile (papers resent) keeps that change. A request filed between the read
 * and the batch, by an isolate that still held the old calendar, is not re-planned.
 *
 * With `telling`, a request whose due date moves is told so (see `./due-date-notices.ts`): its
 * notice is written before the moves, under the same condition.
 */
export async function replanStatements(
	db: D1Database,
	before: WorkingCalendar,
	after: WorkingCalendar,
	since: IsoDate,
	telling?: DueDateTelling,
): Promise<Replan> {
	const { results } = await db
		.prepare(
			`SELECT id, ticket, service_code, variant_code, status, channel, submitted_by, business_id,
				resident_id, queue_date, queue_position, due_date FROM requests
			WHERE status IN ${OPEN} AND queue_date IS NOT NULL AND (queue_date >= ? OR due_date >= ?)
			ORDER BY service_code, queue_date, queue_position, created_at`,
		)
		.bind(since, since)
		.all<OpenRow>();
	const moves: Move[] = [];
	const moved: MovedDue[] = [];
	// Per service and new queue date, how many requests move onto it.
	const arrivals = new Map<string, { s: string; t: string; k: number }>();
	for (const row of results) {
		const next = replannedDates(before, after, {
			queueDate: row.queue_date,
			dueDate: row.due_date,
		});
		if (next === null) continue;
		let position: number | null = null;
		if (next.queueDate !== row.queue_date) {
			const key = `${row.service_code}\u0000${next.queueDate}`;
			const arrival = arrivals.get(key) ?? { s: row.service_code, t: next.queueDate, k: 0 };
			arrival.k++;
			arrivals.set(key, arrival);
			position = arrival.k;
		}
		moves.push({
			id: row.id,
			q0: row.queue_date,
			d0: row.due_date,
			q: next.queueDate,
			d: next.dueDate,
			p: position,
		});
		moved.push({ ...tellable(row), from: row.due_date, to: next.dueDate });
	}
	const notices = telling ? await dueDateNoticeStatements(db, moved, telling) : NO_NOTICES;
	const statements: D1PreparedStatement[] = [];
	// Make room first: the moved requests are not on their new day yet, so they are not shifted.
	const shifts = [...arrivals.values()];
	for (let i = 0; i < shifts.length; i += CHUNK) {
		statements.push(
			db
				.prepare(
					`UPDATE requests SET queue_position = queue_position + json_extract(j.value, '$.k')
					FROM json_each(?) AS j
					WHERE requests.service_code = json_extract(j.value, '$.s')
						AND requests.queue_date = json_extract(j.value, '$.t')
						AND requests.queue_position IS NOT NULL`,
				)
				.bind(JSON.stringify(shifts.slice(i, i + CHUNK))),
		);
	}
	// Before the moves: each notice is written while its request still has the dates read.
	statements.push(...notices.statements);
	for (let i = 0; i < moves.length; i += CHUNK) {
		statements.push(
			db
				.prepare(
					`UPDATE requests SET queue_date = json_extract(j.value, '$.q'),
						due_date = json_extract(j.value, '$.d'),
						queue_position = coalesce(json_extract(j.value, '$.p'), queue_position)
					FROM json_each(?) AS j
					WHERE requests.id = json_extract(j.value, '$.id')
						AND requests.status IN ${OPEN}
						AND requests.queue_date IS json_extract(j.value, '$.q0')
						AND requests.due_date IS json_extract(j.value, '$.d0')`,
				)
				.bind(JSON.stringify(moves.slice(i, i + CHUNK))),
		);
	}
	return {
		statements,
		replanned: moves.length,
		queueMoved: moves.filter((move) => move.p !== null).length,
		told: notices.told,
		toldCount: notices.toldCount,
	};
}

/**
 * Gives a due date to every open request that has a queue date but none (its due date fell in a
 * year the calendar had no data for when it was filed, or resumed): its queue date plus its
 * service's time limit on `calendar`, when that calendar can tell. Each write happens only while
 * the request still has the queue date read and no due date. Days it waited for papers while it
 * had none are not added.
 *
 * With `telling`, the resident (or filing operator) of a request dated in a told status is told
 * its first due date (see `./due-date-notices.ts`): the notice is written before the dating,
 * under the same condition.
 *
 * @returns The statements, for the batch that declares the year, how many requests they date,
 *   the requests told and the count of those really told, for the batch's audit row.
 */
export async function backfillStatements(
	db: D1Database,
	calendar: WorkingCalendar,
	telling?: FirstDueTelling,
): Promise<{ backfilled: number } & DueNotices> {
	const { results } = await db
		.prepare(
			`SELECT r.id, r.ticket, r.service_code, r.variant_code, r.status, r.channel, r.submitted_by,
				r.business_id, r.resident_id, r.queue_date, s.time_limit_days FROM requests r
			JOIN services s ON s.code = r.service_code
			WHERE r.status IN ${OPEN} AND r.due_date IS NULL AND r.queue_date IS NOT NULL`,
		)
		.all<Omit<OpenRow, "queue_position" | "due_date"> & { time_limit_days: number }>();
	const dated = results.flatMap((row) => {
		const due = addWorkingDays(calendar, row.queue_date, row.time_limit_days);
		return due.ok ? [{ row, due: due.value }] : [];
	});
	const notices = telling
		? await firstDueNoticeStatements(
				db,
				dated.map(({ row, due }) => ({ ...tellable(row), dueDate: due })),
				telling,
			)
		: NO_NOTICES;
	// Before the dating: each notice is written while its request still has no due date.
	const statements: D1PreparedStatement[] = [...notices.statements];
	const writes = dated.map(({ row, due }) => ({ id: row.id, q0: row.queue_date, d: due }));
	for (let i = 0; i < writes.length; i += CHUNK) {
		statements.push(
			db
				.prepare(
					`UPDATE requests SET due_date = json_extract(j.value, '$.d')
					FROM json_each(?) AS j
					WHERE requests.id = json_extract(j.value, '$.id') AND requests.due_date IS NULL
						AND requests.queue_date IS json_extract(j.value, '$.q0')
						AND requests.status IN ${OPEN}`,
				)
				.bind(JSON.stringify(writes.slice(i, i + CHUNK))),
		);
	}
	return {
		statements,
		backfilled: dated.length,
		told: notices.told,
		toldCount: notices.toldCount,
	};
}

/** A request row as a due-date notice reads it (whom to tell, what to name). */
function tellable(row: Omit<OpenRow, "queue_position" | "due_date">): TellableDue {
	return {
		id: row.id,
		ticket: row.ticket,
		serviceCode: row.service_code,
		variantCode: row.variant_code,
		status: row.status,
		channel: row.channel,
		submittedBy: row.submitted_by,
		businessId: row.business_id,
		residentId: row.resident_id,
		queueDate: row.queue_date,
	};
}
