/**
 * Hand-offs in D1: a resident asked for a person (`petugas`), and the chat waits in the staff's
 * list until someone closes it (or the resident goes back to the bot). Each time the chat is
 * handed over it gets a new random id for the API: the conversation name holds the phone number.
 *
 * @module
 */

import { addWorkingDays, type WorkingCalendar } from "../standards/calendar";
import { addDays } from "../standards/iso-date";
import { instantOf, officeDate } from "../standards/office-clock";
import { auditStatement } from "./audit";
import { type Cursor, encodeCursor } from "./cursor";

/**
 * Working days staff have to answer a hand-off (after it began, or after their last reply)
 * before the bot takes the chat back: the shortest published complaint limit, for light
 * complaints (SP4N-LAPOR, Perpres 76/2013; see the product's public-service notes).
 */
export const HANDOFF_ANSWER_DAYS = 2;

/**
 * When a hand-off still unanswered at `from` ends: the close of the office-local day that is the
 * {@link HANDOFF_ANSWER_DAYS}th working day after `from`'s (midnight after it). In calendar days
 * for a year the calendar does not cover, so a hand-off always ends.
 */
export function handoffAnswerBy(calendar: WorkingCalendar, from: number): number {
	const { timeZone } = calendar;
	const day = officeDate(from, timeZone);
	const due = addWorkingDays(calendar, day, HANDOFF_ANSWER_DAYS);
	const last = due.ok ? due.value : addDays(day, HANDOFF_ANSWER_DAYS);
	return instantOf(addDays(last, 1), 0, timeZone);
}

/** An open hand-off as staff list it. */
export interface HandoffRecord {
	id: string;
	conversation: string;
	business_id: string;
	resident_id: string;
	asked_at: number;
	last_reply_at: number | null;
	resolved_at: number | null;
	resolved_by: string | null;
}

/**
 * Opens the hand-off `id` of a conversation, idempotently: recorded again (a retry, or the
 * resident asking again while held: the dialogue keeps the id), it keeps the time it has been
 * waiting since. The conversation's own hold is the truth: an open row under another id is a
 * hand-off the conversation has left (a close whose D1 write had not landed yet), replaced.
 */
export async function recordHandoffAsk(
	db: D1Database,
	handoff: { id: string; conversation: string; businessId: string; residentId: string; at: number },
): Promise<void> {
	await db
		.prepare(
			`INSERT INTO handoffs (id, conversation, business_id, resident_id, asked_at) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (conversation) DO UPDATE SET
			 asked_at = CASE WHEN handoffs.resolved_at IS NULL AND handoffs.id = excluded.id
			   THEN handoffs.asked_at ELSE excluded.asked_at END,
			 last_reply_at = CASE WHEN handoffs.resolved_at IS NULL AND handoffs.id = excluded.id
			   THEN handoffs.last_reply_at END,
			 id = excluded.id, resolved_at = NULL, resolved_by = NULL`,
		)
		.bind(handoff.id, handoff.conversation, handoff.businessId, handoff.residentId, handoff.at)
		.run();
}

/** The resident went back to the bot: their open hand-off ends (by `resident`). */
export async function endHandoffByResident(
	db: D1Database,
	conversation: string,
	at: number,
): Promise<void> {
	await db
		.prepare(
			"UPDATE handoffs SET resolved_at = ?, resolved_by = 'resident' WHERE conversation = ? AND resolved_at IS NULL AND asked_at <= ?",
		)
		.bind(at, conversation, at)
		.run();
}

/**
 * Nobody answered the hand-off in time (the conversation took the chat back): it is closed as
 * `expired`, audited by `system`. `id` null: the conversation's open one (a hold from before ids).
 * Idempotent: a closed one changes nothing and writes no audit row.
 */
export async function expireHandoff(
	db: D1Database,
	handoff: { conversation: string; id: string | null; at: number },
): Promise<void> {
	const { conversation, id, at } = handoff;
	await db.batch([
		db
			.prepare(
				`UPDATE handoffs SET resolved_at = ?1, resolved_by = 'expired'
				 WHERE conversation = ?2 AND resolved_at IS NULL AND (?3 IS NULL OR id = ?3)`,
			)
			.bind(at, conversation, id),
		auditStatement(
			db,
			{ actor: "system", action: "handoff.expire", detail: { handoffId: id } },
			at,
			{ onlyIfChanged: true },
		),
	]);
}

/** The hand-off with this id, open or not. */
export async function findHandoff(db: D1Database, id: string): Promise<HandoffRecord | null> {
	return db.prepare("SELECT * FROM handoffs WHERE id = ?").bind(id).first<HandoffRecord>();
}

/** Open hand-offs, longest waiting first, by keyset cursor on `(asked_at, id)`. */
export async function openHandoffs(
	db: D1Database,
	page: { limit: number; cursor?: Cursor },
): Promise<{ handoffs: HandoffRecord[]; nextCursor: string | null }> {
	const after = page.cursor;
	const { results } = await db
		.prepare(
			`SELECT * FROM handoffs WHERE resolved_at IS NULL AND id IS NOT NULL
			 ${after ? "AND (asked_at > ? OR (asked_at = ? AND id > ?))" : ""}
			 ORDER BY asked_at, id LIMIT ?`,
		)
		.bind(...(after ? [after.at, after.at, after.id] : []), page.limit + 1)
		.all<HandoffRecord>();
	const rows = results.slice(0, page.limit);
	const last = rows.at(-1);
	return {
		handoffs: rows,
		nextCursor: results.length > page.limit && last ? encodeCursor(last.asked_at, last.id) : null,
	};
}

/** A resident's requests still open, for the staff member taking the chat. */
export async function openRequestsOf(
	db: D1Database,
	businessId: string,
	residentId: string,
): Promise<{ id: string; ticket: string; status: string; service_code: string }[]> {
	const { results } = await db
		.prepare(
			`SELECT id, ticket, status, service_code FROM requests
			 WHERE business_id = ? AND resident_id = ? AND closed_at IS NULL ORDER BY created_at DESC LIMIT 20`,
		)
		.bind(businessId, residentId)
		.all<{ id: string; ticket: string; status: string; service_code: string }>();
	return results;
}

/** A staff message in the hand-off, audited (ids only, never the text). */
export async function recordHandoffReply(
	db: D1Database,
	handoffId: string,
	reply: { id: string; actor: string },
	at = Date.now(),
): Promise<void> {
	await db.batch([
		db.prepare("UPDATE handoffs SET last_reply_at = ? WHERE id = ?").bind(at, handoffId),
		auditStatement(
			db,
			{ actor: reply.actor, action: "handoff.reply", detail: { handoffId, replyId: reply.id } },
			at,
		),
	]);
}

/** Closes a hand-off, audited; closing a closed one changes nothing. */
export async function closeHandoff(
	db: D1Database,
	handoffId: string,
	actor: string,
	at = Date.now(),
): Promise<void> {
	await db.batch([
		db
			.prepare(
				"UPDATE handoffs SET resolved_at = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL",
			)
			.bind(at, actor, handoffId),
		auditStatement(db, { actor, action: "handoff.close", detail: { handoffId } }, at, {
			onlyIfChanged: true,
		}),
	]);
}
