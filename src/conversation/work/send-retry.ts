/**
 * How long a message that may still go through is tried: the one rule for a send the channel
 * answered "not now" and for a delivery it reported failed later for a passing reason.
 */
import { log } from "../../log";
import { backoffDelay } from "../backoff";
import type { Work } from "./context";

/** Sends are retried this many times before the message is kept as dead for staff. */
export const MAX_SEND_ATTEMPTS = 8;

/**
 * After `attempts` tries of message `seq` (the one that just failed included), queues it again
 * with backoff (never sooner than `retryAfterMs`) and returns its next time, or gives up on it
 * once it had its tries and returns undefined.
 */
export function retryOrGiveUp(
	work: Work,
	seq: number,
	attempts: number,
	reason: string,
	retryAfterMs?: number,
): number | undefined {
	const { outbox } = work.tables;
	if (attempts >= MAX_SEND_ATTEMPTS) {
		log.error("conversation.send_gave_up", { seq, attempts, error: reason });
		outbox.markDead(seq, attempts, reason);
		return undefined;
	}
	const at =
		Date.now() +
		backoffDelay(attempts, { ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
	outbox.retryLater(seq, attempts, at, reason);
	return at;
}
