/**
 * Writing a confirmed request to D1: the request, its attachments and its first event, with the
 * next ticket number of the day, in one transaction.
 *
 * @module
 */

import type { SubjectKind } from "../catalog/catalog";
import { type VisitAnswers, visitAnswersStatement } from "./home-visits";
import { assertOfficeCode, DEFAULT_TIME_ZONE, ticketDay } from "./tickets";

/** A document already stored in R2, to be recorded with the request. */
export interface NewAttachment {
	/** The requirement it answers (`requirements.doc_code`). */
	docCode: string;
	/** Its key in the FILES bucket. */
	key: string;
	mimeType: string;
	/** Bytes. */
	size: number;
	/** Lowercase hex SHA-256 of the bytes. */
	sha256: string;
	/** The name the resident's file had, when it had one. */
	fileName?: string;
	/** The WhatsApp message it came in. */
	messageId?: string;
}

/** A request as confirmed by the resident (or submitted for them at the kelurahan). */
export interface NewRequest {
	/** Fixed when the draft began (uuid): submitting again with the same id changes nothing. */
	id: string;
	channel: "whatsapp" | "kelurahan";
	/** WhatsApp phone_number_id of the office number; required for `whatsapp`. */
	businessId?: string;
	/** WhatsApp wa_id or business-scoped user id; required for `whatsapp`. */
	residentId?: string;
	/** Normalized like a wa_id ("62812..."), for notices. */
	residentPhone?: string;
	residentName: string;
	/** 16 digits, as returned by `parseNik`. */
	nik: string;
	nikWarnings: string[];
	serviceCode: string;
	variantCode: string;
	/** An `areas.code`; an unknown one makes the submission fail. */
	areaCode: string;
	language: "id" | "en";
	/**
	 * Whom the request is about when it is not the applicant: the kind, and the subject's NIK
	 * (`child_nik`, `deceased_nik`) or words (`baby_name`, `move_details`).
	 */
	subject?: { kind: SubjectKind; nik?: string; text?: string };
	/** A home visit's answers (jemput bola): stored in `home_visits`. */
	visit?: VisitAnswers;
	/** Staff id of the kelurahan operator; required for `kelurahan`. */
	submittedBy?: string;
	attachments: NewAttachment[];
	/** Epoch milliseconds of the confirmation: the request's creation time and ticket day. */
	submittedAt: number;
	/** Its queue date and due date (see `planSubmission`); none for a request filed without. */
	schedule?: { queueDate: string; dueDate: string | null };
}

/** Result of {@link submitRequest}. */
export interface SubmitResult {
	/** The request's ticket code, such as "PBM-261128-0042". */
	ticket: string;
	/** `false` when a request with this id already existed (nothing was written). */
	created: boolean;
	/** As recorded (the first call's, on a repeat); null for a request filed without a schedule. */
	queueDate: string | null;
	/** Its place among the service's requests queued that day, from 1. */
	queuePosition: number | null;
	dueDate: string | null;
}

/** Catches caller mistakes with a clear message before they become a constraint failure. */
function check(request: NewRequest): void {
	if (request.id === "") throw new TypeError("submitRequest: the request id is empty");
	if (!Number.isSafeInteger(request.submittedAt)) {
		throw new TypeError("submitRequest: submittedAt must be epoch milliseconds");
	}
	if (
		request.channel === "whatsapp" &&
		(request.businessId === undefined || request.residentId === undefined)
	) {
		throw new TypeError("submitRequest: a WhatsApp request needs businessId and residentId");
	}
	if (request.channel === "kelurahan" && request.submittedBy === undefined) {
		throw new TypeError("submitRequest: a kelurahan request needs submittedBy");
	}
	const keys = new Set(request.attachments.map((a) => a.key));
	if (keys.size !== request.attachments.length) {
		throw new TypeError("submitRequest: two attachments share an R2 key");
	}
}

/**
 * Records a confirmed request with its attachments and its first event (`submitted`), and gives
 * it the next ticket number of its day.
 *
 * Everything is one `db.batch()`, which D1 runs as a transaction: either all of it is written or
 * nothing is (an unknown area, for instance, fails the whole batch and uses no number).
 *
 * Idempotent on `request.id`: the counter is only incremented, and the request only inserted,
 * when no request with that id exists; attachments are only inserted when the first event
 * (id `<request id>:submitted`, written last) does not exist yet. So a retry after a crash, or a
 * concurrent duplicate (D1 runs one batch at a time), returns the first call's ticket with
 * `created: false`, consumes no number and adds nothing; the request keeps the `created_at`,
 * ticket day and attachments of the first successful call.
 *
 * Attachment ids are random: never derived from the WhatsApp message id, which encodes the
 * resident's phone number and would reach the audit log with every file view. A repeat writes no
 * attachment (the event guard above), and a unique key on (request, document, message) keeps one
 * message from being recorded twice for a document. An R2 key already used by another attachment
 * fails the whole submission.
 *
 * The first event's actor is `resident` for WhatsApp and `staff:<submittedBy>` for kelurahan, whose
 * event's detail also names the channel and the filing staff member (`filedBy`).
 *
 * @param db - The D1 database.
 * @param officeCode - `OFFICE_CODE`, the ticket prefix (such as "PBM").
 * @param request - The request to record.
 * @param timeZone - The office's IANA time zone, for the ticket day; `Asia/Jakarta` by default.
 * @param also - Statements of the caller's that must commit with the request or not at all (a
 *   filed draft's deletion: a draft left beside its request could still delete the request's
 *   files). They run after the event, before the ticket is read, on every call: make them
 *   idempotent.
 * @returns The ticket code and whether this call created the request.
 * @throws TypeError or RangeError for a malformed request or office code; D1 errors otherwise.
 */
