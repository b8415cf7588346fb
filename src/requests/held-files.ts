/**
 * Letting go of the corrected papers held for a revision round (`revision_files`) when the request
 * leaves `needs_revision`, however it leaves: held rows outliving their round would be sent with
 * the next round's submit as if they answered it.
 *
 * @module
 */

/**
 * Deletes the request's held rows once the event `eventId` (written by the same batch) took it out
 * of `needs_revision`, and only while it is not back there (a retried batch after a new round
 * began must not take that round's papers). Their R2 objects stay under the request's prefix and
 * go with its files (the retention purge, an erasure).
 */
export function releaseHeldStatement(
	db: D1Database,
	requestId: string,
	eventId: string,
): D1PreparedStatement {
	return db
		.prepare(
			`DELETE FROM revision_files WHERE request_id = ?
			 AND EXISTS (SELECT 1 FROM request_events WHERE id = ? AND from_status = 'needs_revision')
			 AND NOT EXISTS (SELECT 1 FROM requests WHERE id = ? AND status = 'needs_revision')`,
		)
		.bind(requestId, eventId, requestId);
}
