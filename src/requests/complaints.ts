/**
 * Complaints (pengaduan, SP4N-LAPOR practice; Perpres 76/2013) in D1: filed by a resident over
 * WhatsApp with a ticket of their own, answered by staff within the office's time limit in
 * working days, then closed. The texts are the resident's words: they never go into logs or
 * audit rows (those name the complaint's id only).
 *
 * @module
 */

import { auditStatement } from "./audit";
import { type Cursor, encodeCursor } from "./cursor";
import { ticketDay } from "./tickets";

export const COMPLAINT_STATUSES = ["open", "answered", "closed"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** The part of a complaint ticket that tells it from a request's: `PBM-ADU-261202-0001`. */
export const COMPLAINT_TICKET_TAG = "ADU";

/** What the resident's conversation files. */
export interface NewComplaint {
	id: string;
	officeCode: string;
	timeZone: string;
	conversation: string;
	businessId: string;
	residentId: string;
	/** The ticket of a request the resident named; kept only when the request is theirs. */
	requestTicket?: string;
	body: string;
	photo?: { key: string; mimeType: string };
	at: number;
	/** Office-local `YYYY-MM-DD` by which it must be answered. */
	dueDate: string;
}

/** A complaint as recorded. */
export interface ComplaintRow {
	id: string;
	ticket: string;
	conversation: string;
	business_id: string;
	resident_id: string;
	request_id: string | null;
	area_code: string | null;
	body: string;
	attachment_key: string | null;
	attachment_type: string | null;
	status: ComplaintStatus;
	created_at: number;
	due_date: string;
	answered_at: number | null;
	closed_at: number | null;
	closed_by: string | null;
	/** The ticket of the request it is about (read with it). */
	request_ticket: string | null;
}

/** A complaint's columns and its request's ticket. */
const COMPLAINT_COLUMNS = `complaints.*,
	(SELECT r.ticket FROM requests r WHERE r.id = complaints.request_id) AS request_ticket`;

/**
 * Records a complaint once: filed again with the same id (a retried job) it changes nothing and
 * answers the ticket given the first time. The ticket's daily number is taken inside the insert,
 * so two complaints of one day never share it. A named request is linked only when it is the
 * resident's own (its area then scopes who on staff sees the complaint).
 */
export async function fileComplaint(
	db: D1Database,
	complaint: NewComplaint,
): Promise<{ ticket: string; dueDate: string }> {
	const prefix = `${complaint.officeCode}-${COMPLAINT_TICKET_TAG}-${ticketDay(complaint.at, complaint.timeZone)}-`;
	const request = complaint.requestTicket
		? await db
				.prepare(
					"SELECT id, area_code FROM requests WHERE ticket = ? AND business_id = ? AND resident_id = ?",
				)
				.bind(complaint.requestTicket, complaint.businessId, complaint.residentId)
				.first<{ id: string; area_code: string }>()
		: null;
	const results = await db.batch([
		db
			.prepare(
				`INSERT INTO complaints (id, ticket, conversation, business_id, resident_id, request_id, area_code,
				 body, attachment_key, attachment_type, status, created_at, due_date)
				 SELECT ?1, ?2 || printf('%04d', count(*) + 1), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open', ?11, ?12
				 FROM complaints WHERE ticket LIKE ?2 || '%'
				 ON CONFLICT (id) DO NOTHING`,
			)
			.bind(
				complaint.id,
				prefix,
				complaint.conversation,
				complaint.businessId,
				complaint.residentId,
				request?.id ?? null,
				request?.area_code ?? null,
				complaint.body,
				complaint.photo?.key ?? null,
				complaint.photo?.mimeType ?? null,
				complaint.at,
				complaint.dueDate,
			),
		auditStatement(
			db,
			{
				actor: "resident",
				action: "complaint.filed",
				requestId: request?.id ?? null,
				detail: { complaintId: complaint.id },
			},
			complaint.at,
			{ onlyIfChanged: true },
		),
		db.prepare("SELECT ticket, due_date FROM complaints WHERE id = ?").bind(complaint.id),
	]);
	const row = results[2]?.results[0] as { ticket: string; due_date: string } | undefined;
	if (row === undefined) throw new Error("complaint not recorded");
	return { ticket: row.ticket, dueDate: row.due_date };
}

/** The complaint with this id or ticket, or null. */
export async function findComplaint(
	db: D1Database,
	idOrTicket: string,
): Promise<ComplaintRow | null> {
	return db
		.prepare(`SELECT ${COMPLAINT_COLUMNS} FROM complaints WHERE id = ?1 OR ticket = upper(?1)`)
		.bind(idOrTicket)
		.first<ComplaintRow>();
}

/** Filters of the staff's complaint list. */
export interface ComplaintFilters {
	status?: ComplaintStatus;
	/** Only complaints still unanswered past their due date (`today`, office-local). */
	overdue?: boolean;
	today: string;
	/** Only complaints about this request. */
	requestId?: string;
	from?: number;
	to?: number;
	/** A kelurahan operator's areas: only complaints about those areas' requests. */
	areas?: string[];
	limit: number;
	cursor?: Cursor;
}

/** Newest first, by keyset cursor. */
export async function listComplaints(
	db: D1Database,
	filters: ComplaintFilters,
): Promise<{ complaints: ComplaintRow[]; nextCursor: string | null }> {
	const where: string[] = [];
	const binds: (string | number)[] = [];
	const add = (clause: string, ...values: (string | number)[]) => {
		where.push(clause);
		binds.push(...values);
	};
	if (filters.status !== undefined) add("status = ?", filters.status);
	if (filters.overdue) add("status = 'open' AND due_date < ?", filters.today);
	if (filters.requestId !== undefined) add("request_id = ?", filters.requestId);
	if (filters.from !== undefined) add("created_at >= ?", filters.from);
	if (filters.to !== undefined) add("created_at < ?", filters.to);
	if (filters.areas !== undefined) {
		add("area_code IN (SELECT value FROM json_each(?))", JSON.stringify(filters.areas));
	}
	if (filters.cursor !== undefined) {
		add(
			"(created_at < ? OR (created_at = ? AND id < ?))",
			filters.cursor.at,
			filters.cursor.at,
			filters.cursor.id,
		);
	}
	const { results } = await db
		.prepare(
			`SELECT ${COMPLAINT_COLUMNS} FROM complaints ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
			 ORDER BY created_at DESC, id DESC LIMIT ?`,
		)
		.bind(...binds, filters.limit + 1)
		.all<ComplaintRow>();
	const page = results.slice(0, filters.limit);
	const last = page.at(-1);
	return {
		complaints: page,
		nextCursor:
			results.length > filters.limit && last ? encodeCursor(last.created_at, last.id) : null,
	};
}

/** A staff answer to a complaint. */
export interface ComplaintReplyRow {
	id: string;
	staff_id: string;
	body: string;
	created_at: number;
}

/** The answers to a complaint, oldest first. */
export async function complaintReplies(
	db: D1Database,
	complaintId: string,
): Promise<ComplaintReplyRow[]> {
	const { results } = await db
		.prepare(
			"SELECT id, staff_id, body, created_at FROM complaint_replies WHERE complaint_id = ? ORDER BY created_at, id",
		)
		.bind(complaintId)
		.all<ComplaintReplyRow>();
	return results;
}

/**
 * Records staff's answer (the complaint becomes `answered` unless it was closed meanwhile; its
 * first answer's time kept), audited with the ids only. Once per `replyId`. The answer is recorded
 * even when the complaint was closed after staff sent it: it was already queued to the resident.
 *
 * @returns false when this `replyId` was recorded before, or the complaint is gone (erased).
 */
export async function recordComplaintReply(
	db: D1Database,
	reply: { id: string; complaintId: string; actor: string; body: string },
	at = Date.now(),
): Promise<boolean> {
	const [inserted] = await db.batch([
		db
			.prepare(
				`INSERT INTO complaint_replies (id, complaint_id, staff_id, body, created_at)
				 SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM complaints WHERE id = ?)
				 ON CONFLICT (id) DO NOTHING`,
			)
			.bind(reply.id, reply.complaintId, reply.actor, reply.body, at, reply.complaintId),
		auditStatement(
			db,
			{
				actor: reply.actor,
				action: "complaint.reply",
				detail: { complaintId: reply.complaintId, replyId: reply.id },
			},
			at,
			{ onlyIfChanged: true },
		),
		db
			.prepare(
				`UPDATE complaints SET answered_at = coalesce(answered_at, ?),
				 status = CASE WHEN closed_at IS NULL THEN 'answered' ELSE status END
				 WHERE id = ? AND EXISTS (SELECT 1 FROM complaint_replies WHERE id = ?)`,
			)
			.bind(at, reply.complaintId, reply.id),
	]);
	return (inserted?.meta.changes ?? 0) > 0;
}

/**
 * Complaints answered and left open whose latest answer is older than `answeredBefore` (epoch
 * ms), oldest first: nobody took them further, and an open complaint is never purged.
 */
export async function staleAnsweredComplaints(
	db: D1Database,
	answeredBefore: number,
	limit: number,
): Promise<string[]> {
	const { results } = await db
		.prepare(
			`SELECT c.id FROM complaints c
			 WHERE c.closed_at IS NULL AND c.status = 'answered'
				AND (SELECT max(r.created_at) FROM complaint_replies r WHERE r.complaint_id = c.id) < ?
			 ORDER BY c.answered_at LIMIT ?`,
		)
		.bind(answeredBefore, limit)
		.all<{ id: string }>();
	return results.map((row) => row.id);
}

/** Closes a complaint, audited; closing a closed one again changes nothing. */
export async function closeComplaint(
	db: D1Database,
	complaintId: string,
	actor: string,
	at = Date.now(),
): Promise<void> {
	await db.batch([
		db
			.prepare(
				"UPDATE complaints SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND closed_at IS NULL",
			)
			.bind(at, actor, complaintId),
		auditStatement(db, { actor, action: "complaint.close", detail: { complaintId } }, at, {
			onlyIfChanged: true,
		}),
	]);
}
