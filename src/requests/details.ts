/**
 * What the staff see of one request besides its record: status changes, files, notes, the
 * documents its service asks for, and whether its resident asked for a person.
 *
 * @module
 */

import { conversationName } from "../channel/address";
import type { RequestStatus } from "./statuses";

/** A status change of a request. */
export interface EventRow {
	id: string;
	at: number;
	actor: string;
	from_status: RequestStatus | null;
	to_status: RequestStatus;
	reason: string | null;
}

/** A file's metadata (the bytes are in R2 under `r2_key`). */
export interface AttachmentRow {
	id: string;
	request_id: string;
	doc_code: string;
	r2_key: string;
	mime_type: string;
	size: number;
	sha256: string;
	file_name: string | null;
	message_id: string | null;
	state: "active" | "superseded";
	created_at: number;
}

/** An internal note of staff on a request. */
export interface NoteRow {
	id: string;
	at: number;
	author: string;
	text: string;
}

/** A document the service (variant) asks for. */
export interface RequirementRow {
	doc_code: string;
	label_id: string;
	label_en: string;
	required: number;
}

/** A resident's open request for a person (`petugas`/`agent`). */
export interface HandoffRow {
	conversation: string;
	asked_at: number;
}

/** A request's status changes, oldest first. */
export async function requestEvents(db: D1Database, requestId: string): Promise<EventRow[]> {
	const { results } = await db
		.prepare(
			`SELECT id, at, actor, from_status, to_status, reason FROM request_events
			WHERE request_id = ? ORDER BY at, id`,
		)
		.bind(requestId)
		.all<EventRow>();
	return results;
}

/** A request's files, superseded ones included, oldest first. */
export async function requestAttachments(
	db: D1Database,
	requestId: string,
): Promise<AttachmentRow[]> {
	const { results } = await db
		.prepare(
			`SELECT id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id,
				state, created_at
			FROM attachments WHERE request_id = ? ORDER BY created_at, id`,
		)
		.bind(requestId)
		.all<AttachmentRow>();
	return results;
}

/** Staff's internal notes on a request, oldest first. */
export async function requestNotes(db: D1Database, requestId: string): Promise<NoteRow[]> {
	const { results } = await db
		.prepare("SELECT id, at, author, text FROM request_notes WHERE request_id = ? ORDER BY at, id")
		.bind(requestId)
		.all<NoteRow>();
	return results;
}

/** The documents a service variant asks for, in the order residents are asked. */
export async function serviceRequirements(
	db: D1Database,
	serviceCode: string,
	variantCode: string,
): Promise<RequirementRow[]> {
	const { results } = await db
		.prepare(
			`SELECT doc_code, label_id, label_en, required FROM requirements
			WHERE service_code = ? AND variant_code = ? ORDER BY sort_order, doc_code`,
		)
		.bind(serviceCode, variantCode)
		.all<RequirementRow>();
	return results;
}

/** The resident's unresolved request for a person, or null. */
export async function openHandoff(
	db: D1Database,
	businessId: string,
	residentId: string,
): Promise<HandoffRow | null> {
	return db
		.prepare(
			"SELECT conversation, asked_at FROM handoffs WHERE conversation = ? AND resolved_at IS NULL",
		)
		.bind(conversationName(businessId, residentId))
		.first<HandoffRow>();
}

/** The codes of the documents a service variant asks for (to check the ones staff name). */
export async function requirementCodes(
	db: D1Database,
	serviceCode: string,
	variantCode: string,
): Promise<string[]> {
	const { results } = await db
		.prepare("SELECT doc_code FROM requirements WHERE service_code = ? AND variant_code = ?")
		.bind(serviceCode, variantCode)
		.all<{ doc_code: string }>();
	return results.map((r) => r.doc_code);
}
