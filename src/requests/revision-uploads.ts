/**
 * Corrected papers uploaded through the staff API for a request in `needs_revision`: held in
 * `revision_files` until the operator submits them, then resubmitted together
 * ({@link resubmitDocuments}), so a revision asking for two documents is answered with both.
 *
 * @module
 */

import type { WorkingCalendar } from "../standards/calendar";
import type { IsoDate } from "../standards/iso-date";
import { audit } from "./audit";
import type { StaffNotice } from "./notices";
import { resubmitDocuments } from "./revision";
import { resumedDueDate } from "./schedule";
import type { RequestStatus } from "./statuses";

/** A held file, as D1 keeps it. */
export interface RevisionFile {
	id: string;
	request_id: string;
	doc_code: string;
	r2_key: string;
	mime_type: string;
	size: number;
	sha256: string;
	created_at: number;
}

/**
 * Holds one uploaded file while the request is in `needs_revision` (held rows belong to the round:
 * see `releaseHeldStatements`); the same bytes for the same document again answer the held file
 * (`created: false`, and the caller deletes its new object). Audited as `revision.file`.
 *
 * @returns null when the request is no longer in `needs_revision` (nothing held: the caller
 *   deletes its new object).
 */
export async function holdRevisionFile(
	db: D1Database,
	file: RevisionFile,
	actor: string,
): Promise<{ file: RevisionFile; created: boolean } | null> {
	const inRevision = "EXISTS (SELECT 1 FROM requests WHERE id = ? AND status = 'needs_revision')";
	const [inserted, selected] = await db.batch([
		db
			.prepare(
				`INSERT INTO revision_files (id, request_id, doc_code, r2_key, mime_type, size, sha256, created_at)
				 SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${inRevision}
				 ON CONFLICT (request_id, doc_code, sha256) DO NOTHING`,
			)
			.bind(
				file.id,
				file.request_id,
				file.doc_code,
				file.r2_key,
				file.mime_type,
				file.size,
				file.sha256,
				file.created_at,
				file.request_id,
			),
		db
			.prepare(
				`SELECT * FROM revision_files WHERE request_id = ? AND doc_code = ? AND sha256 = ?
				 AND ${inRevision}`,
			)
			.bind(file.request_id, file.doc_code, file.sha256, file.request_id),
	]);
	const held = (selected?.results as RevisionFile[] | undefined)?.[0];
	if (held === undefined) return null;
	if ((inserted?.meta.changes ?? 0) > 0) {
		await audit(db, {
			actor,
			action: "revision.file",
			requestId: file.request_id,
			detail: { fileId: file.id, docCode: file.doc_code },
		});
		return { file: held, created: true };
	}
	return { file: held, created: false };
}

/**
 * The documents staff asked for when they last sent the request back for revision (the latest
 * `needs_revision` event's `documents`): the corrections the API takes and waits for, as the
 * resident's WhatsApp revision does. Null when that event names none (asked before documents
 * were recorded): then any document of the service is taken.
 */
export async function askedDocuments(db: D1Database, requestId: string): Promise<string[] | null> {
	const row = await db
		.prepare(
			`SELECT json_extract(detail, '$.documents') AS documents FROM request_events
			 WHERE request_id = ? AND to_status = 'needs_revision' ORDER BY at DESC, rowid DESC LIMIT 1`,
		)
		.bind(requestId)
		.first<{ documents: string | null }>();
	if (row?.documents == null) return null;
	const documents: unknown = JSON.parse(row.documents);
	return Array.isArray(documents) && documents.length > 0
		? documents.filter((code): code is string => typeof code === "string")
		: null;
}

/** The files held for a request, oldest first. */
export async function heldRevisionFiles(
	db: D1Database,
	requestId: string,
): Promise<RevisionFile[]> {
	const { results } = await db
		.prepare("SELECT * FROM revision_files WHERE request_id = ? ORDER BY created_at, id")
		.bind(requestId)
		.all<RevisionFile>();
	return results;
}

/**
 * Resubmits the held files: the request goes back to `submitted` with them as its new
 * attachments (the due date moved by the days it waited), then the held rows go. Idempotent:
 * `resubmitDocuments` records a round once, and the rows are deleted only after it did.
 * `tell` is kept with the round (see `resubmitDocuments`), given the due date moved by the days
 * the request waited (null when it did not move).
 *
 * @returns `resubmitted`, or the request's status when it is no longer in needs_revision.
 */
export async function resubmitHeldFiles(
	db: D1Database,
	calendar: WorkingCalendar,
	requestId: string,
	files: RevisionFile[],
	at: number,
	tell?: { conversation: string; notice: (id: string, moved: IsoDate | null) => StaffNotice },
): Promise<{ resubmitted: true } | { resubmitted: false; status: RequestStatus }> {
	const dueDate = await resumedDueDate(db, calendar, requestId, at);
	const outcome = await resubmitDocuments(db, {
		requestId,
		at,
		files: files.map((f) => ({
			docCode: f.doc_code,
			key: f.r2_key,
			mimeType: f.mime_type,
			size: f.size,
			sha256: f.sha256,
		})),
		dueDate,
		...(tell
			? {
					notice: {
						conversation: tell.conversation,
						payload: (id: string) => tell.notice(id, dueDate?.to ?? null),
					},
				}
			: {}),
	});
	let done = outcome.resubmitted;
	if (!done) {
		// A submit that recorded them and stopped before letting go of the rows: finish that.
		const recorded = await db
			.prepare(
				`SELECT count(*) AS n FROM attachments WHERE request_id = ?
				 AND r2_key IN (SELECT r2_key FROM revision_files WHERE request_id = ?)`,
			)
			.bind(requestId, requestId)
			.first<number>("n");
		done = recorded === files.length;
	}
	if (!done) return outcome;
	await db.prepare("DELETE FROM revision_files WHERE request_id = ?").bind(requestId).run();
	return { resubmitted: true };
}
