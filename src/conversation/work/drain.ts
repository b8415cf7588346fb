import { nextTickAt } from "../dialogue";
import type { Unhandled } from "../store/inbox";
import type { Work } from "./context";
import { reportDeadLetters } from "./dead-letter";
import { sweepDueAt, sweepQuiet } from "./erasure";
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
 * What the last unit of work found when nothing was due: the inbox's next message (not due yet),
 * `null` when the inbox is empty, `undefined` when a job waits first and the inbox was not asked.
 */
interface Idle {
	waiting?: Unhandled | null;
}

/**
 * Drains the inbox in order, running jobs first (a message waits for the download before it),
 * sends what is due, erases what has been quiet for 30 days, and sets the next alarm.
 * `runFollows`: another run is already queued behind this one (work came in meanwhile), so the
 * alarm is set no sooner than the backstop: that run, not an alarm, does what is due.
 */
export async function drain(work: Work, runFollows: () => boolean = () => false): Promise<void> {
	const started = Date.now();
	let idle: Idle | undefined;
	let worked = false;
	while (Date.now() - started < ALARM_BUDGET_MS) {
		const outcome = await advance(work);
		if (outcome !== "worked") {
			idle = outcome;
			break;
		}
		worked = true;
	}
	// Each unit of work sent what it could right after it: a run that did none may be for a send.
	if (!worked) await flushOutbox(work);
	await reportDeadLetters(work);
	const sweepAt = sweepDueAt(work);
	const swept = await sweepQuiet(work, Date.now(), sweepAt);
	// The sweep deletes rows: what was found before it is asked again.
	await schedule(
		work,
		runFollows() ? Date.now() + BACKSTOP_MS : Date.now(),
		swept ? { sweepAt: sweepDueAt(work) } : { idle, sweepAt },
	);
}

/** Does one unit of work, or says what it found when nothing is due. */
async function advance(work: Work): Promise<"worked" | Idle> {
	const now = Date.now();
	const { jobs, inbox } = work.tables;
	const job = jobs.next();
	if (job !== undefined) {
		if (job.nextAt > now) return {};
		await runJob(work, job);
		await flushOutbox(work);
		return "worked";
	}
	const next = inbox.next();
	if (next !== undefined) {
		// Too fresh: a message sent just before it may still be on its way (Meta does not order);
		// a tap answering the prompt on screen is not held (see dueAt).
		if (dueAt(next.message) > now) return { waiting: next };
		const { message, place } = next;
		await apply(work, { type: "message", message }, { inboxId: message.id, place });
		await flushOutbox(work);
		return "worked";
	}
	const tick = nextTickAt(work.state());
	if (tick !== null && tick <= now) {
		await apply(work, { type: "tick", now });
		await flushOutbox(work);
		return "worked";
	}
	return { waiting: null };
}

/**
 * Sets the alarm for the earliest of: the next job (else message and the quiet sweep, which waits
 * for jobs), send and dialogue tick; no sooner than `notBefore`. `known`: what the run already
 * found (the inbox's next message, when it asked; the sweep's due time).
 */
async function schedule(
	work: Work,
	notBefore: number,
	known: { idle?: Idle | undefined; sweepAt: number | undefined },
): Promise<void> {
	const { jobs, inbox, outbox } = work.tables;
	const times: number[] = [];
	const jobAt = jobs.nextAt();
	if (jobAt !== undefined) times.push(jobAt);
	else {
		const waiting = known.idle?.waiting;
		const next = waiting === undefined ? inbox.next() : (waiting ?? undefined);
		if (next !== undefined) times.push(dueAt(next.message));
		if (known.sweepAt !== undefined) times.push(known.sweepAt);
	}
	// Sends go out in order: only the first pending message's time matters.
	const sendAt = outbox.firstPendingAt();
	if (sendAt !== undefined) times.push(sendAt);
	const tick = nextTickAt(work.state());
	if (tick !== null) times.push(tick);
	await work.scheduleAlarm(
		times.length === 0 ? undefined : Math.max(notBefore, Math.min(...times)),
	);
}
