/** A draft filed as a request in D1: the submission's I/O, ending in the dialogue's event. */
import { findService, type SubjectKind } from "../../catalog/catalog";
import { serviceStandard } from "../../catalog/standards";
import { conversationName } from "../../channel/address";
import { log } from "../../log";
import { existingRequestIds } from "../../requests/erasure";
import { normalizePhone } from "../../requests/phone";
import { planSubmission } from "../../requests/schedule";
import { type NewAttachment, type NewRequest, submitRequest } from "../../requests/submit";
import { firstLook, type WorkingCalendar } from "../../standards/calendar";
import { loadCalendar } from "../../standards/calendar-store";
import type { DialogueEvent } from "../dialogue";
import type { Draft, DraftFile } from "../dialogue-state";
import type { SubmitPayload } from "../store/jobs";
import type { Work } from "./context";
import { currentOperator } from "./operator-lookup";

/** Files fully stored, as the attachments a request records (draft or revision alike). */
export function storedAttachments(files: DraftFile[]): NewAttachment[] {
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

/**
 * Files the request as drafted (idempotent on the draft's request id: a repeat finds the request
 * already filed and answers the same ticket) and returns the dialogue's `submitted` event. Throws
 * on any trouble (D1, settings), for the caller to retry.
 */
export async function submittedEvent(work: Work, payload: SubmitPayload): Promise<DialogueEvent> {
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
	if (onBehalf !== undefined && !(await mayStillFile(work, onBehalf.staffId, draft))) {
		log.warn("conversation.operator_refused", { staffId: onBehalf.staffId });
		return { type: "submit_refused", requestId: draft.requestId };
	}
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
	// Rolled over by the stored queue date, not the plan: a retry plans again and counts the
	// request's own row, which can make the plan roll past a day the request already holds.
	const rolledOver =
		plan !== null && submitted.queueDate !== null && submitted.queueDate > plan.firstLookDate;
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
						rolledOver && submitted.queueDate !== null && submitted.queuePosition !== null
							? { date: submitted.queueDate, position: submitted.queuePosition }
							: null,
				};
	return {
		type: "submitted",
		requestId: draft.requestId,
		ticket,
		service: draft.service,
		variant: draft.variant,
		...(receipt ? { receipt } : {}),
	};
}

/** The instant staff first look at something arriving at `at`, or null without calendar data. */
function firstLookAt(calendar: WorkingCalendar, at: number): number | null {
	const look = firstLook(calendar, at);
	return look.ok ? look.value.at : null;
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

/**
 * Whether the operator who began the draft may still file it: the same staff account is still
 * an active operator behind this number, serving the draft's area (an account revoked, expired
 * or moved while filing, or a dead letter retried days later, may not). A request already filed
 * (this is a repeat) is answered as filed whatever happened since.
 */
async function mayStillFile(work: Work, staffId: string, draft: Draft): Promise<boolean> {
	if ((await existingRequestIds(work.db, [draft.requestId])).size > 0) return true;
	const operator = await currentOperator(work);
	return (
		operator !== null &&
		operator.staffId === staffId &&
		draft.area !== undefined &&
		operator.areas.includes(draft.area)
	);
}
