/**
 * Handlers of filing for a resident: each checks the caller's areas, writes through
 * `requests/filing.ts` (audited there) and streams files through the staff upload checks.
 *
 * @module
 */

import { findArea, findVariant, loadCatalog, type Variant } from "../../catalog/catalog";
import { serviceStandard } from "../../catalog/standards";
import { conversationFor } from "../../conversation/address";
import { settingsOf } from "../../env";
import { fieldProblem, Problem } from "../../http/problem";
import {
	deleteDraftFiles,
	type FilingDraft,
	type FilingFile,
	findDraft,
	forgetDraft,
	insertDraft,
	insertDraftFile,
	submitDraft,
} from "../../requests/filing";
import { type NikProblem, parseNik } from "../../requests/nik";
import { findRequest, type RequestRecord } from "../../requests/record";
import { planSubmission } from "../../requests/schedule";
import { loadCalendar } from "../../standards/calendar-store";
import { visibleTo } from "../access";
import { Denied } from "../auth";
import { actorOf, type StaffHandler, type StaffPrincipal, servesArea } from "../types";
import { storedFileColumns, storeUpload } from "../upload";
import type {
	CreateRoute,
	DeleteDocumentRoute,
	GetDraftRoute,
	PutDocumentRoute,
	SubmitRoute,
} from "./filing.routes";
import { holdCorrection, resubmitCorrections } from "./revision";

/** Why a NIK cannot be one, for the field problem (the dialogue's checks, in the API's words). */
const NIK_MESSAGES: Record<NikProblem, string> = {
	not_16_digits: "must be 16 digits",
	unknown_province: "the first two digits are not a province code",
	bad_month: "digits 9-10 are not a month (01-12)",
	bad_day: "digits 7-8 are not a day of birth (01-31, or 41-71 for women)",
	zero_serial: "the last four digits must not be 0000",
};

/** The variant a filing names: the given one, or the service's only one. */
function variantOf(
	catalog: Awaited<ReturnType<typeof loadCatalog>>,
	service: string,
	variant: string | undefined,
): Variant {
	const found = catalog.services.find((s) => s.code === service);
	if (found === undefined) throw fieldProblem("body.service", "unknown or inactive service");
	if (variant === undefined) {
		const [only, ...more] = found.variants;
		if (only === undefined || more.length > 0) {
			throw fieldProblem(
				"body.variant",
				`required: one of ${found.variants.map((v) => v.code).join(", ")}`,
			);
		}
		return only;
	}
	const chosen = findVariant(catalog, service, variant);
	if (chosen === undefined) throw fieldProblem("body.variant", "unknown variant of this service");
	return chosen;
}

/** The API's view of a draft, with its document checklist and what is still missing. */
function draftView(draft: FilingDraft, files: FilingFile[], variant: Variant | undefined) {
	const requirements = variant?.requirements ?? [];
	const documents = requirements.map((r) => ({
		code: r.code,
		label: r.label,
		required: r.required,
		acceptedTypes: r.acceptedTypes,
		maxBytes: r.maxBytes,
		files: files.filter((f) => f.doc_code === r.code).map(fileView),
	}));
	return {
		id: draft.id,
		status: "draft" as const,
		service: draft.service_code,
		variant: draft.variant_code,
		kelurahan: draft.area_code,
		filedBy: draft.filed_by,
		createdAt: draft.created_at,
		documents,
		missing: documents.filter((d) => d.required && d.files.length === 0).map((d) => d.code),
	};
}

const fileView = (file: FilingFile) => ({
	id: file.id,
	docCode: file.doc_code,
	mimeType: file.mime_type,
	size: file.size,
	sha256: file.sha256,
	createdAt: file.created_at,
});

