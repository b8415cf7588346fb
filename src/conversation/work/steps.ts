import { withoutDetails } from "../../channel/events";
import { uuidFrom } from "../../crypto";
import { log } from "../../log";
import { counters } from "../../metrics";
import {
	type DialogueEvent,
	type DialogueState,
	type Effect,
	heldForStaff,
	isHeldFile,
	operatorCheckDue,
	type StepContext,
	step,
} from "../dialogue";
import type { Found } from "../store/inbox";
import type { JobFailure, QueuedJob } from "../store/jobs";
import { followsDelivery, type PendingMessage } from "../store/outbox";
import { jobsOf, jobToRunAhead, runAhead } from "./ahead";
import type { Work } from "./context";
import { actOnEarlyFailures } from "./delivery-failures";
import { currentOperator } from "./operator-lookup";
import { markReadThrough, recordSendFailure, sendAhead } from "./sending";

/**
 * The input a step consumes: an inbox message or a job, marked done with the step's writes. A
 * job that failed for good is moved to the dead letters instead (`dead`), in the same transaction.
 */
export interface Consumed {
	inboxId?: string;
	/**
	 * What Inbox.next said of that message: its place, whether it was the last one waiting (then
	 * the read mark goes through it; one that came since is marked at its own step), and the
	 * request it was recorded under (the step writes only a different one).
	 */
	found?: Found;
	jobId?: string;
	dead?: { job: QueuedJob; requestId: string | null; error: string; letterId: string };
}

/** One event through the dialogue, with what the shell needs to commit it. */
interface Stepped {
	state: DialogueState;
	effects: Effect[];
	/** The jobs its effects ask for (ids drawn once). */
	jobs: QueuedJob[];
	/** What its messages are about, for the staff's transcript. */
	about: { requestId: string | null; mentions?: string[] };
	/** A resident who stopped messages gets staff's notices when they next write, not before. */
	hold: boolean;
}

/** A step may carry out this many jobs ahead of its commit (see ./ahead.ts). */
const MAX_STEPS_PER_COMMIT = 3;

/**
 * Runs one event through the dialogue and commits, in one transaction: the new state, the
 * input consumed (inbox row or job) and the effects queued (outbox rows and jobs). Before the
 * commit it marks the resident's message read (best effort), carries out a download or a
 * submission the step asked for when nothing else is in line and steps its outcome too (see
 * ./ahead.ts), and sends the replies when nothing is still to go out before them (see
 * {@link sendAhead}): those are written as sent.
 */
