/** Jobs that read or change the resident's requests in D1 (and the files of a dropped draft). */
import { findService, type Lang, type SubjectKind } from "../../catalog/catalog";
import { serviceStandard } from "../../catalog/standards";
import { conversationName } from "../../channel/address";
import { deleteFiles } from "../../files/delete-files";
import { log } from "../../log";
import { recordHandoffAsk } from "../../requests/handoffs";
import { normalizePhone } from "../../requests/phone";
import { filedRequests, residentRequestByTicket, residentRequests } from "../../requests/queries";
import { resubmitDocuments } from "../../requests/revision";
import { planSubmission, resumedDueDate } from "../../requests/schedule";
import { statusWords } from "../../requests/statuses";
import { type NewAttachment, type NewRequest, submitRequest } from "../../requests/submit";
import { transitionRequest } from "../../requests/transitions";
import { firstLook, type WorkingCalendar } from "../../standards/calendar";
import { loadCalendar } from "../../standards/calendar-store";
import type { Draft, DraftFile } from "../dialogue-state";
import type { QueuedJob } from "../store/jobs";
import type { Work } from "./context";
import { currentOperator } from "./operator-lookup";
import { apply } from "./steps";

/** Files fully stored, as the attachments a request records (draft or revision alike). */
function storedAttachments(files: DraftFile[]): NewAttachment[] {
	return files.flatMap((file) =>
		file.status === "stored" && file.key && file.size !== undefined && file.mimeType && file.sha256
			? [
					{
						docCode: file.docCode,
						key: file.key,
						mimeType: file.mimeType,
						size: file.size,
						sha256: file.sha256,
						messageId: file.messageId,
						...(file.fileName ? { fileName: file.fileName } : {}),
					},
				]
			: [],
	);
}

/** Files the request as drafted; idempotent on the draft's request id. */
export async function runSubmit(
	work: Work,
	jobId: string,
	payload: { draft: Draft; lang: Lang; at: number },
): Promise<void> {
	const { draft, lang } = payload;
	const { businessId, residentId } = work.tables.kv.identity();
	const settings = work.settings();
	if (!draft.service || !draft.variant || !draft.nik || !draft.name || !draft.area) {
		throw new Error("submit job with an incomplete draft");
	}
	const phone = /^\d+$/.test(residentId) ? normalizePhone(residentId) : null;
	const timeZone = settings.get("OFFICE_TIME_ZONE");
	const [calendar, standard] = await Promise.all([
		loadCalendar(work.db, timeZone),
		serviceStandard(work.db, draft.service),
	]);
	const plan =
		standard === null
			? null
			: await planSubmission(work.db, calendar, draft.service, standard, payload.at);
	// An operator's draft is the resident's request filed at the kelurahan: their number (if
	// any), the operator as the one who filed it, no chat of the resident's to link yet.
	const onBehalf = draft.onBehalf;
	const who =
		onBehalf === undefined
			? {
					channel: "whatsapp" as const,
					businessId,
					residentId,
					...(phone ? { residentPhone: phone } : {}),
				}
			: {
					channel: "kelurahan" as const,
					submittedBy: onBehalf.staffId,
					// The resident's number is their chat: notices, status and papers reach them there.
					...(onBehalf.phone
						? { residentPhone: onBehalf.phone, businessId, residentId: onBehalf.phone }
						: {}),
				};
	const service = findService(await work.catalog(), draft.service);
	const submitted = await submitRequest(
		work.db,
		settings.get("OFFICE_CODE"),
		{
			id: draft.requestId,
			...who,
			residentName: draft.name,
			nik: draft.nik,
			nikWarnings: draft.nikWarnings,
			serviceCode: draft.service,
			variantCode: draft.variant,
			areaCode: draft.area,
			...subjectOf(service?.subject, draft),
			...visitOf(service?.homeVisit === true, draft),
			language: lang,
			attachments: storedAttachments(draft.files),
			submittedAt: payload.at,
			...(plan === null ? {} : { schedule: { queueDate: plan.queueDate, dueDate: plan.dueDate } }),
		},
		timeZone,
	);
	const { ticket } = submitted;
	log.info("conversation.submitted", { ticket });
	if (onBehalf?.phone) {
		// They never wrote, so the window is closed: the notice goes by template. Once per request.
		const resident = work.env.CONVERSATIONS.getByName(conversationName(businessId, onBehalf.phone));
		await resident.introduce(
			{ businessId, residentId: onBehalf.phone },
			{
				noticeId: `filed:${draft.requestId}`,
				requestId: draft.requestId,
				ticket,
				serviceCode: draft.service,
				variantCode: draft.variant,
				kind: "filed",
			},
		);
	}
	const receipt =
		standard === null || plan === null
			? undefined
			: {
					timeLimitDays: standard.timeLimitDays,
					dueDate: submitted.dueDate,
					free: standard.fee === 0,
					timeZone,
					firstLook: plan.arrivedWhileOpen ? null : firstLookAt(calendar, payload.at),
					queue:
						plan.rolledOver && submitted.queueDate !== null && submitted.queuePosition !== null
							? { date: submitted.queueDate, position: submitted.queuePosition }
							: null,
				};
	return apply(
		work,
		{
			type: "submitted",
			requestId: draft.requestId,
			ticket,
			service: draft.service,
			variant: draft.variant,
			...(receipt ? { receipt } : {}),
		},
		{ jobId },
	);
}