/** Starts a draft for a resident, in the caller's areas only. */
export const create: StaffHandler<CreateRoute> = async (c) => {
	const staff = c.get("staff");
	const body = c.req.valid("json");
	const catalog = await loadCatalog(c.env.DB);
	if (findArea(catalog, body.kelurahan) === undefined) {
		throw fieldProblem("body.kelurahan", "unknown area code");
	}
	if (!servesArea(staff, body.kelurahan)) {
		throw new Denied(
			new Problem(403, "forbidden", "Forbidden", "You may file only in your own areas."),
		);
	}
	const variant = variantOf(catalog, body.service, body.variant);
	const nik = parseNik(body.resident.nik);
	if (!nik.ok) throw fieldProblem("body.resident.nik", NIK_MESSAGES[nik.problem]);
	if (body.consent !== true) {
		throw new Problem(
			422,
			"consent-required",
			"Consent required",
			"The resident must agree that you file and hold their papers: send `consent: true`.",
			{ extensions: { errors: [{ field: "body.consent", message: "must be true" }] } },
		);
	}
	const at = Date.now();
	const draft: FilingDraft = {
		id: crypto.randomUUID(),
		service_code: body.service,
		variant_code: variant.code,
		area_code: body.kelurahan,
		nik: nik.nik,
		nik_warnings: JSON.stringify(nik.warnings),
		resident_name: body.resident.name,
		resident_phone: body.resident.phone ?? null,
		language: body.language,
		consent_at: at,
		filed_by: staff.id,
		created_at: at,
	};
	await insertDraft(c.env.DB, draft, actorOf(staff));
	return c.json(draftView(draft, [], variant), 201);
};

/**
 * The draft with this id as the caller may see it: 404 for none (or out of the caller's areas,
 * audited like a request's), 409 when it was already submitted and the request is theirs to see.
 * A draft left beside its request (a submission cut short) is submitted too: its files are the
 * request's, not to be deleted or added to as a draft's.
 */
async function visibleDraft(db: D1Database, staff: StaffPrincipal, id: string) {
	const [found, filed] = await Promise.all([findDraft(db, id), findRequest(db, id)]);
	if (found !== null && filed === null) {
		visibleTo(staff, { id, area_code: found.draft.area_code });
		return found;
	}
	const request = visibleTo(staff, filed);
	throw new Problem(409, "submitted", "Already submitted", "The request was already submitted.", {
		extensions: { ticket: request.ticket },
	});
}

/** A draft as it stands: its checklist with the files so far. */
export const getDraft: StaffHandler<GetDraftRoute> = async (c) => {
	const { draft, files } = await visibleDraft(c.env.DB, c.get("staff"), c.req.valid("param").id);
	const catalog = await loadCatalog(c.env.DB);
	return c.json(
		draftView(draft, files, findVariant(catalog, draft.service_code, draft.variant_code)),
		200,
	);
};

/** Streams one file into a draft's document; the same bytes again answer the stored file. */
export const putDocument: StaffHandler<PutDocumentRoute> = async (c) => {
	const staff = c.get("staff");
	const { id, docCode } = c.req.valid("param");
	const filed = await findRequest(c.env.DB, id);
	if (filed !== null) {
		// Submitted (even with its draft left behind): the corrected papers of a filed request
		// sent back for revision.
		const request = visibleTo(staff, filed);
		const held = await holdCorrection(c.env, request, docCode, c.req.raw, actorOf(staff));
		return c.json(held.view, held.created ? 201 : 200);
	}
	const { draft } = await visibleDraft(c.env.DB, staff, id);
	const variant = findVariant(await loadCatalog(c.env.DB), draft.service_code, draft.variant_code);
	const requirement = variant?.requirements.find((r) => r.code === docCode);
	if (requirement === undefined) {
		throw fieldProblem("path.docCode", "not a document of this service");
	}
	const fileId = crypto.randomUUID();
	const key = `requests/${draft.id}/${docCode}/${fileId}`;
	const stored = await storeUpload(c.env.FILES, key, c.req.raw, {
		accepted: requirement.acceptedTypes,
		maxBytes: requirement.maxBytes,
		metadata: { requestId: draft.id, uploadedBy: actorOf(staff) },
	});
	// The object is kept only once a row records it: a failed write, a retried upload of the same
	// bytes or a draft submitted or deleted meanwhile (nothing would ever find it) deletes it.
	let recorded: Awaited<ReturnType<typeof insertDraftFile>> = null;
	try {
		recorded = await insertDraftFile(
			c.env.DB,
			{ ...storedFileColumns(fileId, docCode, key, stored), draft_id: draft.id },
			actorOf(staff),
		);
	} finally {
		if (!recorded?.created) await c.env.FILES.delete(key);
	}
	if (recorded === null) {
		throw new Problem(
			409,
			"draft-gone",
			"Draft gone",
			"The draft was submitted or deleted while the file was uploading: the file was not kept.",
		);
	}
	return c.json(fileView(recorded.file), recorded.created ? 201 : 200);
};

