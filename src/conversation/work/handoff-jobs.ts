/**
 * Jobs of the hand-off to a person that write to D1 or need the office's calendar: recording it
 * for staff, ending it (the resident went back to the bot, or nobody answered in time), the
 * files the resident sends staff, and staff's replies, each of which gives staff their time
 * limit again.
 */
import { conversationName } from "../../channel/address";
import { deleteFiles } from "../../files/delete-files";
import type { HandoffFile } from "../../requests/handoffs";
import {
	endHandoffByResident,
	expireHandoff,
	handoffAnswerBy,
	recordHandoffAsk,
	recordHandoffFile,
} from "../../requests/handoffs";
import { loadCalendar } from "../../standards/calendar-store";
import type { HandoffReply, QueuedJob } from "../store/jobs";
import type { Work } from "./context";
import { apply } from "./steps";

/** When a hand-off unanswered at `from` ends, by the office's calendar. */
async function answerBy(work: Work, from: number): Promise<number> {
	const calendar = await loadCalendar(work.db, work.settings().get("OFFICE_TIME_ZONE"));
	return handoffAnswerBy(calendar, from);
}

/** The name of this conversation, as D1's hand-offs know it. */
function conversationOf(work: Work): string {
	const { businessId, residentId } = work.tables.kv.identity();
	return conversationName(businessId, residentId);
}

/** Puts the chat in the staff's list (idempotent on the hand-off's id), then tells the dialogue its end. */
export async function runHandoff(
	work: Work,
	jobId: string,
	payload: { at: number; handoffId?: string },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	// Jobs queued before hand-offs had ids take the hold's, or one now (a retry may take
	// another: harmless).
	const id = payload.handoffId ?? work.state().handoffId ?? crypto.randomUUID();
	await recordHandoffAsk(work.db, {
		id,
		conversation: conversationName(businessId, residentId),
		businessId,
		residentId,
		at: payload.at,
	});
	const until = await answerBy(work, payload.at);
	return apply(work, { type: "handoff_recorded", handoffId: id, until }, { jobId });
}

/** The resident went back to the bot: their open hand-off ends in staff's list. */
export async function runHandoffEnd(
	work: Work,
	jobId: string,
	payload: { at: number },
): Promise<void> {
	await endHandoffByResident(work.db, conversationOf(work), payload.at);
	work.tables.jobs.done(jobId);
}

/** Nobody answered in time: the hand-off is closed for staff as expired. */
export async function runHandoffExpire(
	work: Work,
	jobId: string,
	payload: { handoffId: string | null; at: number },
): Promise<void> {
	await expireHandoff(work.db, {
		conversation: conversationOf(work),
		id: payload.handoffId,
		at: payload.at,
	});
	work.tables.jobs.done(jobId);
}

/** A staff member's words for the resident; staff's time limit counts again from when they wrote. */
export async function runHandoffReply(
	work: Work,
	job: QueuedJob & { payload: HandoffReply },
): Promise<void> {
	const until = await answerBy(work, job.createdAt);
	return apply(work, { type: "handoff_reply", text: job.payload.text, until }, { jobId: job.id });
}

/**
 * Records a file the resident sent to the staff holding the chat (idempotent on its key); one
 * whose hand-off is gone (erased meanwhile) is deleted, so no object is left that nothing records.
 */
export async function runHandoffFile(work: Work, jobId: string, file: HandoffFile): Promise<void> {
	if (!(await recordHandoffFile(work.db, file))) {
		await deleteFiles(work.files, { keys: [file.key] });
	}
	work.tables.jobs.done(jobId);
}
