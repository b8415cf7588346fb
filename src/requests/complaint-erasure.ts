/**
 * Erasure of complaints (UU 27/2022): the resident's words, the photo and the chat identifiers go;
 * what the reports need stays (ticket, dates, status, the request and area it was about). Used by
 * the retention purge (complaints closed `RETENTION_DAYS` ago) and by an admin's erasure of a
 * resident (their complaints, open ones closed by it).
 *
 * @module
 */

import { auditStatement } from "./audit";

/** A complaint whose personal data is due to go, and its photo's R2 prefix. */
export interface ComplaintToErase {
	id: string;
	attachment_key: string | null;
}

/** The R2 prefix under which a complaint's photo is stored. */
export function complaintFilesPrefix(complaintId: string): string {
	return `complaints/${encodeURIComponent(complaintId)}/`;
}

/**
 * The statements that erase one complaint, for the caller's batch; run again they change
 * nothing more. An open complaint is closed by `actor` (its resident can no longer be answered).
 */
export function eraseComplaintStatements(
	db: D1Database,
	complaintId: string,
	at: number,
	actor: string,
): D1PreparedStatement[] {
	return [
		db
			.prepare(
				`UPDATE complaints SET body = '', conversation = '', business_id = '', resident_id = '',
				 attachment_key = NULL, erased_at = coalesce(erased_at, ?1), status = 'closed',
				 closed_at = coalesce(closed_at, ?1), closed_by = coalesce(closed_by, ?2)
				 WHERE id = ?3`,
			)
			.bind(at, actor, complaintId),
		db.prepare("UPDATE complaint_replies SET body = '' WHERE complaint_id = ?").bind(complaintId),
	];
}

/** The complaints, not erased yet, that came from these conversations. */
export async function chatComplaints(
	db: D1Database,
	chats: { businessId: string; residentId: string }[],
): Promise<ComplaintToErase[]> {
	const found: ComplaintToErase[] = [];
	for (const chat of chats) {
		const { results } = await db
			.prepare(
				"SELECT id, attachment_key FROM complaints WHERE business_id = ? AND resident_id = ? AND erased_at IS NULL",
			)
			.bind(chat.businessId, chat.residentId)
			.all<ComplaintToErase>();
		found.push(...results);
	}
	return found;
}

/** Complaints closed before `closedBefore` (epoch ms) and not erased yet, oldest first. */
export async function expiredComplaints(
	db: D1Database,
	closedBefore: number,
	limit: number,
): Promise<ComplaintToErase[]> {
	const { results } = await db
		.prepare(
			`SELECT id, attachment_key FROM complaints
			 WHERE closed_at IS NOT NULL AND closed_at < ? AND erased_at IS NULL
			 ORDER BY closed_at LIMIT ?`,
		)
		.bind(closedBefore, limit)
		.all<ComplaintToErase>();
	return results;
}

/** Erases a complaint at the end of retention, audited as `retention.purge` by `system`. */
export async function purgeComplaint(
	db: D1Database,
	complaintId: string,
	retentionDays: number,
	at: number,
): Promise<void> {
	await db.batch([
		...eraseComplaintStatements(db, complaintId, at, "system"),
		auditStatement(
			db,
			{ actor: "system", action: "retention.purge", detail: { complaintId, retentionDays } },
			at,
		),
	]);
}
