import { log } from "../log";
import { deliverPending } from "../notices/deliver";
import { requestsWithPendingNotices } from "../requests/pending-notices";

/** A notice younger than this is probably still being queued by the request that wrote it. */
const GRACE_MS = 60_000;

/**
 * Hands the recipients' Conversation objects the notices whose status change committed, and the
 * finished documents whose record committed, but whose queuing did not (the API call failed or
 * the Worker stopped in between): request by request, each request's in the order they were
 * written, stopping at one that fails again (see deliverPending; one that failed for about an
 * hour is given up, a dead letter for admins, and its request skipped). Objects ignore a notice or
 * document they already have (by its id), so one delivered twice is told or sent once.
 *
 * @returns How many notices and documents were handed over.
 */
export async function redeliverNotices(env: Env, now = Date.now()): Promise<number> {
	let delivered = 0;
	for (const requestId of await requestsWithPendingNotices(env.DB, now - GRACE_MS)) {
		delivered += (await deliverPending(env, requestId, { now })).size;
	}
	if (delivered > 0) log.warn("notices.redelivered", { delivered });
	return delivered;
}
