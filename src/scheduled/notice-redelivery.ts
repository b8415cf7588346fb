import { log } from "../log";
import {
	countNoticeAttempt,
	deletePendingNotice,
	pendingNotices,
} from "../requests/pending-notices";

/** A notice younger than this is probably still being queued by the request that wrote it. */
const GRACE_MS = 60_000;

/**
 * Hands the recipients' Conversation objects the notices whose status change committed, and the
 * finished documents whose record committed, but whose queuing did not (the API call failed or
 * the Worker stopped in between). Objects ignore a notice or document they already have (by its
 * id), so one delivered twice is told or sent once.
 *
 * @returns How many notices and documents were handed over.
 */
export async function redeliverNotices(env: Env, now = Date.now()): Promise<number> {
	let delivered = 0;
	for (const pending of await pendingNotices(env.DB, now - GRACE_MS)) {
		try {
			// The stored name was made by conversationName when the row was written.
			const recipient = env.CONVERSATIONS.getByName(pending.conversation);
			if (pending.kind === "result") await recipient.sendResult(pending.result);
			else await recipient.notify(pending.notice);
			await deletePendingNotice(env.DB, pending.id);
			delivered++;
		} catch (error) {
			await countNoticeAttempt(env.DB, pending.id);
			log.error("notices.redelivery_failed", {
				id: pending.id,
				error: error instanceof Error ? error.message : String(error),
			});
		}
	}
	if (delivered > 0) log.warn("notices.redelivered", { delivered });
	return delivered;
}
