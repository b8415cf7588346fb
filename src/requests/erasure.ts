/**
 * Erasure of residents' personal data in D1 (UU 27/2022): a closed request keeps what the service
 * statistics need (ticket, service, variant, area, channel, dates, statuses, counts of files, notes
 * and events) and loses the NIK, name, phone, chat identifiers, note texts and event reasons.
 * Used by the retention purge and by an admin's erasure of one resident.
 *
 * @module
 */

import { conversationName } from "../channel/address";
import { auditStatement } from "./audit";
import { eraseComplaintStatements } from "./complaint-erasure";

/** What a NIK becomes: sixteen digits, so the column's CHECK holds, and no one's number. */
export const ERASED_NIK = "0000000000000000";

/**
 * The statements that pseudonymize a closed request, for the caller's batch: run again they
 * change nothing more. An open request is left alone (the first statement's WHERE).
 */
export function eraseRequestStatements(
	db: D1Database,
	requestId: string,
	at: number,
): D1PreparedStatement[] {
	return [
		db
			.prepare(
				`UPDATE requests SET nik = ?, resident_name = '', resident_phone = NULL, nik_warnings = '[]',
				 subject_nik = NULL, subject_text = CASE WHEN subject_text IS NULL THEN NULL ELSE '' END,
				 business_id = CASE WHEN business_id IS NULL THEN NULL ELSE '' END,
				 resident_id = CASE WHEN resident_id IS NULL THEN NULL ELSE '' END,
				 purged_at = coalesce(purged_at, ?), erased_at = coalesce(erased_at, ?)
				 WHERE id = ? AND closed_at IS NOT NULL`,
			)
			.bind(ERASED_NIK, at, at, requestId),
		// Only rows with something to erase: an UPDATE that changes nothing is still a row written.
		db
			.prepare("UPDATE request_notes SET text = '' WHERE request_id = ? AND text <> ''")
			.bind(requestId),
		db
			.prepare(
				"UPDATE request_events SET reason = NULL WHERE request_id = ? AND reason IS NOT NULL",
			)
			.bind(requestId),
		// Ids and keys made from a WhatsApp message id carry the phone number: new random ones.
		db
			.prepare(
				`UPDATE attachments SET file_name = NULL, message_id = NULL, purged_at = coalesce(purged_at, ?),
				 id = request_id || ':' || doc_code || ':erased-' || lower(hex(randomblob(8))),
				 r2_key = 'erased/' || request_id || '/' || lower(hex(randomblob(8)))
				 WHERE request_id = ? AND r2_key NOT LIKE 'erased/%'`,
			)
			.bind(at, requestId),
		// A hand-over given up goes with its row: nothing would be left for a retry to hand over.
		db
			.prepare(
				`DELETE FROM dead_letters WHERE id IN
				 (SELECT letter_id FROM pending_notices WHERE request_id = ? AND letter_id IS NOT NULL)`,
			)
			.bind(requestId),
		db.prepare("DELETE FROM pending_notices WHERE request_id = ?").bind(requestId),
		// A home visit's address and contact name the resident; its date and hours stay.
		db
			.prepare(
				`UPDATE home_visits SET address = NULL, contact = NULL WHERE request_id = ?
				 AND (SELECT closed_at FROM requests WHERE id = ?) IS NOT NULL`,
			)
			.bind(requestId, requestId),
		// The survey's answers stay in the figures, unlinked; its free text may name the resident,
		// so it is blanked, but '' keeps the fact one was left: a closed period's suggestions
		// count must not shrink when the retention purge reaches its requests.
		db
			.prepare(
				`UPDATE skm_responses SET request_id = NULL,
				 suggestion = CASE WHEN suggestion IS NULL THEN NULL ELSE '' END WHERE request_id = ?`,
			)
			.bind(requestId),
	];
}

/** Which of `ids` are requests (the rest, in a chat, are drafts that were never submitted). */
export function existingRequestIds(db: D1Database, ids: string[]): Promise<Set<string>> {
	return existingIds(db, "requests", ids);
}

/** Which of `ids` are complaints filed in D1 (the rest were told in a chat and never filed). */
export function existingComplaintIds(db: D1Database, ids: string[]): Promise<Set<string>> {
	return existingIds(db, "complaints", ids);
}

async function existingIds(
	db: D1Database,
	table: "requests" | "complaints",
	ids: string[],
): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const { results } = await db
		.prepare(`SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`)
		.bind(JSON.stringify(ids))
		.all<{ id: string }>();
	return new Set(results.map((row) => row.id));
}

/** How a resident to erase is named: a normalized phone number or a NIK. */
export type ResidentIdentifier = { kind: "phone"; phone: string } | { kind: "nik"; nik: string };

/** A request of the resident to erase. */
export interface ResidentRequestRef {
	id: string;
	ticket: string;
	status: string;
	closed_at: number | null;
	erased_at: number | null;
}

/** A resident's WhatsApp conversation: the office number and the resident's id on it. */
export interface ChatRef {
	businessId: string;
	residentId: string;
}

/** Everything of one resident in D1: their requests and the conversations they wrote from. */
export interface ResidentFootprint {
	requests: ResidentRequestRef[];
	chats: ChatRef[];
}

