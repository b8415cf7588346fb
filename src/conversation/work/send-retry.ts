/**
 * How long a message that may still go through is tried, and what becomes of one given up on:
 * the one rule for a send the channel answered "not now", for a delivery it reported failed later
 * for a passing reason, and for a send it refused for good.
 *
 * A message given up on becomes a dead letter, as a job past its caps does (./dead-letter.ts): its
 * row stays in the outbox as `dead`, a dead `send` job names it in the object's dead jobs, and
 * D1's `dead_letters` shows admins the kind `send`, the request, the masked error and the tries.
 * An admin's retry queues the job, which puts the message back in line with fresh tries.
 */
import { log } from "../../log";
import { backoffDelay } from "../backoff";
import type { Work } from "./context";
import { maskedError } from "./masked-error";

/**
 * A message that may still go through is given up only after this many tries and this long
 * since it was queued, whichever comes later: as a job's 12 tries, about 50 minutes with the same
 * backoff (2 s doubling to 10 minutes), so that Meta's throttling or an outage of a few minutes
 * loses nothing.
 */
export const MAX_SEND_ATTEMPTS = 12;
export const SEND_RETRY_MIN_MS = 50 * 60_000;

/**
 * After `attempts` tries of message `seq` (the one that just failed included), queues it again
 * with backoff (never sooner than `retryAfterMs`) and returns its next time; or, once it had its
 * tries and its time ({@link MAX_SEND_ATTEMPTS}, {@link SEND_RETRY_MIN_MS}), gives up on it
 * ({@link giveUp}) and returns undefined.
 */
export function retryOrGiveUp(
	work: Work,
	row: { seq: number; createdAt: number },
	attempts: number,
	reason: string,
	retryAfterMs?: number,
): number | undefined {
	const now = Date.now();
	if (attempts >= MAX_SEND_ATTEMPTS && now - row.createdAt >= SEND_RETRY_MIN_MS) {
		log.error("conversation.send_gave_up", { seq: row.seq, attempts, error: reason });
		giveUp(work, row.seq, attempts, reason);
		return undefined;
	}
	const at =
		now + backoffDelay(attempts, { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
	work.tables.outbox.retryLater(row.seq, attempts, at, reason);
	return at;
}

/**
 * Gives up on message `seq` after `attempts` tries: dead in the outbox, and a dead letter for
 * admins (reported to D1 by the run, see reportDeadLetters). Synchronous, so both writes commit
 * together.
 */
export function giveUp(work: Work, seq: number, attempts: number, reason: string): void {
	const now = Date.now();
	const dead = work.tables.outbox.markDead(seq, attempts, reason);
	if (dead === undefined) return;
	work.tables.deadJobs.addMessage(seq, {
		requestId: dead.requestId,
		error: maskedError(reason),
		attempts,
		firstAt: dead.createdAt,
		now,
		newLetterId: crypto.randomUUID(),
	});
}

/**
 * An admin retried a message's dead letter: the message goes back in line, due now, with fresh
 * tries; the job is done. Not for a conversation the resident moved away from (a number change):
 * this number may be someone else's by now.
 */
export function sendAgain(work: Work, jobId: string, seq: number): void {
	const { outbox, jobs, kv } = work.tables;
	work.tables.transaction(() => {
		if (kv.get("moved_to") === undefined) outbox.revive(seq, Date.now());
		else log.warn("conversation.resend_refused_moved", { seq });
		jobs.done(jobId);
	});
}
