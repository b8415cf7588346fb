/**
 * Telling residents that an admin's calendar change moved their request's expected completion
 * date: one staff notice (`kind: "due_date"`) per request whose due date moved, written to
 * `pending_notices` in the calendar change's batch and handed over like a status notice (the
 * same template outside the 24-hour window, the same redelivery by the cron). A year declared
 * covered tells the same way, with the notice's `first` variant, the requests it gives their
 * first due date (filed when their due date fell in that year, which had no data yet).
 *
 * Told only while the office owes the work (submitted, in review, processing), the statuses a
 * resident's `status` reply shows a date for: a request waiting for papers has its clock stopped
 * and gets a new date when they arrive, named by the thanks for them (or the status notice of
 * staff sending it back), so a date given meanwhile, soon moved, would mislead; a finished one
 * has nothing left to wait for. A due date
 * that became unknown (it fell into a year without calendar data) is not told: there is no date
 * to give. Replaying a change moves nothing, so it tells nothing; declaring a year again dates
 * nothing, so it tells nothing either.
 *
 * @module
 */

import type { IsoDate } from "../standards/iso-date";
import type { BatchCount } from "./audit";
import type { CalendarShift, StaffNotice } from "./notices";
import { type RecipientFields, recipientOf } from "./recipients";
import type { RequestStatus } from "./statuses";

/** Statuses whose residents are told a moved (or first) due date. */
const TOLD: readonly RequestStatus[] = ["submitted", "in_review", "processing"];
const TOLD_SQL = "('submitted', 'in_review', 'processing')";

/** Notices written by one statement: each carries its payload, a few hundred bytes. */
const CHUNK = 200;

/** The most changed days a notice names (a decree's days added at once would make a long list). */
export const MAX_SHIFTS = 3;

/** Who is told, and when: what every due-date notice needs. */
interface Telling {
	/** `WHATSAPP_PHONE_NUMBER_ID`: the filing operator's chat, for a resident without one. */
	officeNumber: string;
	/** Epoch ms: the notices' `created_at`, and the instant operators' accounts are checked at. */
	at: number;
}

/** What the calendar change tells, for {@link dueDateNoticeStatements}. */
export interface DueDateTelling extends Telling {
	/** Every day the change opened or closed (a day whose opening did not change is no reason). */
	shifts: CalendarShift[];
}

/** What a year declared covered tells, for {@link firstDueNoticeStatements}. */
export interface FirstDueTelling extends Telling {
	/** The year declared. */
	year: number;
}

/** The notices' inserts, to run in a batch, and what they tell. */
export interface DueNotices {
	statements: D1PreparedStatement[];
	/**
	 * The requests whose notice the inserts write unless the request changed meanwhile: to hand
	 * over after the batch (one that wrote nothing hands over nothing).
	 */
	told: string[];
	/** How many of the notices the batch really wrote, for its audit row (`auditStatement`). */
	toldCount: BatchCount;
}

/** Nobody to tell (no `telling` given): no inserts, and a count of none. */
export const NO_NOTICES: DueNotices = {
	statements: [],
	told: [],
	toldCount: { sql: "SELECT 0", params: [] },
};

/** A notice row: bound as JSON, written only while the request still has `q0` and `d0`. */
interface NoticeRow {
	id: string;
	q0: string;
	d0: string | null;
	n: string;
	c: string;
	p: string;
}

/** What a notice of a request's due date needs of it, as read. */
export interface TellableDue extends RecipientFields {
	id: string;
	ticket: string;
	serviceCode: string;
	variantCode: string;
	status: RequestStatus;
	queueDate: IsoDate;
}

/** An open request the change re-plans, as read for it. */
export interface MovedDue extends TellableDue {
	/** The due date before and after: the notice is written only while the row still has `from`. */
	from: IsoDate | null;
	to: IsoDate | null;
}

/**
 * The inserts of the notices of `moved` (those whose due date moved from one date to another,
 * in a told status, with someone to tell over WhatsApp), to run in the batch before the updates
 * that move them: each is written only while the request still has the status, queue date and
 * due date read (the update's own condition), so a request changed meanwhile is not told a date
 * it does not get. Each notice has a fresh id: a date moved, restored and moved again is told
 * each time, each notice with the date then current and the one before it.
 *
 * @returns The statements, the requests they tell (to hand their notices over after the batch)
 *   and the count of the notices written, for the batch's audit row.
 */
export async function dueDateNoticeStatements(
	db: D1Database,
	moved: readonly MovedDue[],
	telling: DueDateTelling,
): Promise<DueNotices> {
	return noticeStatements(db, moved, telling, (request) => {
		if (request.from === null || request.to === null || request.from === request.to) return null;
		const days = shiftsWithin(telling.shifts, request.queueDate, maxDate(request.from, request.to));
		return {
			told: { kind: "due_date", dueDate: request.to, previous: request.from, days },
			from: request.from,
		};
	});
}

