/**
 * Handlers of case work: each loads the request as the caller may see it, writes through
 * `requests/` (audited there) and tells the resident through their Conversation object.
 *
 * @module
 */

import { settingsOf } from "../../env";
import { Problem } from "../../http/problem";
import { deliverPending } from "../../notices/deliver";
import { audit } from "../../requests/audit";
import { addNote as insertNote, RESULT_STATUSES, recordResult } from "../../requests/case-work";
import type { ResultDelivery, StaffNotice } from "../../requests/notices";
import type { RequestRecord } from "../../requests/record";
import { resumedDueDate } from "../../requests/schedule";
import { transitionRequest } from "../../requests/transitions";
import { loadCalendar } from "../../standards/calendar-store";
import { recipientName, visibleRequest } from "../access";
import { sendIdOf } from "../idempotency";
import { actorOf, type StaffHandler, type StaffPrincipal } from "../types";
import type {
	AddNoteRoute,
	PickupRoute,
	PutResultRoute,
	SendMessageRoute,
	TransitionRoute,
} from "./case-work.routes";
import { noticeBase, tell, whatsappResident } from "./notify";
import { storeResultPdf } from "./result-upload";
import { checkTransitionBody, refusedTransition } from "./transition-checks";

/**
 * Moves the request and tells the resident (or the operator who filed it without the resident's
 * number). The notice is written with the change, naming that recipient (so the scheduled
 * redelivery finds it if queuing fails), and forgotten once the object has queued it.
 */
export const transition: StaffHandler<TransitionRoute> = async (c) => {
	const staff = c.get("staff");
	const body = c.req.valid("json");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	await checkTransitionBody(c.env.DB, record, body);
	const eventId = crypto.randomUUID();
	// Back from needs_revision: the clock stopped while the resident owed papers.
	const resumed = record.status === "needs_revision" && body.to === "submitted";
	const dueDate = resumed
		? await resumedDueDate(
				c.env.DB,
				await loadCalendar(c.env.DB, settingsOf(c.env).get("OFFICE_TIME_ZONE")),
				record.id,
				Date.now(),
			)
		: null;
	// The date it has now its clock runs again: told none while it waited (not even a first one).
	const due = resumed ? (dueDate?.to ?? record.due_date) : null;
	const notice: StaffNotice = {
		...noticeBase(record, eventId),
		kind: "status",
		status: body.to,
		...(body.reason ? { reason: body.reason } : {}),
		...(body.documents ? { documents: body.documents } : {}),
		...(due ? { dueDate: due } : {}),
	};
	const recipient = await recipientName(c.env, record);
	const outcome = await transitionRequest(c.env.DB, {
		dueDate,
		requestId: record.id,
		to: body.to,
		...(body.reason ? { reason: body.reason } : {}),
		...(body.documents ? { documents: body.documents } : {}),
		actor: actorOf(staff),
		...(body.version !== undefined ? { expectedVersion: body.version } : {}),
		eventId,
		...(recipient ? { notice: { id: eventId, conversation: recipient, payload: notice } } : {}),
	});
	if (!outcome.ok) throw refusedTransition(outcome, body.to);
	// Handed over after any notice of the request still kept (one that failed before), never
	// before it; what stays kept goes with the cron.
	const notified =
		recipient !== null && (await deliverPending(c.env, record.id, { tries: 3 })).has(eventId);
	return c.json(
		{
			id: record.id,
			ticket: record.ticket,
			from: outcome.from,
			to: outcome.to,
			version: outcome.version,
			residentNotified: notified,
		},
		200,
	);
};

/** Adds an internal note, never shown to the resident. */
export const addNote: StaffHandler<AddNoteRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const note = await insertNote(c.env.DB, {
		requestId: record.id,
		author: actorOf(staff),
		text: c.req.valid("json").text,
	});
	return c.json(note, 201);
};

/** Writes to the resident, only inside WhatsApp's 24-hour window. */
export const sendMessage: StaffHandler<SendMessageRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const state = await whatsappResident(c.env, record).caseState(record.id);
	if (!state.windowOpenUntil) {
		throw new Problem(
			409,
			"window-closed",
			"WhatsApp window closed",
			"The resident has not written in the last 24 hours: WhatsApp only allows an approved template now. Change the status (the template carries it), or wait for the resident to write.",
		);
	}
	const noticeId = await queueNotice(
		c.env,
		staff,
		record,
		{ action: "request.message", key: c.req.valid("header")["idempotency-key"] },
		(base) => ({ ...base, kind: "message", text: c.req.valid("json").text }),
	);
	return c.json({ queued: true as const, noticeId }, 202);
};

