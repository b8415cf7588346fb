import type { DueDateMove } from "./schedule";
import type { NewAttachment } from "./submit";

/**
 * Records the corrected documents a resident sent for a request in `needs_revision` and returns
 * it to `submitted`, in one batch. The old files of those documents are kept, marked superseded.
 * Idempotent: the attachment and event ids are fixed by the files, so a retry writes nothing new.
 * When the clock stopped (`dueDate`), the new due date is written by the same update and the
 * event's detail says from which date to which, and how many working days it waited.
 */
export async function resubmitDocuments(
	db: D1Database,
	input: {
		requestId: string;
		files: NewAttachment[];
		at: number;
		/** The due date moved by the days it waited (see `resumedDueDate`), recorded on the event. */
		dueDate?: DueDateMove | null;
	},
): Promise<{ resubmitted: boolean }> {
	const { requestId, files, at } = input;
	if (files.length === 0) throw new TypeError("resubmitDocuments: no files");
	const round = files[0]?.messageId ?? String(at);
	const eventId = `${requestId}:resubmitted:${round}`;
	const ids = files.map((f, i) => `${requestId}:${f.docCode}:${f.messageId ?? `${round}:${i}`}`);
	const docCodes = [...new Set(files.map((f) => f.docCode))];
	const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");
	// Only the first run changes anything: every statement is guarded by "the event is not there yet".
	const notDone = "NOT EXISTS (SELECT 1 FROM request_events WHERE id = ?)";
	const statements: D1PreparedStatement[] = [
		db
			.prepare(
				`UPDATE attachments SET state = 'superseded'
				 WHERE request_id = ? AND state = 'active' AND doc_code IN (${placeholders(docCodes.length)})
				 AND ${notDone}`,
			)
			.bind(requestId, ...docCodes, eventId),
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
				),
		),
		db
			.prepare(
				`UPDATE requests SET status = 'submitted', version = version + 1, updated_at = ?,
				 due_date = coalesce(?, due_date)
				 WHERE id = ? AND status = 'needs_revision' AND ${notDone}`,
			)
			.bind(at, input.dueDate?.to ?? null, requestId, eventId),
		db
			.prepare(
				`INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, reason, detail)
				 SELECT ?, ?, ?, 'resident', 'needs_revision', 'submitted', NULL, ?
				 WHERE changes() > 0 AND ${notDone}`,
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
	];
	const results = await db.batch(statements);
	const eventWrite = results.at(-1);
	return { resubmitted: (eventWrite?.meta.changes ?? 0) > 0 };
}
