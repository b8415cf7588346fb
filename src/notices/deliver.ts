/**
 * Hands what `pending_notices` keeps for a request (staff notices, finished documents) to the
 * recipients' Conversation objects, in the order it was written: the staff API right after the
 * change it tells, the cron for what that left. A row is handed over only once every row of the
 * request before it was, so a notice whose hand-over failed is never overtaken by a later one
 * (a rejection told before the revision request that came first would open a revision on a
 * rejected request). Objects ignore an id they already have, so a row handed twice is told once.
 *
 * A row that keeps failing is given up after the tries of a message to the resident (12 over at
 * least 50 minutes: see recordHandOverFailure) and becomes a dead letter for admins; it and the
 * rows after it then wait for an admin's retry ({@link handOverAgain}).
 *
 * @module
 */

import { conversationByName } from "../conversation/address";
import { maskedError } from "../conversation/work/masked-error";
import { errorDetail, log } from "../log";
import {
	deletePendingNotice,
	type PendingNotice,
	pendingNoticesOf,
	recordHandOverFailure,
} from "../requests/pending-notices";

/**
 * Hands the request's rows over, oldest first, each tried up to `tries` times; stops at the first
 * that still fails (counted, logged, given up past its cap) or was given up before. Returns the
 * ids handed over. `now`: the time the cap's age is measured at (the cron's run).
 */
export async function deliverPending(
	env: Env,
	requestId: string,
	{ tries = 1, now = Date.now() }: { tries?: number; now?: number } = {},
): Promise<Set<string>> {
	const handed = new Set<string>();
	for (const pending of await pendingNoticesOf(env.DB, requestId)) {
		// Waiting for an admin's retry; the rows after it wait behind it, in order.
		if (pending.givenUp) break;
		const error = await handOver(env, pending, tries);
		if (error !== undefined) {
			const givenUp = await recordHandOverFailure(env.DB, pending.id, {
				error: maskedError(error),
				now,
				newLetterId: crypto.randomUUID(),
			});
			if (givenUp) {
				log.error("notices.hand_over_gave_up", { id: pending.id, kind: pending.kind, requestId });
			}
			break;
		}
		await deletePendingNotice(env.DB, pending.id);
		handed.add(pending.id);
	}
	return handed;
}

/**
 * How many requests' rows one call of {@link deliverEach} hands over: each costs a few
 * subrequests (two D1 queries and an RPC), and one invocation of the Worker may make only so many.
 */
export const DELIVER_EACH_LIMIT = 50;

/**
 * Hands over the kept rows of several requests (the notices of one calendar change), request
 * after request, the first {@link DELIVER_EACH_LIMIT} only: the cron's redelivery hands the rest
 * over within minutes. The change they tell is saved already, so a failure (D1's, reading or
 * counting a row) is logged and left to the cron too, never thrown. Returns how many rows were
 * handed over.
 */
export async function deliverEach(env: Env, requestIds: readonly string[]): Promise<number> {
	let handed = 0;
	for (const requestId of requestIds.slice(0, DELIVER_EACH_LIMIT)) {
		try {
			handed += (await deliverPending(env, requestId)).size;
		} catch (error) {
			log.warn("notices.hand_over_deferred", { requestId, error: errorDetail(error) });
		}
	}
	return handed;
}

/**
 * An admin retried the dead letter of a hand-over (its row reopened with fresh tries, see
 * reopenHandOver): the request's rows are handed over now, in order. One that fails again is
 * counted and left to the cron; the retry itself stands either way, so nothing is thrown.
 */
export async function handOverAgain(env: Env, requestId: string): Promise<void> {
	try {
		await deliverPending(env, requestId, { tries: 3 });
	} catch (error) {
		log.warn("notices.hand_over_retry_failed", { requestId, error: errorDetail(error) });
	}
}

/** Hands one row over; the last failure's detail if every try failed. */
function handOver(env: Env, pending: PendingNotice, tries: number): Promise<string | undefined> {
	const recipient = conversationByName(env, pending.conversation);
	return lastFailure(
		tries,
		{ event: "notices.hand_over_failed", id: pending.id, kind: pending.kind },
		() =>
			pending.kind === "result"
				? recipient.sendResult(pending.result)
				: recipient.notify(pending.notice),
	);
}

/**
 * Calls `call` (a hand-over to an object) up to `tries` times, logging each failure as
 * `log.event` with the rest of `log`; true once one succeeded.
 */
export async function withTries(
	tries: number,
	logged: { event: string } & Record<string, string>,
	call: () => Promise<void>,
): Promise<boolean> {
	return (await lastFailure(tries, logged, call)) === undefined;
}

/** {@link withTries}, answering the last failure's detail, or undefined once a call succeeded. */
async function lastFailure(
	tries: number,
	{ event, ...detail }: { event: string } & Record<string, string>,
	call: () => Promise<void>,
): Promise<string | undefined> {
	let failure = "not tried";
	for (let attempt = 1; attempt <= tries; attempt++) {
		try {
			await call();
			return undefined;
		} catch (error) {
			failure = errorDetail(error);
			log.error(event, { ...detail, attempt, error: failure });
		}
	}
	return failure;
}
