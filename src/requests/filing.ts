/**
 * Requests filed for a resident through the staff API (issue 11): the draft and its files in D1
 * (`filing_drafts`, `filing_files`) until it is submitted, then the request itself, written by
 * {@link submitRequest} with the draft's id so that a repeated submit finds it.
 *
 * @module
 */

import { auditStatement } from "./audit";
import type { ResidentIdentifier } from "./erasure";
import { type NewRequest, type SubmitResult, submitRequest } from "./submit";

/** A draft as stored. */
export interface FilingDraft {
	id: string;
	service_code: string;
	variant_code: string;
	area_code: string;
	nik: string;
	/** JSON array of NIK warnings. */
	nik_warnings: string;
	resident_name: string;
	resident_phone: string | null;
	language: "id" | "en";
	consent_at: number;
	/** The filing staff member's id. */
	filed_by: string;
	created_at: number;
}

/** A draft's file, already in R2. */
export interface FilingFile {
	id: string;
	draft_id: string;
	doc_code: string;
	r2_key: string;
	mime_type: string;
	size: number;
	sha256: string;
	created_at: number;
}

/** Creates a draft, audited as `filing.create` (ids and codes only) in the same batch. */
export async function insertDraft(
	db: D1Database,
	draft: FilingDraft,
	actor: string,
): Promise<void> {
	await db.batch([
		db
			.prepare(
				`INSERT INTO filing_drafts (id, service_code, variant_code, area_code, nik, nik_warnings,
					resident_name, resident_phone, language, consent_at, filed_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			)
			.bind(
				draft.id,
				draft.service_code,
				draft.variant_code,
				draft.area_code,
				draft.nik,
				draft.nik_warnings,
				draft.resident_name,
				draft.resident_phone,
				draft.language,
				draft.consent_at,
				draft.filed_by,
				draft.created_at,
			),
		auditStatement(
			db,
			{
				actor,
				action: "filing.create",
				requestId: draft.id,
				detail: {
					service: draft.service_code,
					variant: draft.variant_code,
					kelurahan: draft.area_code,
				},
			},
			draft.created_at,
		),
	]);
}

/** The draft with this id and its files (oldest first), or null. */
export async function findDraft(
	db: D1Database,
	id: string,
): Promise<{ draft: FilingDraft; files: FilingFile[] } | null> {
	const [draft, files] = await db.batch([
		db.prepare("SELECT * FROM filing_drafts WHERE id = ?").bind(id),
		db.prepare("SELECT * FROM filing_files WHERE draft_id = ? ORDER BY created_at, id").bind(id),
	]);
	const row = (draft?.results as FilingDraft[] | undefined)?.[0];
	return row === undefined ? null : { draft: row, files: (files?.results ?? []) as FilingFile[] };
}

/**
 * Records a stored file of a draft, audited as `filing.file`. The same bytes for the same
 * document (a retried upload) are one file: then nothing is written and the first one is returned
 * with `created: false`, so the caller deletes the object it just stored.
 *
 * @returns null when the draft is gone (submitted or deleted during the upload): nothing written,
 *   and the caller deletes its object.
 */
export async function insertDraftFile(
	db: D1Database,
	file: FilingFile,
	actor: string,
): Promise<{ file: FilingFile; created: boolean } | null> {
	const [inserted, , selected] = await db.batch([
		db
			.prepare(
				`INSERT INTO filing_files (id, draft_id, doc_code, r2_key, mime_type, size, sha256, created_at)
				SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM filing_drafts WHERE id = ?)
				ON CONFLICT (draft_id, doc_code, sha256) DO NOTHING`,
			)
			.bind(
				file.id,
				file.draft_id,
				file.doc_code,
				file.r2_key,
				file.mime_type,
				file.size,
				file.sha256,
				file.created_at,
				file.draft_id,
			),
		auditStatement(
			db,
			{
				actor,
				action: "filing.file",
				requestId: file.draft_id,
				detail: { docCode: file.doc_code, fileId: file.id, size: file.size },
			},
			file.created_at,
			{ onlyIfChanged: true },
		),
		db
			.prepare("SELECT * FROM filing_files WHERE draft_id = ? AND doc_code = ? AND sha256 = ?")
			.bind(file.draft_id, file.doc_code, file.sha256),
	]);
	const stored = (selected?.results as FilingFile[] | undefined)?.[0];
	// The draft was submitted or deleted while the file was uploading: nothing is kept for it.
	if (stored === undefined) return null;
	return { file: stored, created: (inserted?.meta.changes ?? 0) > 0 };
}

/**
 * Deletes a draft's files of one document (or only `fileId` among them), audited as
 * `filing.delete` when something was deleted.
 *
 * @returns The R2 keys of the deleted files, for the caller to delete.
 */
export async function deleteDraftFiles(
	db: D1Database,
	input: { draftId: string; docCode: string; fileId?: string | undefined },
	actor: string,
): Promise<string[]> {
	const { draftId, docCode, fileId } = input;
	const [deleted] = await db.batch([
		db
			.prepare(
				`DELETE FROM filing_files WHERE draft_id = ? AND doc_code = ? AND (? IS NULL OR id = ?)
				RETURNING r2_key`,
			)
			.bind(draftId, docCode, fileId ?? null, fileId ?? null),
		auditStatement(
			db,
			{
				actor,
				action: "filing.delete",
				requestId: draftId,
				detail: { docCode, fileId: fileId ?? null },
			},
			Date.now(),
			{ onlyIfChanged: true },
		),
	]);
	return ((deleted?.results ?? []) as { r2_key: string }[]).map((row) => row.r2_key);
}

/**
 * Submits a draft: the request is written with the draft's id, its files as attachments and
 * `channel: "kelurahan"` (see {@link submitRequest}, idempotent on the id), and the draft is
 * deleted in the same transaction. A draft left beside its request (by a crash between two
 * writes, as this once did) would still take uploads and deletions under the request's R2 prefix,
 * and the abandoned-draft sweep would delete the request's files with it.
 */
export async function submitDraft(
	db: D1Database,
	officeCode: string,
	draft: FilingDraft,
	files: FilingFile[],
	options: {
		at: number;
		timeZone: string;
		schedule?: NewRequest["schedule"];
		/** The office's WhatsApp number: a resident's number links the request to their chat. */
		businessId?: string;
	},
): Promise<SubmitResult> {
	const phone = draft.resident_phone;
	const submitted = await submitRequest(
		db,
		officeCode,
		{
			id: draft.id,
			channel: "kelurahan",
			submittedBy: draft.filed_by,
			...(phone === null ? {} : { residentPhone: phone }),
			// Their number is their chat: notices, `status` and the finished PDF reach them there.
			...(phone === null || options.businessId === undefined
				? {}
				: { businessId: options.businessId, residentId: phone }),
			residentName: draft.resident_name,
			nik: draft.nik,
			nikWarnings: JSON.parse(draft.nik_warnings) as string[],
			serviceCode: draft.service_code,
			variantCode: draft.variant_code,
			areaCode: draft.area_code,
			language: draft.language,
			attachments: files.map((file) => ({
				docCode: file.doc_code,
				key: file.r2_key,
				mimeType: file.mime_type,
				size: file.size,
				sha256: file.sha256,
			})),
			submittedAt: options.at,
			...(options.schedule === undefined ? {} : { schedule: options.schedule }),
		},
		options.timeZone,
		forgetDraftStatements(db, draft.id),
	);
	return submitted;
}

/** The deletion of a submitted draft's rows (its files now belong to the request). */
function forgetDraftStatements(db: D1Database, id: string): D1PreparedStatement[] {
	return [
		db.prepare("DELETE FROM filing_files WHERE draft_id = ?").bind(id),
		db.prepare("DELETE FROM filing_drafts WHERE id = ?").bind(id),
	];
}

/** Deletes a submitted draft's rows, leaving its files to the request. */
export async function forgetDraft(db: D1Database, id: string): Promise<void> {
	await db.batch(forgetDraftStatements(db, id));
}

/**
 * Ids of drafts started before `before` and never submitted, oldest first. A draft whose request
 * exists was submitted (and left behind by a crash): its files are the request's, never stale.
 */
export async function staleDrafts(
	db: D1Database,
	before: number,
	limit: number,
): Promise<string[]> {
	const { results } = await db
		.prepare(
			`SELECT d.id FROM filing_drafts d
			WHERE d.created_at < ? AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.id = d.id)
			ORDER BY d.created_at LIMIT ?`,
		)
		.bind(before, limit)
		.all<{ id: string }>();
	return results.map((row) => row.id);
}

/**
 * Deletes the rows of drafts left beside their submitted request (a submission cut short before
 * drafts went with their request), touching no file: the files are the request's.
 *
 * @returns How many such drafts were forgotten.
 */
export async function forgetSubmittedDrafts(db: D1Database): Promise<number> {
	const submitted = "SELECT id FROM filing_drafts WHERE id IN (SELECT id FROM requests)";
	const [, drafts] = await db.batch([
		db.prepare(`DELETE FROM filing_files WHERE draft_id IN (${submitted})`),
		db.prepare(`DELETE FROM filing_drafts WHERE id IN (${submitted})`),
	]);
	return drafts?.meta.changes ?? 0;
}

/** Ids of the drafts filed for the resident with this NIK or WhatsApp number. */
export async function residentDrafts(db: D1Database, who: ResidentIdentifier): Promise<string[]> {
	const statement =
		who.kind === "nik"
			? db.prepare("SELECT id FROM filing_drafts WHERE nik = ?").bind(who.nik)
			: db.prepare("SELECT id FROM filing_drafts WHERE resident_phone = ?").bind(who.phone);
	return (await statement.all<{ id: string }>()).results.map((row) => row.id);
}

/**
 * Deletes a draft that will never be submitted (abandoned, or its resident erased) with its file
 * rows, audited as `filing.drop` with the reason. The caller deletes its R2 files first, so that
 * a crash half-way leaves the draft to be found again.
 */
export async function dropDraft(
	db: D1Database,
	id: string,
	actor: string,
	reason: "abandoned" | "erasure",
): Promise<void> {
	await db.batch([
		db.prepare("DELETE FROM filing_files WHERE draft_id = ?").bind(id),
		db.prepare("DELETE FROM filing_drafts WHERE id = ?").bind(id),
		auditStatement(
			db,
			{ actor, action: "filing.drop", requestId: id, detail: { reason } },
			Date.now(),
			{
				onlyIfChanged: true,
			},
		),
	]);
}
