import { log } from "../../log";
import {
	type DialogueEvent,
	type DialogueState,
	type Effect,
	operatorCheckDue,
	type StepContext,
	step,
} from "../dialogue";
import { jobForEffect, type QueuedJob } from "../store/jobs";
import { followsDelivery, type PendingMessage } from "../store/outbox";
import type { Work } from "./context";
import { currentOperator } from "./operator-lookup";
import { markRead, recordSendFailure, sendAhead } from "./sending";

/**
 * The input a step consumes: an inbox message or a job, marked done with the step's writes. A
 * job that failed for good is moved to the dead letters instead (`dead`), in the same transaction.
 */
export interface Consumed {
	inboxId?: string;
	jobId?: string;
	dead?: { job: QueuedJob; requestId: string | null; error: string; letterId: string };
}

/**
 * Runs one event through the dialogue and commits, in one transaction: the new state, the
 * input consumed (inbox row or job) and the effects queued (outbox rows and jobs). Before the
 * commit it marks the resident's message read (best effort) and sends the step's replies when
 * nothing is still to go out before them (see {@link sendAhead}): those are written as sent.
 */
export async function apply(
	work: Work,
	event: DialogueEvent,
	consumed: Consumed = {},
): Promise<void> {
	const catalog = await work.catalog();
	const settings = work.settings();
	const now = Date.now();
	const before = work.state();
	const surveyTemplate = settings.get("SURVEY_TEMPLATE_NAME");
	const operator = await operatorBeforeStep(work, event, before, now);
	const { state, effects } = step(before, event, {
		...operator,
		catalog,
		officeName: settings.get("OFFICE_NAME"),
		timeZone: settings.get("OFFICE_TIME_ZONE"),
		now,
		newRequestId: crypto.randomUUID(),
		...(surveyTemplate === undefined
			? {}
			: {
					surveyTemplate: {
						name: surveyTemplate,
						language: settings.get("STATUS_TEMPLATE_LANGUAGE"),
					},
				}),
	});
	for (const effect of effects) {
		if (effect.kind === "mark_read") await markRead(work, effect.messageId);
	}
	// A resident who stopped messages gets staff's notices when they next write, not before.
	const hold = event.type === "staff_notice" && state.optedOut === true;
	const sends = effects.filter((effect) => effect.kind === "send");
	const ahead = hold ? { channelIds: [] } : await sendAhead(work, sends, state.lastInboundAt);
	const { requestId, mentions } = aboutWhat(event, before, state, effects);
	const { kv, inbox, outbox, jobs } = work.tables;
	const failed = work.tables.transaction(() => {
		kv.saveDialogueState(state);
		if (consumed.inboxId !== undefined) {
			inbox.markProcessed(consumed.inboxId, now, requestId);
			// The resident wrote: the window is open again for anything that was waiting.
			outbox.reopenWaiting(now);
		}
		if (consumed.dead !== undefined) {
			const { job, letterId, ...rest } = consumed.dead;
			work.tables.deadJobs.add(job, { ...rest, now, newLetterId: letterId });
			jobs.drop(job.id);
		} else if (consumed.jobId !== undefined) jobs.done(consumed.jobId);
		let failedRow: PendingMessage | undefined;
		sends.forEach((effect, index) => {
			const channelId = ahead.channelIds[index];
			const notice = effect.notice ?? null;
			const seq = outbox.add(effect.message, {
				now,
				requestId,
				notice,
				...(mentions ? { mentions } : {}),
				...(hold ? { hold } : {}),
				...(channelId === undefined ? {} : { sent: { channelId } }),
			});
			if (index === ahead.channelIds.length) {
				failedRow = {
					seq,
					message: effect.message,
					attempts: 0,
					nextAt: now,
					trackDelivery: followsDelivery(effect.message, notice),
				};
			}
		});
		for (const effect of effects) {
			const queued = jobForEffect(effect, now);
			if (queued !== undefined) jobs.queue(queued.id, queued.job, now);
		}
		return failedRow;
	});
	if (failed !== undefined && ahead.failure !== undefined) {
		recordSendFailure(work, failed, ahead.failure);
	}
}

/**
 * Who the number is, asked of D1 before a message's step when the state's answer is missing or
 * stale, so that a menu shown by this step needs no `operator_check` job (one job, one step and
 * one alarm fewer for a resident's first message). A failed lookup leaves it to that job.
 */
async function operatorBeforeStep(
	work: Work,
	event: DialogueEvent,
	before: DialogueState,
	now: number,
): Promise<Pick<StepContext, "operator">> {
	if (event.type !== "message" || !operatorCheckDue(before, now)) return {};
	try {
		return { operator: await currentOperator(work) };
	} catch (error) {
		log.warn("conversation.operator_lookup_failed", {
			error: error instanceof Error ? error.message : String(error),
		});
		return {};
	}
}

/** Events about no request: complaints and the hand-off. */
const OUTSIDE_REQUESTS = new Set<DialogueEvent["type"]>([
	"complaint_filed",
	"complaint_reply",
	"handoff_reply",
	"handoff_closed",
]);

/**
 * The request an exchange belongs to, for the staff's transcript (each area's staff read only
 * their own). A status question and its answer are about the resident's requests in general, not
 * the draft under way: they belong to none, and the answer names the requests it lists.
 */
function aboutWhat(
	event: DialogueEvent,
	before: DialogueState,
	state: DialogueState,
	effects: Effect[],
): { requestId: string | null; mentions?: string[] } {
	if (event.type === "status_report") {
		return { requestId: null, mentions: event.lines.map((line) => line.requestId) };
	}
	if (event.type === "message" && effects.some((effect) => effect.kind === "status_query")) {
		return { requestId: null };
	}
	// A complaint and a chat held by a person are about no request's papers: the complaint's own
	// record is in D1, and these rows are not shown in any request's transcript.
	if (
		OUTSIDE_REQUESTS.has(event.type) ||
		before.phase.name === "complaint" ||
		state.phase.name === "complaint" ||
		(event.type === "message" && before.heldSince != null)
	) {
		return { requestId: null };
	}
	const requestId =
		(event.type === "staff_notice" ? event.notice.requestId : undefined) ??
		("requestId" in event ? event.requestId : undefined) ??
		before.revision?.requestId ??
		before.draft?.requestId ??
		state.revision?.requestId ??
		state.draft?.requestId ??
		null;
	return { requestId };
}