/** 409 unless the request takes a finished document now: processing or completed, not purged. */
function refuseResultUnlessOpen(record: Pick<RequestRecord, "status" | "purged_at">): void {
	const open = (RESULT_STATUSES as readonly string[]).includes(record.status);
	if (open && record.purged_at === null) return;
	throw new Problem(
		409,
		"result-not-accepted",
		"Result not accepted now",
		record.purged_at !== null
			? `The request's files were purged (status ${record.status}): no result can be attached any more.`
			: `A request in ${record.status} takes no result: only one in ${RESULT_STATUSES.join(" or ")}.`,
		{ extensions: { requestStatus: record.status, purged: record.purged_at !== null } },
	);
}

/**
 * Stores the finished PDF, records it and hands it to the recipient's object to send. The
 * document is kept in `pending_notices` by the batch that records it, so the cron sends it if
 * the hand-over fails (`queued: false`), and forgotten once the object has it.
 */
export const putResult: StaffHandler<PutResultRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	if (record.result_kind === "card") {
		throw new Problem(
			409,
			"card-service",
			"Printed card",
			"This service gives a printed card: send a pick-up notice instead.",
		);
	}
	refuseResultUnlessOpen(record);
	const attachmentId = crypto.randomUUID();
	const key = `results/${record.id}/${attachmentId}.pdf`;
	const stored = await storeResultPdf(c.env.FILES, key, c.req.raw, {
		requestId: record.id,
		uploadedBy: actorOf(staff),
	});
	const fileName = `${record.ticket}.pdf`;
	// The resident's chat, or the filing operator's when the resident has no number: they print it.
	const recipient = await recipientName(c.env, record);
	const result: ResultDelivery = {
		sendId: attachmentId,
		requestId: record.id,
		ticket: record.ticket,
		key,
		size: stored.size,
		fileName,
	};
	const recorded = await recordResult(
		c.env.DB,
		{
			attachmentId,
			requestId: record.id,
			key,
			size: stored.size,
			sha256: stored.sha256,
			fileName,
			actor: actorOf(staff),
		},
		recipient === null ? null : { conversation: recipient, result },
	);
	if (!recorded) {
		// The request moved on during the upload: keep no file that nothing records.
		await c.env.FILES.delete(key);
		const now = await visibleRequest(c.env.DB, staff, record.id);
		refuseResultUnlessOpen(now);
		throw new Problem(409, "conflict", "Changed meanwhile", "Reload the request and try again.");
	}
	const queued =
		recipient !== null && (await deliverPending(c.env, record.id, { tries: 3 })).has(attachmentId);
	return c.json({ attachmentId, size: stored.size, sha256: stored.sha256, queued }, 201);
};

/** Tells the resident where and from when to pick up a printed card. */
export const pickup: StaffHandler<PickupRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	if (record.result_kind !== "card") {
		throw new Problem(
			409,
			"pdf-service",
			"Not a card service",
			"This service gives a PDF: attach it with PUT /result.",
		);
	}
	whatsappResident(c.env, record);
	const body = c.req.valid("json");
	const noticeId = await queueNotice(
		c.env,
		staff,
		record,
		{ action: "request.pickup", key: c.req.valid("header")["idempotency-key"] },
		(base) => ({ ...base, kind: "pickup", place: body.place, from: body.from }),
	);
	return c.json({ queued: true as const, noticeId }, 202);
};

/**
 * Hands a new notice to the resident's conversation and audits it; 503 when it could not be
 * queued (nothing is audited then). Returns the notice's id: from the call's `Idempotency-Key`
 * when it has one, so that a repeated call is told once (the object ignores an id it has had).
 */
async function queueNotice(
	env: Env,
	staff: StaffPrincipal,
	record: RequestRecord,
	{ action, key }: { action: "request.message" | "request.pickup"; key: string | undefined },
	build: (base: ReturnType<typeof noticeBase>) => StaffNotice,
): Promise<string> {
	const noticeId = await sendIdOf(key, { action, staffId: actorOf(staff), resourceId: record.id });
	if (!(await tell(env, record, build(noticeBase(record, noticeId))))) {
		const what = action === "request.message" ? "message" : "notice";
		throw new Problem(503, "unavailable", "Try again", `The ${what} could not be queued.`);
	}
	await audit(env.DB, {
		actor: actorOf(staff),
		action,
		requestId: record.id,
		detail: { noticeId },
	});
	return noticeId;
}
