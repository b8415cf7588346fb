import type { IsoDate } from "../standards/iso-date";
import { releaseHeldStatements } from "./held-files";
import type { StaffNotice } from "./notices";
import { pendingNoticeStatement } from "./pending-notices";
import type { DueDateMove } from "./schedule";
import type { RequestStatus } from "./statuses";
import type { NewAttachment } from "./submit";

/**
 * Records the corrected documents a resident sent for a request in `needs_revision` and returns
 * it to `submitted`, in one batch. The old files of those documents are kept, marked superseded.
 * Nothing is recorded when the request is no longer in `needs_revision` (staff moved it on).
 *
 * Idempotent: the event id is fixed by the round (`at`, the job's time), and every write is
 * guarded by that event's absence, so a retry writes nothing new and still answers `resubmitted`.
 * Attachment ids are random (never derived from the WhatsApp message id, which encodes the
 * phone number); a unique key on (request, document, message) keeps a file from being recorded twice.
 *
 * When the clock stopped (`dueDate`), the new due date is written by the same update and the
 * event's detail says from which date to which, and how many working days it waited.
 *
 * A `notice` (papers sent by the operator who filed it, not by the resident over WhatsApp) is
 * kept in `pending_notices` by the same batch, under the event's id, written only by the run
 * that records the round: the resident learns once that it is back with staff, with its date.
 *
 * @returns `resubmitted` when the corrections are recorded (now or by an earlier run), with the
 *   request's due date now (the clock runs again: the thanks name it; null when its year has no
 *   calendar data); else the request's status, and the caller deletes the files nothing records.
 */
export async function resubmitDocuments(
	db: D1Database,
	input: {
		requestId: string;
		files: NewAttachment[];
		at: number;
		/** The due date moved by the days it waited (see `resumedDueDate`), recorded on the event. */
		dueDate?: DueDateMove | null;
		/** Whom to tell, and what, given the event's id (the notice's id too). */
		notice?: { conversation: string; payload: (id: string) => StaffNotice };
	},
): Promise<
	{ resubmitted: true; dueDate: IsoDate | null } | { resubmitted: false; status: RequestStatus }
> {
	const { requestId, files, at } = input;
	if (files.length === 0) throw new TypeError("resubmitDocuments: no files");
	const eventId = `${requestId}:resubmitted:${at}`;
	const ids = files.map(() => crypto.randomUUID());
	const docCodes = [...new Set(files.map((f) => f.docCode))];
	const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
	// Only the first run changes anything: every statement is guarded by "the event is not there yet".
	const notDone = `NOT EXISTS (SELECT 1 FROM request_events WHERE id = ?)
		AND EXISTS (SELECT 1 FROM requests WHERE id = ? AND status = 'needs_revision')`;
	const statements: D1PreparedStatement[] = [
		db
			.prepare(
				`UPDATE attachments SET state = 'superseded'
				 WHERE request_id = ? AND state = 'active' AND doc_code IN (${placeholders(docCodes.length)})
				 AND ${notDone}`,
			)
			.bind(requestId, ...docCodes, eventId, requestId),
		...files.map((file, i) =>
			db
				.prepare(
					`INSERT INTO attachments (id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id, state, created_at)
					 SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ? WHERE ${notDone}
					 ON CONFLICT DO NOTHING`,
				)
				.bind(
					ids[i],
					requestId,
					file.docCode,
					file.key,
					file.mimeType,
					file.size,
					file.sha256,
					file.fileName ?? null,
					file.messageId ?? null,
					at,
					eventId,
					requestId,
				),
		),
		db
			.prepare(
				`UPDATE requests SET status = 'submitted', version = version + 1, updated_at = ?,
				 due_date = coalesce(?, due_date)
				 WHERE id = ? AND ${notDone}`,
			)
			.bind(at, input.dueDate?.to ?? null, requestId, eventId, requestId),
		db
			.prepare(
				`INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, reason, detail)
				 SELECT ?, ?, ?, 'resident', 'needs_revision', 'submitted', NULL, ?
				 WHERE changes() > 0 AND NOT EXISTS (SELECT 1 FROM request_events WHERE id = ?)`,
			)
			.bind(
				eventId,
				requestId,
				at,
				JSON.stringify({
					documents: docCodes,
					...(input.dueDate ? { dueDate: input.dueDate } : {}),
				}),
				eventId,
			),
		// Right after the event's insert: written only when that inserted the event.
		...(input.notice
			? [
					pendingNoticeStatement(
						db,
						requestId,
						{
							id: eventId,
							conversation: input.notice.conversation,
							payload: input.notice.payload(eventId),
						},
						at,
					),
				]
			: []),
		// Answered (over WhatsApp, or with the papers held through the API): the round is over.
		...releaseHeldStatements(db, requestId, eventId, at),
		db
			.prepare(
				`SELECT EXISTS (SELECT 1 FROM request_events WHERE id = ?) AS done, status, due_date
				 FROM requests WHERE id = ?`,
			)
			.bind(eventId, requestId),
	];
	const results = await db.batch(statements);
	const outcome = results.at(-1)?.results[0] as
		| { done: number; status: RequestStatus; due_date: IsoDate | null }
		| undefined;
	if (outcome?.done === 1) return { resubmitted: true, dueDate: outcome.due_date };
	if (!outcome?.status) throw new Error(`resubmitDocuments: no request ${requestId}`);
	return { resubmitted: false, status: outcome.status };
}