/** Removes one file of a draft's document, or all of them. */
export const deleteDocument: StaffHandler<DeleteDocumentRoute> = async (c) => {
	const staff = c.get("staff");
	const { id, docCode } = c.req.valid("param");
	const { draft } = await visibleDraft(c.env.DB, staff, id);
	const keys = await deleteDraftFiles(
		c.env.DB,
		{ draftId: draft.id, docCode, fileId: c.req.valid("query").fileId },
		actorOf(staff),
	);
	if (keys.length > 0) await c.env.FILES.delete(keys);
	return c.body(null, 204);
};

/** Queues the draft with a ticket; a repeat answers the same ticket. */
export const submit: StaffHandler<SubmitRoute> = async (c) => {
	const staff = c.get("staff");
	const { id } = c.req.valid("param");
	const found = await findDraft(c.env.DB, id);
	if (found === null) {
		const filed = visibleTo(staff, await findRequest(c.env.DB, id));
		if (filed.channel !== "kelurahan") {
			throw new Problem(
				409,
				"not-filed",
				"Not a filed request",
				"This request came over WhatsApp.",
			);
		}
		// Corrections held for a revision go in now (nothing held and not in revision: a repeat).
		await resubmitCorrections(c.env, filed);
		const request = (await findRequest(c.env.DB, id)) ?? filed;
		await tellResident(c.env, request);
		return c.json(submittedView(request, request.ticket), 200);
	}
	const { draft, files } = found;
	visibleTo(staff, { id, area_code: draft.area_code });
	// Submitted already, and stopped before the draft was deleted: finish that, same ticket.
	const written = await findRequest(c.env.DB, id);
	if (written !== null) {
		await forgetDraft(c.env.DB, id);
		await tellResident(c.env, written);
		return c.json(submittedView(written, written.ticket), 200);
	}
	const catalog = await loadCatalog(c.env.DB);
	const view = draftView(
		draft,
		files,
		findVariant(catalog, draft.service_code, draft.variant_code),
	);
	if (view.missing.length > 0) {
		throw new Problem(
			422,
			"documents-missing",
			"Documents missing",
			`Required documents without a file: ${view.missing.join(", ")}.`,
			{
				extensions: {
					missing: view.missing,
					errors: view.missing.map((code) => ({
						field: `documents.${code}`,
						message: "required: upload it first",
					})),
				},
			},
		);
	}
	const at = Date.now();
	const timeZone = settingsOf(c.env).get("OFFICE_TIME_ZONE");
	const [calendar, standard] = await Promise.all([
		loadCalendar(c.env.DB, timeZone),
		serviceStandard(c.env.DB, draft.service_code),
	]);
	const plan =
		standard === null
			? null
			: await planSubmission(c.env.DB, calendar, draft.service_code, standard, at);
	const submitted = await submitDraft(
		c.env.DB,
		settingsOf(c.env).get("OFFICE_CODE"),
		draft,
		files,
		{
			at,
			timeZone,
			businessId: settingsOf(c.env).get("WHATSAPP_PHONE_NUMBER_ID"),
			...(plan === null ? {} : { schedule: { queueDate: plan.queueDate, dueDate: plan.dueDate } }),
		},
	);
	const request = await findRequest(c.env.DB, id);
	if (request === null) throw new Error("the filed request is missing after its submission");
	await tellResident(c.env, request);
	return c.json(submittedView(request, submitted.ticket), submitted.created ? 201 : 200);
};

/**
 * Tells a resident with a WhatsApp number that the kelurahan filed their request (by template:
 * they never wrote). Their Conversation object tells them once per request, so a repeated submit
 * may call this again; when the object cannot take it now, 503 and the client's retry tells them.
 */
async function tellResident(env: Env, request: RequestRecord): Promise<void> {
	if (request.business_id === null || request.resident_id === null) return;
	try {
		await conversationFor(env, request.business_id, request.resident_id).introduce(
			{ businessId: request.business_id, residentId: request.resident_id },
			{
				noticeId: `filed:${request.id}`,
				requestId: request.id,
				ticket: request.ticket,
				serviceCode: request.service_code,
				variantCode: request.variant_code,
				kind: "filed",
			},
		);
	} catch {
		throw new Problem(
			503,
			"unavailable",
			"Try again",
			"The request is filed; telling the resident failed. Submit again to tell them.",
		);
	}
}

function submittedView(
	request: NonNullable<Awaited<ReturnType<typeof findRequest>>>,
	ticket: string,
) {
	return {
		id: request.id,
		ticket,
		status: request.status,
		channel: "kelurahan" as const,
		filedBy: request.submitted_by,
		queueDate: request.queue_date,
		dueDate: request.due_date,
	};
}
