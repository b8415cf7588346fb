/**
 * `pending_notices`: what a recipient's Conversation object must be handed, written in the same
 * batch as the change it tells (a staff notice with its status change, a finished document with
 * its record), kept until the object has queued it. Delivery itself is scheduled work
 * (`src/scheduled/`) and `src/notices/deliver.ts`; this module only reads and writes the table,
 * and the dead letter of a hand-over given up after its tries.
 *
 * @module
 */

import type { ResultDelivery, StaffNotice } from "./notices";

/**
 * A hand-over is given up after this many failed tries and this long since it was written (or an
 * admin retried it), whichever comes later: as a message to the resident is (12 tries over at
 * least 50 minutes), and the cron tries every 5 minutes, so about an hour of an object that
 * cannot be reached, not a passing hiccup.
 */
export const MAX_HAND_OVER_ATTEMPTS = 12;
export const HAND_OVER_RETRY_MIN_MS = 50 * 60_000;

/**
 * The dead letters' kinds of a staff notice and of a finished document that could not be handed
 * to the recipient's Conversation object (the object's own jobs are `notice` and `result`).
 */
export const HAND_OVER_LETTER_KINDS = {
	notice: "notice_handover",
	result: "result_handover",
} as const;

/** Whether a dead letter is a given-up hand-over (kept here), not a job of a Conversation object. */
export function isHandOverLetter(kind: string): boolean {
	return Object.values(HAND_OVER_LETTER_KINDS).some((each) => each === kind);
}

/** A hand-over whose queuing has not been confirmed yet. */
export type PendingNotice = {
	id: string;
	/** The name of the recipient's Conversation object (`conversationName`). */
	conversation: string;
	/** Given up after its tries: it waits for an admin's retry (see {@link recordHandOverFailure}). */
	givenUp: boolean;
} & (
	| { kind: "notice"; notice: StaffNotice }
	/** A finished document: its id is the attachment's (`sendId`). */
	| { kind: "result"; result: ResultDelivery }
);

/**
 * The insert as a prepared statement for the batch of a status change: written only when the
 * statement just before it changed a row (`changes() > 0`).
 */
export function pendingNoticeStatement(
	db: D1Database,
	requestId: string,
	notice: { id: string; conversation: string; payload: StaffNotice },
	at: number,
): D1PreparedStatement {
	return insertIfChanged(
		db,
		requestId,
		notice.id,
		notice.conversation,
		"notice",
		notice.payload,
		at,
	);
}

/**
 * The insert of a finished document for the batch that records it, under the attachment's id
 * (`result.sendId`): written only when the statement just before it changed a row.
 */
export function pendingResultStatement(
	db: D1Database,
	conversation: string,
	result: ResultDelivery,
	at: number,
): D1PreparedStatement {
	return insertIfChanged(db, result.requestId, result.sendId, conversation, "result", result, at);
}