const REF_COLUMNS = "id, ticket, status, closed_at, erased_at, channel, business_id, resident_id";
type RefRow = ResidentRequestRef & {
	channel: string;
	business_id: string | null;
	resident_id: string | null;
};

/**
 * The requests and conversations of the resident named by `who`: requests with that NIK or phone,
 * the conversations they came from, and every request of those conversations (clearing a chat
 * touches all of them). For a phone, also that number's conversation with each office number the
 * service has seen, so a resident whose only trace is an unsubmitted draft is found too.
 */
export async function residentFootprint(
	db: D1Database,
	who: ResidentIdentifier,
): Promise<ResidentFootprint> {
	const direct =
		who.kind === "nik"
			? db.prepare(`SELECT ${REF_COLUMNS} FROM requests WHERE nik = ?`).bind(who.nik)
			: db
					.prepare(
						`SELECT ${REF_COLUMNS} FROM requests WHERE resident_phone = ?1
						 OR (channel = 'whatsapp' AND resident_id = ?1)`,
					)
					.bind(who.phone);
	const rows = new Map<string, RefRow>();
	for (const row of (await direct.all<RefRow>()).results) rows.set(row.id, row);
	const chats = new Map<string, ChatRef>();
	const addChat = (businessId: string | null, residentId: string | null) => {
		if (businessId && residentId)
			chats.set(`${businessId}:${residentId}`, { businessId, residentId });
	};
	for (const row of rows.values()) {
		// A kelurahan request linked to the resident's number has their chat too.
		addChat(row.business_id, row.resident_id);
	}
	if (who.kind === "phone") {
		const { results } = await db
			.prepare(
				`SELECT DISTINCT business_id FROM requests WHERE channel = 'whatsapp' AND business_id <> ''
				 UNION SELECT business_id FROM handoffs
				 UNION SELECT business_id FROM complaints WHERE business_id <> ''`,
			)
			.all<{ business_id: string }>();
		for (const { business_id } of results) addChat(business_id, who.phone);
	}
	for (const chat of chats.values()) {
		const { results } = await db
			.prepare(`SELECT ${REF_COLUMNS} FROM requests WHERE business_id = ? AND resident_id = ?`)
			.bind(chat.businessId, chat.residentId)
			.all<RefRow>();
		for (const row of results) rows.set(row.id, row);
	}
	return {
		requests: [...rows.values()].map(({ id, ticket, status, closed_at, erased_at }) => ({
			id,
			ticket,
			status,
			closed_at,
			erased_at,
		})),
		chats: [...chats.values()],
	};
}

/** What one erasure did, as recorded (never whose it was). */
export interface ErasureRecord {
	id: string;
	at: number;
	actor: string;
	identifierKind: ResidentIdentifier["kind"];
	requests: number;
	conversations: number;
	files: number;
}

/**
 * Pseudonymizes the resident's closed requests, erases their complaints (open ones closed by the
 * erasure), drops their conversations' hand-offs (with their files' rows), `berhenti` records, dead letters (the objects
 * dropped the jobs) and user-id links (a BSUID tied to the number), and records the erasure
 * (`erasures` row and a `resident.erasure` audit row naming only its id and counts), in one batch.
 */
export async function recordErasure(
	db: D1Database,
	erasure: ErasureRecord,
	requestIds: string[],
	chats: ChatRef[],
	complaintIds: string[] = [],
): Promise<void> {
	await db.batch([
		...requestIds.flatMap((id) => eraseRequestStatements(db, id, erasure.at)),
		...complaintIds.flatMap((id) => eraseComplaintStatements(db, id, erasure.at, erasure.actor)),
		...chats.flatMap((chat) => [
			// A hand-off's files first (their R2 objects are gone already), then the hand-offs.
			db
				.prepare(
					`DELETE FROM handoff_files WHERE handoff_id IN
					 (SELECT id FROM handoffs WHERE business_id = ? AND resident_id = ?)`,
				)
				.bind(chat.businessId, chat.residentId),
			...["handoffs", "resident_opt_outs"].map((table) =>
				db
					.prepare(`DELETE FROM ${table} WHERE business_id = ? AND resident_id = ?`)
					.bind(chat.businessId, chat.residentId),
			),
			db
				.prepare("DELETE FROM dead_letters WHERE conversation = ?")
				.bind(conversationName(chat.businessId, chat.residentId)),
			db
				.prepare(
					"DELETE FROM resident_identities WHERE business_id = ?1 AND (wa_id = ?2 OR user_id = ?2)",
				)
				.bind(chat.businessId, chat.residentId),
		]),
		db
			.prepare(
				`INSERT INTO erasures (id, at, actor, identifier_kind, requests, conversations, files)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`,
			)
			.bind(
				erasure.id,
				erasure.at,
				erasure.actor,
				erasure.identifierKind,
				erasure.requests,
				erasure.conversations,
				erasure.files,
			),
		auditStatement(
			db,
			{
				actor: erasure.actor,
				action: "resident.erasure",
				detail: {
					erasureId: erasure.id,
					identifierKind: erasure.identifierKind,
					requests: erasure.requests,
					conversations: erasure.conversations,
					files: erasure.files,
				},
			},
			erasure.at,
		),
	]);
}
