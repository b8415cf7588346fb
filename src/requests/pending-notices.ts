/**
 * `pending_notices`: what a recipient's Conversation object must be handed, written in the same
 * batch as the change it tells (a staff notice with its status change, a finished document with
 * its record), kept until the object has queued it. Delivery itself is scheduled work
 * (`src/scheduled/`); this module only reads and writes the table.
 *
 * @module
 */

import type { ResultDelivery, StaffNotice } from "./notices";

/** A hand-over whose queuing has not been confirmed yet. */
export type PendingNotice = {
	id: string;
	/** The name of the recipient's Conversation object (`conversationName`). */
	conversation: string;
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
};

function fromRow({ id, conversation, kind, payload }: PendingRow): PendingNotice {
	return kind === "result"
		? { id, conversation, kind, result: JSON.parse(payload) as ResultDelivery }
		: { id, conversation, kind, notice: JSON.parse(payload) as StaffNotice };
}

/**
 * The requests with a row written before `before` (epoch ms), the one with the oldest row
 * first, at most `limit`.
 */
export async function requestsWithPendingNotices(
	db: D1Database,
	before: number,
	limit = 100,
): Promise<string[]> {
	const { results } = await db
		.prepare(
			`SELECT request_id FROM pending_notices WHERE created_at < ?
			 GROUP BY request_id ORDER BY min(created_at) LIMIT ?`,
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
			"SELECT id, conversation, kind, payload FROM pending_notices WHERE request_id = ? ORDER BY created_at, rowid",
		)
		.bind(requestId)
		.all<PendingRow>();
	return results.map(fromRow);
}

/** Forgets a notice or document the object has queued. */
export async function deletePendingNotice(db: D1Database, id: string): Promise<void> {
	await db.prepare("DELETE FROM pending_notices WHERE id = ?").bind(id).run();
}

/** Counts a failed hand-over of a notice or document. */
export async function countNoticeAttempt(db: D1Database, id: string): Promise<void> {
	await db
		.prepare("UPDATE pending_notices SET attempts = attempts + 1 WHERE id = ?")
		.bind(id)
		.run();
}
