/**
 * Hand-offs in D1: a resident asked for a person (`petugas`), and the chat waits in the staff's
 * list until someone closes it (or the resident goes back to the bot, or nobody answers in time).
 * Each time the chat is handed over it is a new row with a random id for the API (the
 * conversation name holds the phone number), kept with its files until the retention purge.
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
 * Opens the hand-off `id` of a conversation, in one batch, idempotently: recorded again (a retry,
 * or the resident asking again while held: the dialogue keeps the id) it changes nothing, so it
 * keeps the time it has been waiting since, and one closed meanwhile stays closed. The
 * conversation's own hold is the truth: another open hand-off of it is one the conversation has
 * left (a close whose D1 write had not landed yet), closed as `superseded`.
 */
export async function recordHandoffAsk(
	db: D1Database,
	handoff: { id: string; conversation: string; businessId: string; residentId: string; at: number },
): Promise<void> {
	await db.batch([
		db
			.prepare(
				`UPDATE handoffs SET resolved_at = ?1, resolved_by = 'superseded'
				 WHERE conversation = ?2 AND resolved_at IS NULL AND id <> ?3`,
			)
			.bind(handoff.at, handoff.conversation, handoff.id),
		db
			.prepare(
				`INSERT INTO handoffs (id, conversation, business_id, resident_id, asked_at)
				 VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			)
			.bind(handoff.id, handoff.conversation, handoff.businessId, handoff.residentId, handoff.at),
	]);
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
			`SELECT * FROM handoffs WHERE resolved_at IS NULL
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

/** A file the resident sent while a person held the chat, as staff list it. */
export interface HandoffFileRow {
	id: string;
	handoff_id: string;
	key: string;
	mime_type: string;
	size: number;
	sha256: string;
	file_name: string | null;
	received_at: number;
}

/** The R2 prefix under which a hand-off's files are stored. */
export function handoffFilesPrefix(handoffId: string): string {
	return `handoffs/${encodeURIComponent(handoffId)}/`;
}

/** A file the resident sent to the staff holding the chat, stored in R2, to record in D1. */
export interface HandoffFile {
	handoffId: string;
	key: string;
	mimeType: string;
	size: number;
	sha256: string;
	fileName?: string;
	at: number;
}

/**
 * Records a file of a hand-off (idempotent on its R2 key). False when no hand-off has this id any
 * more (erased meanwhile) and no row holds the key: the caller deletes the object.
 */
export async function recordHandoffFile(db: D1Database, file: HandoffFile): Promise<boolean> {
	const [, found] = await db.batch<{ n: number }>([
		db
			.prepare(
				`INSERT INTO handoff_files (id, handoff_id, key, mime_type, size, sha256, file_name, received_at)
				 SELECT ?, id, ?, ?, ?, ?, ?, ? FROM handoffs WHERE id = ?
				 ON CONFLICT DO NOTHING`,
			)
			.bind(
				crypto.randomUUID(),
				file.key,
				file.mimeType,
				file.size,
				file.sha256,
				file.fileName ?? null,
				file.at,
				file.handoffId,
			),
		db.prepare("SELECT count(*) AS n FROM handoff_files WHERE key = ?").bind(file.key),
	]);
	return (found?.results[0]?.n ?? 0) > 0;
}

/** The files of a hand-off, oldest first. */
export async function handoffFiles(db: D1Database, handoffId: string): Promise<HandoffFileRow[]> {
	const { results } = await db
		.prepare("SELECT * FROM handoff_files WHERE handoff_id = ? ORDER BY received_at, id")
		.bind(handoffId)
		.all<HandoffFileRow>();
	return results;
}

/** One file of a hand-off, or null. */
export async function findHandoffFile(
	db: D1Database,
	handoffId: string,
	fileId: string,
): Promise<HandoffFileRow | null> {
	return db
		.prepare("SELECT * FROM handoff_files WHERE handoff_id = ? AND id = ?")
		.bind(handoffId, fileId)
		.first<HandoffFileRow>();
}

/** The ids of every hand-off (open or closed) of these conversations, for an erasure. */
export async function chatHandoffIds(
	db: D1Database,
	chats: { businessId: string; residentId: string }[],
): Promise<string[]> {
	const ids: string[] = [];
	for (const chat of chats) {
		const { results } = await db
			.prepare("SELECT id FROM handoffs WHERE business_id = ? AND resident_id = ?")
			.bind(chat.businessId, chat.residentId)
			.all<{ id: string }>();
		ids.push(...results.map((row) => row.id));
	}
	return ids;
}

/** Closed hand-offs resolved before `resolvedBefore` (epoch ms), oldest first: due to go. */
export async function expiredHandoffs(
	db: D1Database,
	resolvedBefore: number,
	limit: number,
): Promise<string[]> {
	const { results } = await db
		.prepare(
			`SELECT id FROM handoffs WHERE resolved_at IS NOT NULL AND resolved_at < ?
			 ORDER BY resolved_at LIMIT ?`,
		)
		.bind(resolvedBefore, limit)
		.all<{ id: string }>();
	return results.map((row) => row.id);
}

/**
 * Deletes a closed hand-off at the end of retention, its files' rows with it (their R2 objects
 * are gone already), audited as `retention.purge` by `system`. Idempotent: a second run deletes
 * and audits nothing.
 */
export async function purgeHandoff(
	db: D1Database,
	handoffId: string,
	retentionDays: number,
	at: number,
): Promise<void> {
	await db.batch([
		db.prepare("DELETE FROM handoff_files WHERE handoff_id = ?").bind(handoffId),
		db.prepare("DELETE FROM handoffs WHERE id = ? AND resolved_at IS NOT NULL").bind(handoffId),
		auditStatement(
			db,
			{ actor: "system", action: "retention.purge", detail: { handoffId, retentionDays } },
			at,
			{ onlyIfChanged: true },
		),
	]);
}
