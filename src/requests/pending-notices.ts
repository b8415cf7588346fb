/**
 * `pending_notices`: a staff notice written in the same batch as the status change it tells,
 * kept until the resident's Conversation object has queued it. Delivery itself is scheduled work
 * (`src/scheduled/`); this module only reads and writes the table.
 *
 * @module
 */

import type { StaffNotice } from "./notices";

/** A notice whose queuing has not been confirmed yet. */
export interface PendingNotice {
	id: string;
	/** The name of the resident's Conversation object (`conversationName`). */
	conversation: string;
	notice: StaffNotice;
}

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
	return db
		.prepare(
			`INSERT INTO pending_notices (id, request_id, conversation, payload, created_at)
			 SELECT ?, ?, ?, ?, ? WHERE changes() > 0`,
		)
		.bind(notice.id, requestId, notice.conversation, JSON.stringify(notice.payload), at);
}

/** The oldest notices written before `before` (epoch ms), at most `limit`. */
export async function pendingNotices(
	db: D1Database,
	before: number,
	limit = 100,
): Promise<PendingNotice[]> {
	const { results } = await db
		.prepare(
			"SELECT id, conversation, payload FROM pending_notices WHERE created_at < ? ORDER BY created_at LIMIT ?",
		)
		.bind(before, limit)
		.all<{ id: string; conversation: string; payload: string }>();
	return results.map((row) => ({
		id: row.id,
		conversation: row.conversation,
		notice: JSON.parse(row.payload) as StaffNotice,
	}));
}

/** Forgets a notice the object has queued. */
export async function deletePendingNotice(db: D1Database, id: string): Promise<void> {
	await db.prepare("DELETE FROM pending_notices WHERE id = ?").bind(id).run();
}

/** Counts a failed hand-over of a notice. */
export async function countNoticeAttempt(db: D1Database, id: string): Promise<void> {
	await db
		.prepare("UPDATE pending_notices SET attempts = attempts + 1 WHERE id = ?")
		.bind(id)
		.run();
}
