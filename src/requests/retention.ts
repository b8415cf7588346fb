/**
 * The D1 side of the retention purge: which closed requests are due, which files they still
 * have, and marking them purged and pseudonymized (./erasure.ts). The purge itself (R2, the Conversation object) is scheduled
 * work in `src/scheduled/retention.ts`.
 *
 * @module
 */

import { auditStatement } from "./audit";
import { eraseRequestStatements } from "./erasure";

/** A closed request whose files, transcript and personal data are due for deletion. */
export interface ExpiredRequest {
	id: string;
	channel: string;
	business_id: string | null;
	resident_id: string | null;
}

/**
 * Requests closed before `closedBefore` (epoch ms) and not erased yet, oldest first: those purged
 * before erasure existed (files gone, NIK kept) come back once to be pseudonymized.
 */
export async function expiredRequests(
	db: D1Database,
	closedBefore: number,
	limit: number,
): Promise<ExpiredRequest[]> {
	const { results } = await db
		.prepare(
			`SELECT id, channel, business_id, resident_id FROM requests
			 WHERE closed_at IS NOT NULL AND closed_at < ? AND erased_at IS NULL
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
 * Marks a request and its files purged at `at` and pseudonymizes the record (what statistics
 * need stays: counts, dates, statuses), with a `retention.purge` audit row by `system`: one batch.
 * The erasure's statements set `purged_at` on the request and its files themselves (kept when
 * already set): a separate UPDATE first would write every row twice, each write billed.
 */
export async function markPurged(
	db: D1Database,
	requestId: string,
	detail: { files: number; retentionDays: number },
	at: number,
): Promise<void> {
	await db.batch([
		...eraseRequestStatements(db, requestId, at),
		auditStatement(db, { actor: "system", action: "retention.purge", requestId, detail }, at),
	]);
}
