/**
 * The D1 side of the retention purge: which closed requests are due, which files they still
 * have, and marking them purged. The purge itself (R2, the Conversation object) is scheduled
 * work in `src/scheduled/retention.ts`.
 *
 * @module
 */

import { auditStatement } from "./audit";

/** A closed request whose files and transcript are due for deletion. */
export interface ExpiredRequest {
	id: string;
	channel: string;
	business_id: string | null;
	resident_id: string | null;
}

/** Requests closed before `closedBefore` (epoch ms) and not purged yet, oldest first. */
export async function expiredRequests(
	db: D1Database,
	closedBefore: number,
	limit: number,
): Promise<ExpiredRequest[]> {
	const { results } = await db
		.prepare(
			`SELECT id, channel, business_id, resident_id FROM requests
			 WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL
			 ORDER BY closed_at LIMIT ?`,
		)
		.bind(closedBefore, limit)
		.all<ExpiredRequest>();
	return results;
}

/** The R2 keys of a request's files not purged yet. */
export async function unpurgedFileKeys(db: D1Database, requestId: string): Promise<string[]> {
	const { results } = await db
		.prepare("SELECT r2_key FROM attachments WHERE request_id = ? AND purged_at IS NULL")
		.bind(requestId)
		.all<{ r2_key: string }>();
	return results.map((a) => a.r2_key);
}

/**
 * Marks a request and its files purged at `at`, keeping the record, its events and the audit
 * trail, with a `retention.purge` audit row by `system`: one batch.
 */
export async function markPurged(
	db: D1Database,
	requestId: string,
	detail: { files: number; retentionDays: number },
	at: number,
): Promise<void> {
	await db.batch([
		db
			.prepare("UPDATE attachments SET purged_at = ? WHERE request_id = ? AND purged_at IS NULL")
			.bind(at, requestId),
		db.prepare("UPDATE requests SET purged_at = ? WHERE id = ?").bind(at, requestId),
		auditStatement(db, { actor: "system", action: "retention.purge", requestId, detail }, at),
	]);
}
