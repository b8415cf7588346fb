/**
 * The operator's answer to a revision request through the API: the corrected papers of a request
 * they filed, one file per `PUT .../documents/{docCode}`, sent together by `POST .../submit`.
 *
 * @module
 */

import { findVariant, loadCatalog } from "../../catalog/catalog";
import { settingsOf } from "../../env";
import { fieldProblem, Problem } from "../../http/problem";
import { deliverPending } from "../../notices/deliver";
import type { StaffNotice } from "../../requests/notices";
import { findRequest, type RequestRecord } from "../../requests/record";
import {
	askedDocuments,
	heldRevisionFiles,
	holdRevisionFile,
	resubmitHeldFiles,
} from "../../requests/revision-uploads";
import { loadCalendar } from "../../standards/calendar-store";
import { recipientName } from "../access";
import { noticeBase } from "../case-work/notify";
import { storedFileColumns, storeUpload } from "../upload";

/** A request the kelurahan filed that staff sent back for corrections; 409 otherwise. */
export function revisionOpen(request: RequestRecord): void {
	if (request.channel !== "kelurahan" || request.status !== "needs_revision") {
		throw new Problem(
			409,
			"submitted",
			"Already submitted",
			"The request was already submitted; papers are taken again only while it needs revision.",
			{ extensions: { ticket: request.ticket, requestStatus: request.status } },
		);
	}
}

/** Streams one corrected file of the request and holds it until submit. */
export async function holdCorrection(
	env: Env,
	request: RequestRecord,
	docCode: string,
	raw: Request,
	actor: string,
) {
	revisionOpen(request);
	const variant = findVariant(
		await loadCatalog(env.DB),
		request.service_code,
		request.variant_code,
	);
	const requirement = variant?.requirements.find((r) => r.code === docCode);
	if (requirement === undefined)
		throw fieldProblem("path.docCode", "not a document of this service");
	// Only what staff asked for: a file nobody asked for must not answer the revision.
	const asked = await askedDocuments(env.DB, request.id);
	if (asked !== null && !asked.includes(docCode)) {
		throw fieldProblem(
			"path.docCode",
			`not asked for in this revision (asked: ${asked.join(", ")})`,
		);
	}
	const fileId = crypto.randomUUID();
	const key = `requests/${request.id}/${docCode}/${fileId}`;
	const stored = await storeUpload(env.FILES, key, raw, {
		accepted: requirement.acceptedTypes,
		maxBytes: requirement.maxBytes,
		metadata: { requestId: request.id, uploadedBy: actor },
	});
	const held = await holdRevisionFile(
		env.DB,
		{ ...storedFileColumns(fileId, docCode, key, stored), request_id: request.id },
		actor,
	);
	if (held === null) {
		// The round ended while the file streamed in: nothing holds it.
		await env.FILES.delete(key);
		const now = await findRequest(env.DB, request.id);
		revisionOpen({ ...request, status: now?.status ?? request.status });
		throw new Error("holdCorrection: nothing held for a request in needs_revision");
	}
	const { file, created } = held;
	if (!created) await env.FILES.delete(key);
	return {
		created,
		view: {
			id: file.id,
			docCode: file.doc_code,
			mimeType: file.mime_type,
			size: file.size,
			sha256: file.sha256,
			createdAt: file.created_at,
		},
	};
}

/**
 * Sends the held corrections: the request goes back to `submitted`. 422 with `missing` while a
 * document staff asked for has no file held (every one of them, as over WhatsApp), or when none
 * is held; a repeat after it went through answers as a repeated submit does. Whoever is told of
 * the request (the resident, else the operator who filed it) hears once that it is back with
 * staff, with the due date its clock runs to again, as when staff take papers at the counter.
 */
export async function resubmitCorrections(env: Env, request: RequestRecord): Promise<void> {
	const files = await heldRevisionFiles(env.DB, request.id);
	if (files.length === 0 && request.status !== "needs_revision") return;
	const asked = (await askedDocuments(env.DB, request.id)) ?? [];
	const missing = asked.filter((code) => !files.some((f) => f.doc_code === code));
	if (files.length === 0 || missing.length > 0) {
		throw new Problem(
			422,
			"documents-missing",
			"Documents missing",
			missing.length > 0
				? `Asked for and not uploaded yet: ${missing.join(", ")} (PUT /requests/{id}/documents/{docCode}).`
				: "Upload the corrected papers first (PUT /requests/{id}/documents/{docCode}).",
			{
				extensions: {
					missing,
					errors: missing.map((code) => ({
						field: `documents.${code}`,
						message: "asked for in this revision: upload it first",
					})),
				},
			},
		);
	}
	const calendar = await loadCalendar(env.DB, settingsOf(env).get("OFFICE_TIME_ZONE"));
	// Filed without the resident's number, that is the operator's own chat: its revision, opened
	// there by staff's notice, ends with this one as a resident's would.
	const recipient = await recipientName(env, request);
	const notice = (id: string, moved: string | null): StaffNotice => {
		const dueDate = moved ?? request.due_date;
		return {
			...noticeBase(request, id),
			kind: "status",
			status: "submitted",
			...(dueDate ? { dueDate } : {}),
		};
	};
	const outcome = await resubmitHeldFiles(
		env.DB,
		calendar,
		request.id,
		files,
		Date.now(),
		recipient ? { conversation: recipient, notice } : undefined,
	);
	if (!outcome.resubmitted) revisionOpen({ ...request, status: outcome.status });
	// Kept with the round: what cannot be handed over now goes with the cron.
	if (recipient) await deliverPending(env, request.id, { tries: 3 });
}