export async function submitRequest(
	db: D1Database,
	officeCode: string,
	request: NewRequest,
	timeZone: string = DEFAULT_TIME_ZONE,
	also: D1PreparedStatement[] = [],
): Promise<SubmitResult> {
	assertOfficeCode(officeCode);
	check(request);
	const day = ticketDay(request.submittedAt, timeZone);
	const at = request.submittedAt;
	const actor = request.channel === "whatsapp" ? "resident" : `staff:${request.submittedBy}`;
	const queueDate = request.schedule?.queueDate ?? null;

	const openCounter = db
		.prepare("INSERT INTO ticket_counters (day, last) VALUES (?, 0) ON CONFLICT (day) DO NOTHING")
		.bind(day);
	const takeNumber = db
		.prepare(
			`UPDATE ticket_counters SET last = last + 1
			WHERE day = ? AND NOT EXISTS (SELECT 1 FROM requests WHERE id = ?)`,
		)
		.bind(day, request.id);
	const insertRequest = db
		.prepare(
			`INSERT INTO requests (
				id, ticket, channel, business_id, resident_id, resident_phone, resident_name, nik,
				nik_warnings, service_code, variant_code, area_code, status, version, language,
				submitted_by, created_at, updated_at, queue_date, due_date, queue_position,
				subject_kind, subject_nik, subject_text
			)
			SELECT ?, ? || '-' || ? || '-' || printf('%04d', last), ?, ?, ?, ?, ?, ?,
				?, ?, ?, ?, 'submitted', 1, ?,
				?, ?, ?, ?, ?,
				CASE WHEN ? IS NULL THEN NULL ELSE 1 + (
					SELECT count(*) FROM requests WHERE service_code = ? AND queue_date = ?
				) END,
				?, ?, ?
			FROM ticket_counters
			WHERE day = ? AND NOT EXISTS (SELECT 1 FROM requests WHERE id = ?)`,
		)
		.bind(
			request.id,
			officeCode,
			day,
			request.channel,
			request.businessId ?? null,
			request.residentId ?? null,
			request.residentPhone ?? null,
			request.residentName,
			request.nik,
			JSON.stringify(request.nikWarnings),
			request.serviceCode,
			request.variantCode,
			request.areaCode,
			request.language,
			request.submittedBy ?? null,
			at,
			at,
			queueDate,
			request.schedule?.dueDate ?? null,
			queueDate,
			request.serviceCode,
			queueDate,
			request.subject?.kind ?? null,
			request.subject?.nik ?? null,
			request.subject?.text ?? null,
			day,
			request.id,
		);
	// The submitted event doubles as the marker of a finished submission: attachments are only
	// written by the call that writes it, so a repeated call cannot add files to the request.
	const eventId = `${request.id}:submitted`;
	const insertAttachments = request.attachments.map((attachment) =>
		db
			.prepare(
				`INSERT INTO attachments (
					id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id,
					created_at
				)
				SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
				WHERE NOT EXISTS (SELECT 1 FROM request_events WHERE id = ?)`,
			)
			.bind(
				crypto.randomUUID(),
				request.id,
				attachment.docCode,
				attachment.key,
				attachment.mimeType,
				attachment.size,
				attachment.sha256,
				attachment.fileName ?? null,
				attachment.messageId ?? null,
				at,
				eventId,
			),
	);
	// A filed request's first event says so itself: its channel and who filed it.
	const eventDetail =
		request.channel === "kelurahan"
			? JSON.stringify({ channel: "kelurahan", filedBy: request.submittedBy })
			: null;
	const insertEvent = db
		.prepare(
			`INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, detail)
			VALUES (?, ?, ?, ?, NULL, 'submitted', ?)
			ON CONFLICT DO NOTHING`,
		)
		.bind(eventId, request.id, at, actor, eventDetail);
	const readTicket = db
		.prepare("SELECT ticket, queue_date, queue_position, due_date FROM requests WHERE id = ?")
		.bind(request.id);

	const results = await db.batch([
		openCounter,
		takeNumber,
		insertRequest,
		...insertAttachments,
		...(request.visit ? [visitAnswersStatement(db, request.id, request.visit, eventId)] : []),
		insertEvent,
		...also,
		readTicket,
	]);

	const inserted = results[2]?.meta.changes ?? 0;
	const row = results.at(-1)?.results[0] as
		| {
				ticket: string;
				queue_date: string | null;
				queue_position: number | null;
				due_date: string | null;
		  }
		| undefined;
	if (row === undefined) {
		throw new Error("submitRequest: the request is missing after its transaction");
	}
	return {
		ticket: row.ticket,
		created: inserted > 0,
		queueDate: row.queue_date,
		queuePosition: row.queue_position,
		dueDate: row.due_date,
	};
}
