import { conversationName } from "../../channel/address";
import type { DeliveryStatus, InboundBatch, InboundMessage } from "../../channel/events";
import { log, maskId } from "../../log";
import { linkUser } from "../../residents/identities";
import type { Work } from "./context";
import { actOnFailure, type FailureAction } from "./delivery-failures";
import { sweepDueAt } from "./erasure";
import { requestUnderWay } from "./steps";

/**
 * A message is handled once it is this old (by the resident's send time): Meta does not deliver in
 * order, so a message sent just before it can still overtake it. Late deliveries wait no longer.
 */
export const INBOX_HOLD_MS = 1000;

/**
 * When a message may be handled. A tap on a button or list row answers the prompt on the
 * resident's screen: nothing they sent before it is still to be read with it (a burst of files or
 * of typed lines is what overtakes), so it goes at once. Anything else waits for the hold.
 */
export function dueAt(message: InboundMessage): number {
	return message.content.kind === "choice" ? message.sentAt : message.sentAt + INBOX_HOLD_MS;
}

/** What `receive` tells the webhook: how many messages were new. */
export interface ReceiveResult {
	accepted: number;
	duplicates: number;
	statuses: number;
}

/** What `receiveBatch` recorded, and when the work it brought is due (none: nothing new to do). */
export interface Receipt {
	result: ReceiveResult;
	dueAt: number | undefined;
}

/**
 * Records a resident's share of a webhook delivery in one transaction and says when the work it
 * brought is due (the shell runs it or arms the alarm). Idempotent: a message id seen before is
 * ignored and brings no work.
 */
export async function receiveBatch(work: Work, batch: InboundBatch): Promise<Receipt> {
	const now = Date.now();
	const { kv, inbox } = work.tables;
	const mergedInto = kv.get("moved_to");
	if (mergedInto !== undefined && batch.userId !== undefined && batch.userId === batch.residentId) {
		// This user id was merged into a phone's conversation while Meta was delivering this.
		const result = await stubOf(work, batch.businessId, mergedInto).receive({
			...batch,
			residentId: mergedInto,
		});
		return { result, dueAt: undefined };
	}
	let accepted = 0;
	let nudge = false;
	let failuresKept = false;
	let runAt: number | undefined;
	await linkIdentity(work, batch, now);
	work.tables.transaction(() => {
		kv.setIdentity({
			channel: batch.channel,
			businessId: batch.businessId,
			residentId: batch.residentId,
			profileName: batch.profileName,
		});
		const underWay = requestUnderWay(kv.dialogueState());
		batch.messages.forEach((message, position) => {
			if (inbox.record(message, now, position, underWay)) accepted++;
		});
		for (const status of batch.statuses) {
			const outcome = recordStatus(work, batch.channel, status, now);
			if (outcome === "none") continue;
			failuresKept = true;
			if (outcome === "kept") continue;
			if (outcome.nudge) nudge = true;
			if (outcome.runAt !== undefined) runAt = Math.min(runAt ?? Infinity, outcome.runAt);
		}
	});
	const result = {
		accepted,
		duplicates: batch.messages.length - accepted,
		statuses: batch.statuses.length,
	};
	if (accepted === 0 && !nudge) {
		// A message sent again after a passing failure, or given up on: a run comes for it.
		if (runAt !== undefined) return { result, dueAt: runAt };
		// A failure kept for no message of the chat's (one erased, or never sent from here) is
		// personal data too (its message id holds the number): the quiet sweep must come for it.
		if (failuresKept) await armSweep(work);
		return { result, dueAt: undefined };
	}
	const due = batch.messages.map(dueAt);
	return { result, dueAt: due.length > 0 ? Math.max(now, Math.min(...due)) : now };
}

/**
 * A message that carried both the phone and the user id links them (D1), once per user id: a
 * later message with the user id alone then finds this conversation (see the webhook). If the
 * user id wrote alone before, its own conversation merges into this one first (dialogue, unsent
 * replies, jobs, requests); a failure throws, so Meta's redelivery tries the whole link again.
 */
async function linkIdentity(work: Work, batch: InboundBatch, now: number): Promise<void> {
	const { userId, residentId, businessId } = batch;
	if (userId === undefined || userId === residentId) return;
	if (work.tables.kv.get("user_id") === userId) return;
	await linkUser(work.db, { businessId, userId, waId: residentId, at: now });
	await stubOf(work, businessId, userId).moveTo(residentId, "identity_merged");
	work.tables.kv.set("user_id", userId);
}

/** Another conversation's stub, straight from the binding (../address would close an import cycle). */
function stubOf(work: Work, businessId: string, residentId: string) {
	return work.env.CONVERSATIONS.getByName(conversationName(businessId, residentId));
}

/**
 * Moves the outbox row's delivery state forward (one row at most; statuses that need no action
 * never get here, see statusNeedsConversation) and keeps each failure with its errors: `kept` when
 * a failure was newly kept; for a new `failed`, what acting on it asks (a nudge: the window had
 * closed after all; a run: the failure may pass, see actOnFailure).
 */
function recordStatus(
	work: Work,
	channel: InboundBatch["channel"],
	status: DeliveryStatus,
	now: number,
): FailureAction | "kept" | "none" {
	const { deliveries, outbox, kv } = work.tables;
	// A failure is kept once, with its errors: a redelivered one must not put the message back twice.
	const failure = status.state === "failed" || status.errors.length > 0;
	if (failure && !deliveries.record(status, now)) return "none";
	if (status.state !== "failed") {
		outbox.advanceDelivery(status.messageId, status.state);
		return failure ? "kept" : "none";
	}
	log.warn("conversation.delivery_failed", {
		resident: maskId(kv.identity().residentId),
		codes: status.errors.map((error) => error.code).join(","),
	});
	return actOnFailure(work, channel, status);
}

/** Arms the alarm for the quiet sweep, if one is due some day and nothing sooner is armed. */
async function armSweep(work: Work): Promise<void> {
	const at = sweepDueAt(work);
	if (at !== undefined) await work.armAlarm(at);
}