/** The instant staff first look at something arriving at `at`, or null without calendar data. */
function firstLookAt(calendar: WorkingCalendar, at: number): number | null {
	const look = firstLook(calendar, at);
	return look.ok ? look.value.at : null;
}

/** Looks up the resident's requests (one by ticket, or the latest few) for a status reply. */
export async function runStatus(
	work: Work,
	jobId: string,
	payload: { ticket: string | null },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const lang = work.state().lang;
	const catalog = await work.catalog();
	// An active operator's `status` lists the requests they filed (asked of D1 now, not cached).
	const operator = await currentOperator(work);
	const rows =
		operator !== null
			? (await filedRequests(work.db, operator.staffId, payload.ticket ? 50 : 5)).filter(
					(row) => payload.ticket === null || row.ticket === payload.ticket,
				)
			: payload.ticket
				? [await residentRequestByTicket(work.db, businessId, residentId, payload.ticket)].filter(
						(row) => row !== null,
					)
				: await residentRequests(work.db, businessId, residentId, 5);
	const lines = rows.map((row) => ({
		requestId: row.id,
		ticket: row.ticket,
		service: findService(catalog, row.serviceCode)?.label[lang] ?? row.serviceCode,
		status: statusWords(row.status, lang),
		// The expected date while the office still owes the work (not while it waits for papers).
		...(row.dueDate !== null && ["submitted", "in_review", "processing"].includes(row.status)
			? { due: row.dueDate }
			: {}),
		...(row.waitingPosition !== null ? { position: row.waitingPosition } : {}),
	}));
	return apply(
		work,
		{ type: "status_report", lines, ...(payload.ticket ? { ticket: payload.ticket } : {}) },
		{ jobId },
	);
}

/**
 * Asks staff to take over the conversation: one open hand-off per conversation, in their list
 * until closed (a repeated ask keeps it, with its id and the time it has waited since).
 */
export async function runHandoff(
	work: Work,
	jobId: string,
	payload: { at: number; handoffId?: string },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	await recordHandoffAsk(work.db, {
		// Jobs queued before hand-offs had ids take one now (a retry may take another: harmless).
		id: payload.handoffId ?? crypto.randomUUID(),
		conversation: conversationName(businessId, residentId),
		businessId,
		residentId,
		at: payload.at,
	});
	work.tables.jobs.done(jobId);
}

/** Deletes the files of a dropped draft. */
export async function runDiscard(
	work: Work,
	jobId: string,
	payload: { keys: string[]; requestId: string },
): Promise<void> {
	await deleteFiles(work.files, {
		keys: payload.keys,
		// Also whatever a download stored that the draft never recorded.
		prefixes: payload.requestId !== "" ? [`requests/${payload.requestId}/`] : [],
	});
	work.tables.jobs.done(jobId);
}

/** The resident cancels their own request: only theirs, and only before processing. */
export async function runCancel(
	work: Work,
	job: QueuedJob,
	payload: { ticket: string },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const jobId = job.id;
	const request = await residentRequestByTicket(work.db, businessId, residentId, payload.ticket);
	if (request === null) {
		return apply(
			work,
			{ type: "cancel_result", ticket: payload.ticket, outcome: "not_found" },
			{ jobId },
		);
	}
	const outcome = await transitionRequest(work.db, {
		requestId: request.id,
		to: "cancelled",
		actor: "resident",
		by: "resident",
	});
	if (!outcome.ok && outcome.problem === "conflict") {
		// Tried again under the attempt policy, like any other trouble.
		throw new Error("request changed meanwhile");
	}
	return apply(
		work,
		outcome.ok
			? { type: "cancel_result", ticket: request.ticket, outcome: "cancelled" }
			: {
					type: "cancel_result",
					ticket: request.ticket,
					outcome: "too_late",
					status: outcome.from ?? request.status,
				},
		{ jobId },
	);
}

/** Records the corrected documents of a request in revision. */
export async function runResubmit(
	work: Work,
	jobId: string,
	payload: { requestId: string; files: DraftFile[]; at: number },
): Promise<void> {
	const calendar = await loadCalendar(work.db, work.settings().get("OFFICE_TIME_ZONE"));
	const files = storedAttachments(payload.files);
	const outcome = await resubmitDocuments(work.db, {
		requestId: payload.requestId,
		at: payload.at,
		files,
		dueDate: await resumedDueDate(work.db, calendar, payload.requestId, payload.at),
	});
	if (!outcome.resubmitted) {
		// Staff moved the request on meanwhile: keep none of the files nothing records.
		await deleteFiles(work.files, { keys: files.map((file) => file.key) });
		return apply(
			work,
			{ type: "resubmitted", requestId: payload.requestId, refused: { status: outcome.status } },
			{ jobId },
		);
	}
	return apply(work, { type: "resubmitted", requestId: payload.requestId }, { jobId });
}

/** Whom the request is about, when its service asks (the catalog's `subject`). */
function subjectOf(kind: SubjectKind | undefined, draft: Draft): Pick<NewRequest, "subject"> {
	if (kind === undefined) return {};
	const nik = draft.subjectNik;
	const text = draft.subjectText;
	return {
		subject: {
			kind,
			...(nik === undefined ? {} : { nik }),
			...(text === undefined ? {} : { text }),
		},
	};
}

/** A home visit's answers, for a home-visit service (jemput bola) once all three are given. */
function visitOf(homeVisit: boolean, draft: Draft): Pick<NewRequest, "visit"> {
	const { reason, address, contact } = draft.visit ?? {};
	return homeVisit && reason && address && contact ? { visit: { reason, address, contact } } : {};
}