function insertIfChanged(
	db: D1Database,
	requestId: string,
	id: string,
	conversation: string,
	kind: PendingNotice["kind"],
	payload: StaffNotice | ResultDelivery,
	at: number,
): D1PreparedStatement {
	return db
		.prepare(
			`INSERT INTO pending_notices (id, request_id, conversation, kind, payload, created_at)
			 SELECT ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
		)
		.bind(id, requestId, conversation, kind, JSON.stringify(payload), at);
}

type PendingRow = {
	id: string;
	conversation: string;
	kind: PendingNotice["kind"];
	payload: string;
	given_up_at: number | null;
};

function fromRow({ id, conversation, kind, payload, given_up_at }: PendingRow): PendingNotice {
	const givenUp = given_up_at !== null;
	return kind === "result"
		? { id, conversation, givenUp, kind, result: JSON.parse(payload) as ResultDelivery }
		: { id, conversation, givenUp, kind, notice: JSON.parse(payload) as StaffNotice };
}

/**
 * The requests with a row written before `before` (epoch ms), the one with the oldest row
 * first, at most `limit`; not those with a row given up (it waits for an admin, and the rows
 * after it wait behind it), which would otherwise fill the page for good.
 */
export async function requestsWithPendingNotices(
	db: D1Database,
	before: number,
	limit = 100,
): Promise<string[]> {
	const { results } = await db
		.prepare(
			`SELECT request_id FROM pending_notices WHERE created_at < ?
			 GROUP BY request_id HAVING count(given_up_at) = 0 ORDER BY min(created_at) LIMIT ?`,
		)
		.bind(before, limit)
		.all<{ request_id: string }>();
	return results.map((row) => row.request_id);
}

/** A request's rows, in the order they were written (the order they must be told in). */
export async function pendingNoticesOf(
	db: D1Database,
	requestId: string,
): Promise<PendingNotice[]> {
	const { results } = await db
		.prepare(
			`SELECT id, conversation, kind, payload, given_up_at FROM pending_notices
			 WHERE request_id = ? ORDER BY created_at, rowid`,
		)
		.bind(requestId)
		.all<PendingRow>();
	return results.map(fromRow);
}

/** Forgets a notice or document the object has queued. */
export async function deletePendingNotice(db: D1Database, id: string): Promise<void> {
	await db.prepare("DELETE FROM pending_notices WHERE id = ?").bind(id).run();
}

/**
 * Counts a failed hand-over of a notice or document; once it had its tries and its time
 * ({@link MAX_HAND_OVER_ATTEMPTS}, {@link HAND_OVER_RETRY_MIN_MS}), gives it up: the row stays
 * (what an admin's retry hands over) but is tried no more, and D1's `dead_letters` shows it to
 * admins, in one batch. A row given up before keeps its letter, opened again. Returns whether it
 * was given up.
 *
 * @param failure.error - The last failure, already free of personal data.
 * @param failure.newLetterId - The letter's id if the row has none yet.
 */
export async function recordHandOverFailure(
	db: D1Database,
	id: string,
	failure: { error: string; now: number; newLetterId: string },
): Promise<boolean> {
	const { error, now, newLetterId } = failure;
	const capped = "attempts + 1 >= ?2 AND ?3 - coalesce(retried_at, created_at) >= ?4";
	const [counted] = await db.batch<{ given_up_at: number | null }>([
		db
			.prepare(
				`UPDATE pending_notices SET attempts = attempts + 1,
				 given_up_at = CASE WHEN ${capped} THEN ?3 END,
				 letter_id = CASE WHEN ${capped} THEN coalesce(letter_id, ?5) ELSE letter_id END
				 WHERE id = ?1 AND given_up_at IS NULL RETURNING given_up_at`,
			)
			.bind(id, MAX_HAND_OVER_ATTEMPTS, now, HAND_OVER_RETRY_MIN_MS, newLetterId),
		db
			.prepare(
				`INSERT INTO dead_letters
				 (id, conversation, kind, request_id, error, attempts, first_attempt_at, last_attempt_at)
				 SELECT letter_id, conversation,
				 CASE kind WHEN 'result' THEN ?3 ELSE ?4 END, request_id, ?5, attempts, created_at, ?2
				 FROM pending_notices WHERE id = ?1 AND given_up_at = ?2
				 ON CONFLICT (id) DO UPDATE SET error = excluded.error, attempts = excluded.attempts,
				 last_attempt_at = excluded.last_attempt_at, state = 'open'`,
			)
			.bind(id, now, HAND_OVER_LETTER_KINDS.result, HAND_OVER_LETTER_KINDS.notice, error),
	]);
	return counted?.results[0]?.given_up_at != null;
}

/**
 * An admin's retry of the hand-over given up under dead letter `letterId`: tried again with fresh
 * tries, by the caller now and by the cron after. Returns the request the row is for while one is
 * kept under the letter (retried before and not handed over yet too: the retry is idempotent), or
 * null when none is (handed over since, or its request erased).
 */
export async function reopenHandOver(
	db: D1Database,
	letterId: string,
	now: number,
): Promise<string | null> {
	const [, kept] = await db.batch<{ request_id: string }>([
		db
			.prepare(
				`UPDATE pending_notices SET given_up_at = NULL, attempts = 0, retried_at = ?
				 WHERE letter_id = ? AND given_up_at IS NOT NULL`,
			)
			.bind(now, letterId),
		db.prepare("SELECT request_id FROM pending_notices WHERE letter_id = ?").bind(letterId),
	]);
	return kept?.results[0]?.request_id ?? null;
}