export async function apply(
	work: Work,
	event: DialogueEvent,
	consumed: Consumed = {},
): Promise<void> {
	const before = work.state();
	const steps = [await stepOf(work, before, event, Date.now())];
	// The blue ticks go before any file is fetched, as they did when the download was a later job.
	for (const effect of (steps[0] as Stepped).effects) {
		if (effect.kind !== "mark_read") continue;
		const known = effect.messageId === consumed.inboxId ? consumed.found : undefined;
		await markReadThrough(work, effect.messageId, known);
	}
	const carriedOut = new Set<string>();
	let failedAhead: { job: QueuedJob; failure: JobFailure } | undefined;
	while (steps.length < MAX_STEPS_PER_COMMIT) {
		const last = steps[steps.length - 1] as Stepped;
		const job = jobToRunAhead(work, last.jobs, consumed.jobId ?? consumed.dead?.job.id);
		if (job === undefined) break;
		const outcome = await runAhead(work, job);
		if ("failure" in outcome) {
			failedAhead = { job, failure: outcome.failure };
			break;
		}
		carriedOut.add(job.id);
		steps.push(await stepOf(work, last.state, outcome.event, Date.now()));
	}
	const sends = steps.flatMap((s) =>
		s.hold ? [] : s.effects.flatMap((effect) => (effect.kind === "send" ? [effect] : [])),
	);
	const final = steps[steps.length - 1] as Stepped;
	const ahead = await sendAhead(work, sends, final.state.lastInboundAt);
	const now = Date.now();
	const { kv, inbox, outbox, jobs } = work.tables;
	const failed = work.tables.transaction(() => {
		if (consumed.inboxId !== undefined) {
			const { requestId } = (steps[0] as Stepped).about;
			const place = consumed.found?.place ?? inbox.placeOf(consumed.inboxId);
			const mark = place === "late" ? undefined : place;
			if (mark === undefined) inbox.markProcessed(consumed.inboxId, now, requestId);
			else {
				// A message sent before this one that came while its step was out: marked late, so
				// that the mark moving past it does not hide it; it is handled next, on its own row.
				inbox.markOvertaken(mark);
				if (consumed.found?.requestId !== requestId) {
					inbox.settleRequest(consumed.inboxId, requestId);
				}
			}
			kv.saveDialogueState(final.state, mark);
			inbox.handled(consumed.inboxId);
			// A third party's number or where the resident is: kept for the person holding the chat,
			// who reads it; not otherwise (the bot refused it, yet the request's transcript and the
			// hand-off's latest messages would show it to staff, a kelurahan's operators included).
			const bare = event.type === "message" ? withoutDetails(event.message.content) : undefined;
			if (bare !== undefined && !heldForStaff(before)) inbox.replaceContent(consumed.inboxId, bare);
			// The resident wrote: the window is open again for anything that was waiting.
			outbox.reopenWaiting(now);
		} else kv.saveDialogueState(final.state);
		if (consumed.dead !== undefined) {
			const { job, letterId, ...rest } = consumed.dead;
			work.tables.deadJobs.add(job, { ...rest, now, newLetterId: letterId });
			jobs.drop(job.id);
		} else if (consumed.jobId !== undefined) jobs.done(consumed.jobId);
		let sent = 0;
		let failedRow: PendingMessage | undefined;
		for (const { effects, about, hold } of steps) {
			for (const effect of effects) {
				if (effect.kind !== "send") continue;
				const channelId = hold ? undefined : ahead.channelIds[sent];
				const notice = effect.notice ?? null;
				const seq = outbox.add(effect.message, {
					now,
					requestId: about.requestId,
					notice,
					...(about.mentions ? { mentions: about.mentions } : {}),
					...(hold ? { hold } : {}),
					...(channelId === undefined ? {} : { sent: { channelId } }),
				});
				if (!hold && sent++ === ahead.channelIds.length) {
					failedRow = {
						seq,
						message: effect.message,
						attempts: 0,
						nextAt: now,
						createdAt: now,
						trackDelivery: followsDelivery(effect.message, notice),
					};
				}
			}
		}
		// A failure for a reply sent ahead may have come before this commit wrote its row.
		actOnEarlyFailures(work, ahead.channelIds);
		for (const job of steps.flatMap((s) => s.jobs)) {
			if (carriedOut.has(job.id)) continue;
			jobs.queue(job.id, job, now);
			// The try made ahead counts; a job past its caps at once is left to the queue to give up.
			if (job.id === failedAhead?.job.id) jobs.retryOrGiveUp(job, failedAhead.failure, now);
		}
		return failedRow;
	});
	if (consumed.inboxId !== undefined) counters.messagesHandled++;
	if (failed !== undefined && ahead.failure !== undefined) {
		recordSendFailure(work, failed, ahead.failure);
	}
}

/** Runs one event through the dialogue from `before`. */
async function stepOf(
	work: Work,
	before: DialogueState,
	event: DialogueEvent,
	now: number,
): Promise<Stepped> {
	const catalog = await work.catalog();
	const settings = work.settings();
	const surveyTemplate = settings.get("SURVEY_TEMPLATE_NAME");
	const operator = await operatorBeforeStep(work, event, before, now);
	const { state, effects } = step(before, event, {
		...operator,
		catalog,
		officeName: settings.get("OFFICE_NAME"),
		timeZone: settings.get("OFFICE_TIME_ZONE"),
		now,
		newRequestId: await newIdFor(event, before),
		...(surveyTemplate === undefined
			? {}
			: {
					surveyTemplate: {
						name: surveyTemplate,
						language: settings.get("STATUS_TEMPLATE_LANGUAGE"),
					},
				}),
	});
	return {
		state,
		effects,
		jobs: jobsOf(effects, now),
		about: aboutWhat(event, before, state, effects),
		hold: event.type === "staff_notice" && state.optedOut === true,
	};
}

/**
 * The id of what this step may open (a draft, a complaint). A message's step from no draft derives
 * it from the message, so that the step repeated after a crash before its commit opens the same
 * draft: a file it stored ahead is then found under the same key, not stored a second time while
 * the first copy stays where nothing records it (and no erasure or retention would find it).
 */
async function newIdFor(event: DialogueEvent, before: DialogueState): Promise<string> {
	if (event.type !== "message" || before.draft !== null) return crypto.randomUUID();
	return uuidFrom(`opened-by:${event.message.id}`);
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
		(event.type === "message" && before.heldSince != null) ||
		("messageId" in event && isHeldFile(before, event.messageId ?? ""))
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

/**
 * The request a resident's message is likely about, as far as the state tells before its step:
 * the revision or draft under way (none in a complaint or while staff hold the chat). The inbox
 * records it on receipt; the step writes its own answer where it differs (see {@link aboutWhat}).
 */
export function requestUnderWay(state: DialogueState | undefined): string | null {
	if (state === undefined || state.phase.name === "complaint" || state.heldSince != null) {
		return null;
	}
	return state.revision?.requestId ?? state.draft?.requestId ?? null;
}
