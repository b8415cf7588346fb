/**
 * Hands what `pending_notices` keeps for a request (staff notices, finished documents) to the
 * recipients' Conversation objects, in the order it was written: the staff API right after the
 * change it tells, the cron for what that left. A row is handed over only once every row of the
 * request before it was, so a notice whose hand-over failed is never overtaken by a later one
 * (a rejection told before the revision request that came first would open a revision on a
 * rejected request). Objects ignore an id they already have, so a row handed twice is told once.
 *
 * @module
 */

import { conversationByName } from "../conversation/address";
import { errorDetail, log } from "../log";
import {
	countNoticeAttempt,
	deletePendingNotice,
	type PendingNotice,
	pendingNoticesOf,
} from "../requests/pending-notices";

/**
 * Hands the request's rows over, oldest first, each tried up to `tries` times; stops at the first
 * that still fails (counted, logged). Returns the ids handed over.
 */
export async function deliverPending(
	env: Env,
	requestId: string,
	{ tries = 1 }: { tries?: number } = {},
): Promise<Set<string>> {
	const handed = new Set<string>();
	for (const pending of await pendingNoticesOf(env.DB, requestId)) {
		if (!(await handOver(env, pending, tries))) {
			await countNoticeAttempt(env.DB, pending.id);
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
 * over within minutes. Returns how many rows were handed over.
 */
export async function deliverEach(env: Env, requestIds: readonly string[]): Promise<number> {
	let handed = 0;
	for (const requestId of requestIds.slice(0, DELIVER_EACH_LIMIT)) {
		handed += (await deliverPending(env, requestId)).size;
	}
	return handed;
}

function handOver(env: Env, pending: PendingNotice, tries: number): Promise<boolean> {
	const recipient = conversationByName(env, pending.conversation);
	return withTries(
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
	{ event, ...detail }: { event: string } & Record<string, string>,
	call: () => Promise<void>,
): Promise<boolean> {
	for (let attempt = 1; attempt <= tries; attempt++) {
		try {
			await call();
			return true;
		} catch (error) {
			log.error(event, { ...detail, attempt, error: errorDetail(error) });
		}
	}
	return false;
}
