/**
 * The `dead_letters` table in D1: jobs of residents' Conversation objects that had all their
 * tries, as admins see them. Written by the object (see `src/conversation/work/dead-letter.ts`),
 * and for a staff notice or finished document that could not be handed to the object at all, by
 * `pending-notices.ts` (kinds `notice_handover`, `result_handover`: the row stays there); read and
 * marked retried by the staff API. The job (a draft's NIK and name) stays in the object;
 * the letter's `conversation` names the object, and so the resident's number (never shown).
 *
 * A letter lives as long as its job can still be retried: the object lets a dead job go (and
 * deletes its letter, see {@link expireDeadLetters}) once the chat has been quiet 30 days after
 * it died, and the daily retention deletes letters retried that long ago
 * ({@link deleteRetriedDeadLetters}); an admin's erasure of the resident deletes theirs, and the
 * erasure of a request the letter of its hand-over still kept. Their
 * `conversation` names the resident's phone number, so none is kept for good.
 *
 * @module
 */

import { auditStatement } from "./audit";
import { type Cursor, encodeCursor } from "./cursor";

/** What admins see of a dead-lettered job. */
export interface DeadLetter {
	id: string;
	conversation: string;
	kind: string;
	requestId: string | null;
	error: string;
	attempts: number;
	firstAttemptAt: number;
	lastAttemptAt: number;
	state: DeadLetterState;
	retriedAt: number | null;
	retriedBy: string | null;
}

export const DEAD_LETTER_STATES = ["open", "retried"] as const;
export type DeadLetterState = (typeof DEAD_LETTER_STATES)[number];

interface DeadLetterRow {
	id: string;
	conversation: string;
	kind: string;
	request_id: string | null;
	error: string;
	attempts: number;
	first_attempt_at: number;
	last_attempt_at: number;
	state: DeadLetterState;
	retried_at: number | null;
	retried_by: string | null;
}

function fromRow(row: DeadLetterRow): DeadLetter {
	return {
		id: row.id,
		conversation: row.conversation,
		kind: row.kind,
		requestId: row.request_id,
		error: row.error,
		attempts: row.attempts,
		firstAttemptAt: row.first_attempt_at,
		lastAttemptAt: row.last_attempt_at,
		state: row.state,
		retriedAt: row.retried_at,
		retriedBy: row.retried_by,
	};
}

/**
 * Records a dead letter, or opens it again with the new counts when its retry failed too.
 *
 * @param letter - Its `error` must already be free of personal data.
 */
export async function recordDeadLetter(
	db: D1Database,
	letter: Omit<DeadLetter, "state" | "retriedAt" | "retriedBy">,
): Promise<void> {
	await db
		.prepare(
			`INSERT INTO dead_letters
			 (id, conversation, kind, request_id, error, attempts, first_attempt_at, last_attempt_at)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (id) DO UPDATE SET error = excluded.error, attempts = excluded.attempts,
			 last_attempt_at = excluded.last_attempt_at, state = 'open'`,
		)
		.bind(
			letter.id,
			letter.conversation,
			letter.kind,
			letter.requestId,
			letter.error,
			letter.attempts,
			letter.firstAttemptAt,
			letter.lastAttemptAt,
		)
		.run();
}

/** Dead letters, newest failure first, optionally in one state: a page of `limit`, by keyset cursor. */
export async function listDeadLetters(
	db: D1Database,
	filter: { state?: DeadLetterState; limit: number; cursor?: Cursor },
): Promise<{ letters: DeadLetter[]; nextCursor: string | null }> {
	const where: string[] = [];
	const binds: (string | number)[] = [];
	if (filter.state !== undefined) {
		where.push("state = ?");
		binds.push(filter.state);
	}
	if (filter.cursor !== undefined) {
		where.push("(last_attempt_at < ? OR (last_attempt_at = ? AND id < ?))");
		binds.push(filter.cursor.at, filter.cursor.at, filter.cursor.id);
	}
	const { results } = await db
		.prepare(
			`SELECT * FROM dead_letters ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
			 ORDER BY last_attempt_at DESC, id DESC LIMIT ?`,
		)
		.bind(...binds, filter.limit + 1)
		.all<DeadLetterRow>();
	const page = results.slice(0, filter.limit);
	const last = page.at(-1);
	return {
		letters: page.map(fromRow),
		nextCursor:
			results.length > filter.limit && last ? encodeCursor(last.last_attempt_at, last.id) : null,
	};
}

/** One dead letter, or null. */
export async function findDeadLetter(db: D1Database, id: string): Promise<DeadLetter | null> {
	const row = await db
		.prepare("SELECT * FROM dead_letters WHERE id = ?")
		.bind(id)
		.first<DeadLetterRow>();
	return row === null ? null : fromRow(row);
}

/** Marks a dead letter queued again by `actor`; returns it as it now is. */
export async function markRetried(
	db: D1Database,
	id: string,
	actor: string,
	at: number,
): Promise<DeadLetter | null> {
	const row = await db
		.prepare(
			"UPDATE dead_letters SET state = 'retried', retried_at = ?, retried_by = ? WHERE id = ? RETURNING *",
		)
		.bind(at, actor, id)
		.first<DeadLetterRow>();
	return row === null ? null : fromRow(row);
}

/**
 * Deletes the letters of dead jobs their object let go (kept until the chat had been quiet 30
 * days after they died): nothing is left to retry. Each deletion is audited as
 * `dead_letter.expired` by `system`, once (run again, nothing is deleted and nothing audited).
 */
export async function expireDeadLetters(
	db: D1Database,
	letters: { id: string; kind: string; requestId: string | null }[],
	at: number,
): Promise<void> {
	if (letters.length === 0) return;
	await db.batch(
		letters.flatMap((letter) => [
			db.prepare("DELETE FROM dead_letters WHERE id = ?").bind(letter.id),
			auditStatement(
				db,
				{
					actor: "system",
					action: "dead_letter.expired",
					requestId: letter.requestId,
					detail: { deadLetterId: letter.id, kind: letter.kind },
				},
				at,
				{ onlyIfChanged: true },
			),
		]),
	);
}

/**
 * Deletes the letters retried before `before` and not failed again since (a retry that fails
 * makes its letter open again, with a new last attempt): their jobs are done. For the daily
 * retention.
 *
 * @returns How many were deleted.
 */
export async function deleteRetriedDeadLetters(db: D1Database, before: number): Promise<number> {
	const result = await db
		.prepare("DELETE FROM dead_letters WHERE state = 'retried' AND retried_at < ?")
		.bind(before)
		.run();
	return result.meta.changes;
}
