/**
 * Letting go of the corrected papers held for a revision round (`revision_files`) when the request
 * leaves `needs_revision`, however it leaves: held rows outliving their round would be sent with
 * the next round's submit as if they answered it. Their R2 objects, a resident's papers, are then
 * deleted by the daily cron unless they became attachments (`released_files`).
 *
 * @module
 */

/** The held rows the event `eventId` lets go (binds: request, event, request). */
const LET_GO = `request_id = ?
	AND EXISTS (SELECT 1 FROM request_events WHERE id = ? AND from_status = 'needs_revision')
	AND NOT EXISTS (SELECT 1 FROM requests WHERE id = ? AND status = 'needs_revision')`;

/**
 * Deletes the request's held rows once the event `eventId` (written by the same batch, before
 * these) took it out of `needs_revision`, and only while it is not back there (a retried batch
 * after a new round began must not take that round's papers). The keys of those that did not
 * become attachments (a submit through the API makes them its attachments) are written to
 * `released_files` first, for the daily cron to delete. Idempotent: a repeat finds no row.
 */
export function releaseHeldStatements(
	db: D1Database,
	requestId: string,
	eventId: string,
	at: number,
): D1PreparedStatement[] {
	return [
		db
			.prepare(
				`INSERT INTO released_files (r2_key, request_id, released_at)
				 SELECT r2_key, request_id, ? FROM revision_files WHERE ${LET_GO}
				 AND r2_key NOT IN (SELECT r2_key FROM attachments WHERE request_id = ?)
				 ON CONFLICT DO NOTHING`,
			)
			.bind(at, requestId, eventId, requestId, requestId),
		db.prepare(`DELETE FROM revision_files WHERE ${LET_GO}`).bind(requestId, eventId, requestId),
	];
}

/** A held paper let go: its key, and whether an attachment holds it (then it is not deleted). */
export interface ReleasedFile {
	key: string;
	attached: boolean;
}

/**
 * Up to `limit` keys of held papers let go (`released_files`), for the daily cron to delete
 * (src/scheduled/retention.ts). A key an attachment holds meanwhile (a submit through the API
 * that read the held rows before they were let go and recorded them after the request came back
 * to `needs_revision`) is marked `attached`: it is forgotten, never deleted.
 */
export async function releasedFiles(db: D1Database, limit: number): Promise<ReleasedFile[]> {
	const { results } = await db
		.prepare(
			`SELECT f.r2_key AS key, EXISTS (SELECT 1 FROM attachments a WHERE a.r2_key = f.r2_key) AS attached
			 FROM released_files f LIMIT ?`,
		)
		.bind(limit)
		.all<{ key: string; attached: number }>();
	return results.map((f) => ({ key: f.key, attached: f.attached === 1 }));
}

/** Forgets the keys of released papers whose objects are deleted (or kept by an attachment). */
export async function forgetReleasedFiles(db: D1Database, keys: string[]): Promise<void> {
	await db
		.prepare("DELETE FROM released_files WHERE r2_key IN (SELECT value FROM json_each(?))")
		.bind(JSON.stringify(keys))
		.run();
}