/** An open request a year declared covered gives its first due date, as read for it. */
export interface FirstDue extends TellableDue {
	dueDate: IsoDate;
}

/**
 * The inserts of the notices of `dated` (requests in a told status, with someone to tell over
 * WhatsApp, that had no due date and get `dueDate` now), to run in the batch before the updates
 * that date them: each is written only while the request still has the status and queue date
 * read and no due date (the update's own condition), so declaring the year again, which finds
 * no request without one, tells nothing.
 *
 * @returns The statements, the requests they tell (to hand their notices over after the batch)
 *   and the count of the notices written, for the batch's audit row.
 */
export async function firstDueNoticeStatements(
	db: D1Database,
	dated: readonly FirstDue[],
	telling: FirstDueTelling,
): Promise<DueNotices> {
	return noticeStatements(db, dated, telling, (request) => ({
		told: { kind: "due_date", first: true, dueDate: request.dueDate, year: telling.year },
		from: null,
	}));
}

/** A due-date notice without the fields every notice has (distributed over its two forms). */
type DueNoticeBody =
	Extract<StaffNotice, { kind: "due_date" }> extends infer N
		? N extends StaffNotice
			? Omit<N, "noticeId" | "requestId" | "ticket" | "serviceCode" | "variantCode">
			: never
		: never;

/** What a request is told, and the due date it must still have for its notice to be written. */
interface DueNotice {
	told: DueNoticeBody;
	from: IsoDate | null;
}

/**
 * The notices' inserts: one per request in a told status with someone to tell over WhatsApp
 * (an operator's number looked up once per operator) that `noticeOf` gives a notice, each with a
 * fresh id.
 */
async function noticeStatements<R extends TellableDue>(
	db: D1Database,
	requests: readonly R[],
	telling: Telling,
	noticeOf: (request: R) => DueNotice | null,
): Promise<DueNotices> {
	const rows: NoticeRow[] = [];
	const operators = new Map<string, string | null>();
	for (const request of requests) {
		if (!TOLD.includes(request.status)) continue;
		const due = noticeOf(request);
		if (due === null) continue;
		const conversation = await recipientCached(db, telling, request, operators);
		if (conversation === null) continue;
		const notice: StaffNotice = {
			noticeId: crypto.randomUUID(),
			requestId: request.id,
			ticket: request.ticket,
			serviceCode: request.serviceCode,
			variantCode: request.variantCode,
			...due.told,
		};
		rows.push({
			id: request.id,
			q0: request.queueDate,
			d0: due.from,
			n: notice.noticeId,
			c: conversation,
			p: JSON.stringify(notice),
		});
	}
	return {
		statements: insertStatements(db, rows, telling.at),
		told: rows.map((row) => row.id),
		toldCount: {
			sql: "SELECT count(*) FROM pending_notices WHERE id IN (SELECT value FROM json_each(?))",
			params: [JSON.stringify(rows.map((row) => row.n))],
		},
	};
}

/** The conditional inserts of `rows` into `pending_notices` (`IS` matches a null due date too). */
function insertStatements(
	db: D1Database,
	rows: readonly NoticeRow[],
	at: number,
): D1PreparedStatement[] {
	const statements: D1PreparedStatement[] = [];
	for (let i = 0; i < rows.length; i += CHUNK) {
		statements.push(
			db
				.prepare(
					`INSERT INTO pending_notices (id, request_id, conversation, kind, payload, created_at)
					SELECT json_extract(j.value, '$.n'), r.id, json_extract(j.value, '$.c'), 'notice',
						json_extract(j.value, '$.p'), ?
					FROM json_each(?) AS j JOIN requests r ON r.id = json_extract(j.value, '$.id')
					WHERE r.status IN ${TOLD_SQL}
						AND r.queue_date IS json_extract(j.value, '$.q0')
						AND r.due_date IS json_extract(j.value, '$.d0')`,
				)
				.bind(at, JSON.stringify(rows.slice(i, i + CHUNK))),
		);
	}
	return statements;
}

/**
 * The changed days from `from` to `to` (inclusive), the ones that can have moved a due date
 * planned over that span, in date order, at most {@link MAX_SHIFTS}.
 */
export function shiftsWithin(shifts: readonly CalendarShift[], from: IsoDate, to: IsoDate) {
	return shifts
		.filter((shift) => shift.date >= from && shift.date <= to)
		.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
		.slice(0, MAX_SHIFTS);
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
	return a > b ? a : b;
}

async function recipientCached(
	db: D1Database,
	telling: Telling,
	request: RecipientFields,
	operators: Map<string, string | null>,
): Promise<string | null> {
	const operator =
		request.businessId && request.residentId
			? null
			: request.channel === "kelurahan"
				? request.submittedBy
				: null;
	if (operator !== null && operators.has(operator)) return operators.get(operator) ?? null;
	const name = await recipientOf(db, telling.officeNumber, request, telling.at);
	if (operator !== null) operators.set(operator, name);
	return name;
}
