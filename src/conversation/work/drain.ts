import { errorDetail, log } from "../../log";
import { backoffDelay } from "../backoff";
import { nextTickAt } from "../dialogue";
import type { Work } from "./context";
import { reportDeadLetters } from "./dead-letter";
import { sweepDueAt, sweepNotBefore, sweepQuiet } from "./erasure";
import { dueAt } from "./receive";
import { runJob } from "./run-job";
import { flushOutbox } from "./sending";
import { apply } from "./steps";

/** One alarm run stops after this long and re-arms, so a busy conversation never starves. */
const ALARM_BUDGET_MS = 25_000;

/**
 * How far ahead the alarm is armed behind a run that follows the call that brought its work (see
 * Conversation): it fires only if that run never got to set the next alarm itself (the object
 * stopped, or the run failed), and then does the work.
 */
export const BACKSTOP_MS = 10_000;

/**
 * Drains the inbox in order, running jobs first (a message waits for the download before it),
 * sends what is due, erases what has been quiet for 30 days, and sets the next alarm.
 * `runFollows`: another run is already queued behind this one (work came in meanwhile), so the
 * alarm is set no sooner than the backstop: that run, not an alarm, does what is due.
 */
export function drain(work: Work, runFollows: () => boolean = () => false): Promise<void> {
	// A failure the channel reports for a message this run sent before the run writes it is kept
	// until then (see EarlyFailures).
	return work.earlyFailures.during(() => drainNow(work, runFollows));
}

async function drainNow(work: Work, runFollows: () => boolean): Promise<void> {
	const started = Date.now();
	try {
		let worked = false;
		while (Date.now() - started < ALARM_BUDGET_MS) {
			if (!(await advance(work))) break;
			worked = true;
		}
		// Each unit of work sent what it could right after it: a run that did none may be for a send.
		if (!worked) await flushOutbox(work);
		await reportDeadLetters(work);
		await sweepQuiet(work, Date.now());
	} catch (error) {
		// D1 or R2 failing under a step (the catalog, a report, the sweep): the unit of work did not
		// commit and waits where it was. This object comes back for it with a growing delay, for as
		// long as the outage lasts: the runtime retries a failing alarm only for about two minutes.
		work.failedRuns += 1;
		const delayMs = backoffDelay(work.failedRuns, { baseMs: BACKSTOP_MS });
		log.error("conversation.drain_failed", {
			error: errorDetail(error),
			failedRuns: work.failedRuns,
			retryInMs: delayMs,
		});
		await work.scheduleAlarm(Date.now() + delayMs);
		return;
	}
	work.failedRuns = 0;
	await schedule(work, runFollows() ? Date.now() + BACKSTOP_MS : Date.now());
}

/** Does one unit of work; false when nothing is due. */
async function advance(work: Work): Promise<boolean> {
	const now = Date.now();
	const { jobs, inbox } = work.tables;
	const job = jobs.next();
	if (job !== undefined) {
		if (job.nextAt > now) return false;
		await runJob(work, job);
		await flushOutbox(work);
		return true;
	}
	const next = inbox.next();
	if (next !== undefined) {
		// Too fresh: a message sent just before it may still be on its way (Meta does not order);
		// a tap answering the prompt on screen is not held (see dueAt).
		if (dueAt(next.message) > now) return false;
		const { message, ...found } = next;
		await apply(work, { type: "message", message }, { inboxId: message.id, found });
		await flushOutbox(work);
		return true;
	}
	const tick = nextTickAt(work.state());
	if (tick !== null && tick <= now) {
		await apply(work, { type: "tick", now });
		await flushOutbox(work);
		return true;
	}
	return false;
}

/**
 * Sets the alarm for the earliest of: the next job (else message and the quiet sweep, which waits
 * for jobs), send and dialogue tick; no sooner than `notBefore`. Asks the tables again rather than
 * trusting what the run found: a call may have brought a message while the run waited on I/O.
 * The sweep's due time (a scan of the chat) is asked only when the alarm could come after it.
 */
async function schedule(work: Work, notBefore: number): Promise<void> {
	const { jobs, inbox, outbox } = work.tables;
	const times: number[] = [];
	const jobAt = jobs.nextAt();
	if (jobAt !== undefined) times.push(jobAt);
	else {
		const next = inbox.next();
		if (next !== undefined) times.push(dueAt(next.message));
	}
	// Sends go out in order: only the first pending message's time matters.
	const sendAt = outbox.firstPendingAt();
	if (sendAt !== undefined) times.push(sendAt);
	const tick = nextTickAt(work.state());
	if (tick !== null) times.push(tick);
	if (jobAt === undefined && !(Math.min(...times) <= sweepNotBefore(work))) {
		const sweepAt = sweepDueAt(work);
		if (sweepAt !== undefined) times.push(sweepAt);
	}
	await work.scheduleAlarm(
		times.length === 0 ? undefined : Math.max(notBefore, Math.min(...times)),
	);
}
