/**
 * Staff's writes on a request other than status changes (those are in `transitions.ts`): an
 * internal note, and the finished document. Each is written in one batch with its audit row.
 *
 * @module
 */

import { auditStatement } from "./audit";
import type { NoteRow } from "./details";
import type { ResultDelivery } from "./notices";
import { pendingResultStatement } from "./pending-notices";

/** Adds an internal note of `author` (an audit actor) to a request, audited. */
export async function addNote(
	db: D1Database,
	input: { requestId: string; author: string; text: string },
	at = Date.now(),
): Promise<NoteRow> {
	const note: NoteRow = { id: crypto.randomUUID(), at, author: input.author, text: input.text };
	await db.batch([
		db
			.prepare(
				"INSERT INTO request_notes (id, request_id, at, author, text) VALUES (?, ?, ?, ?, ?)",
			)
			.bind(note.id, input.requestId, note.at, note.author, note.text),
		auditStatement(
			db,
			{
				actor: note.author,
				action: "request.note",
				requestId: input.requestId,
				detail: { noteId: note.id },
			},
			note.at,
		),
	]);
	return note;
}

/** The finished document of a request, already stored in R2 under `key`. */
export interface ResultFile {
	attachmentId: string;
	requestId: string;
	key: string;
	size: number;
	sha256: string;
	fileName: string;
	/** The audit actor who uploaded it. */
	actor: string;
}

/** The statuses in which a request takes its finished document. */
export const RESULT_STATUSES = ["processing", "completed"] as const;

/**
 * Records the finished PDF as the request's `hasil` attachment, audited, only while the request
 * is in one of {@link RESULT_STATUSES} and not purged: checked again in the write itself, since
 * the status may have moved during the upload. `delivery`, when someone is to be sent it, is kept
 * in `pending_notices` by the same batch (only if it is recorded), so that the document survives
 * a failure between this commit and the recipient's object queuing it.
 *
 * @returns Whether it was recorded (false: the request left those statuses meanwhile).
 */
export async function recordResult(
	db: D1Database,
	file: ResultFile,
	delivery: { conversation: string; result: ResultDelivery } | null,
	at = Date.now(),
): Promise<boolean> {
	const [inserted] = await db.batch([
		db
			.prepare(
				`INSERT INTO attachments (id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id, state, created_at)
				 SELECT ?, ?, 'hasil', ?, 'application/pdf', ?, ?, ?, NULL, 'active', ?
				 WHERE EXISTS (SELECT 1 FROM requests WHERE id = ? AND status IN ('processing', 'completed') AND purged_at IS NULL)`,
			)
			.bind(
				file.attachmentId,
				file.requestId,
				file.key,
				file.size,
				file.sha256,
				file.fileName,
				at,
				file.requestId,
			),
		auditStatement(
			db,
			{
				actor: file.actor,
				action: "result.upload",
				requestId: file.requestId,
				detail: { attachmentId: file.attachmentId, size: file.size },
			},
			at,
			{ onlyIfChanged: true },
		),
		...(delivery ? [pendingResultStatement(db, delivery.conversation, delivery.result, at)] : []),
	]);
	return (inserted?.meta.changes ?? 0) > 0;
}
