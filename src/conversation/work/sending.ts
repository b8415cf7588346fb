import type { SendResult } from "../../channel/client";
import type { OutboundMessage } from "../../channel/messages";
import { log } from "../../log";
import { heldDelay } from "../backoff";
import { type Found, isAfter } from "../store/inbox";
import { followsDelivery, type PendingMessage } from "../store/outbox";
import { textsFor } from "../texts";
import { WINDOW_MS, type Work } from "./context";
import { actOnEarlyFailures } from "./delivery-failures";
import { giveUp, retryOrGiveUp } from "./send-retry";

/**
 * Sends due messages in order. A throttled or failing message holds back the ones after it
 * (residents must read replies in order); one given up on is kept as dead, with a dead letter
 * for admins (see ./send-retry.ts).
 */
export async function flushOutbox(work: Work): Promise<void> {
	const settings = work.settings();
	const { residentId } = work.tables.kv.identity();
	const channel = work.channel();
	const { outbox, kv } = work.tables;
	const lastInbound = work.state().lastInboundAt;
	for (const row of outbox.pending()) {
		const now = Date.now();
		if (row.nextAt > now) break;
		if (!mayGoOut(row.message, lastInbound, now)) {
			outbox.markWaiting(row.seq);
			kv.setNudgeDue(true);
			continue;
		}
		const result = await channel.send(residentId, row.message, {
			trackDelivery: row.trackDelivery,
		});
		if (result.status === "sent") {
			outbox.markSent(row.seq, now, result.messageId);
			actOnEarlyFailures(work, [result.messageId]);
		} else if (!recordSendFailure(work, row, result)) break;
	}
	await nudgeIfDue(
		work,
		settings.get("STATUS_TEMPLATE_NAME"),
		settings.get("STATUS_TEMPLATE_LANGUAGE"),
	);
}

/**
 * Whether a message may be sent now: inside the 24-hour window anything, outside it only a
 * template (the rest waits for the resident's next message).
 */
function mayGoOut(message: OutboundMessage, lastInboundAt: number | null, now: number): boolean {
	const windowOpen = lastInboundAt !== null && now - lastInboundAt < WINDOW_MS;
	return windowOpen || message.type === "template";
}

/** A send that did not go through, as the channel answered it. */
export type SendFailure = Exclude<SendResult, { status: "sent" }>;

/** What {@link sendAhead} did: the channel ids of the messages sent, in order, and why it stopped. */
export interface SentAhead {
	channelIds: string[];
	/** The failure of the message after the last one sent (it and the rest are to be queued). */
	failure?: SendFailure;
}

/**
 * Sends a step's replies before the step commits, when nothing is still to go out before them
 * (replies keep their order) and the window is open (a template goes regardless, as in
 * {@link flushOutbox}). The step then writes each reply once, as sent, instead of queuing it and
 * marking it sent: a row fewer per message, and the resident does not wait for the commit. A crash
 * after a send and before the commit runs the step again and sends that reply again, as a crash
 * between a send and its mark always could. Stops at the first message it may not or could not
 * send: that one and the rest are queued with the step, and a failure is then recorded on it
 * ({@link recordSendFailure}).
 */
export async function sendAhead(
	work: Work,
	messages: readonly { message: OutboundMessage; notice?: string }[],
	lastInboundAt: number | null,
): Promise<SentAhead> {
	const sent: SentAhead = { channelIds: [] };
	if (messages.length === 0 || work.tables.outbox.hasUnsent()) return sent;
	const { residentId } = work.tables.kv.identity();
	const channel = work.channel();
	for (const { message, notice } of messages) {
		if (!mayGoOut(message, lastInboundAt, Date.now())) break;
		const result = await channel.send(residentId, message, {
			trackDelivery: followsDelivery(message, notice ?? null),
		});
		if (result.status !== "sent") return { ...sent, failure: result };
		sent.channelIds.push(result.messageId);
	}
	return sent;
}

/**
 * Records a failed send on its outbox row: retried with backoff, kept for the window, held for
 * the office's credentials, or dead. True when later messages may still go out.
 */
export function recordSendFailure(work: Work, row: PendingMessage, result: SendFailure): boolean {
	const { outbox, kv } = work.tables;
	switch (result.status) {
		case "window_closed":
			outbox.markWaiting(row.seq, result.reason);
			kv.setNudgeDue(true);
			return true;
		case "unauthorized": {
			// An outage of ours (the token expired or was revoked), not the message's fault: it and
			// the ones after it wait, however long, without spending a try (docs/deploy.md).
			const delay = heldDelay(Date.now() - row.createdAt);
			log.warn("conversation.send_held", { seq: row.seq, delay, error: result.reason });
			outbox.retryLater(row.seq, row.attempts, Date.now() + delay, result.reason);
			return false;
		}
		case "retry":
			// Given up: the ones after it may go out.
			return (
				retryOrGiveUp(work, row, row.attempts + 1, result.reason, result.retryAfterMs) === undefined
			);
		case "permanent":
			if (result.invalid) {
				// The product built a message the channel cannot carry: a bug, reported loudly.
				log.error("conversation.message_breaks_limits", { seq: row.seq, error: result.reason });
				giveUp(work, row.seq, row.attempts, result.reason);
			} else {
				log.error("conversation.send_refused", { seq: row.seq, error: result.reason });
				giveUp(work, row.seq, row.attempts + 1, result.reason);
			}
			return true;
	}
}

/**
 * Outside the 24-hour window only a template may be sent: one nudge per closed window, so
 * the resident writes back and the waiting messages go out (a message failing later, by status,
 * asks for none when one went after it: see receive.ts). Without a template, or for a resident
 * who stopped messages, they wait.
 */
async function nudgeIfDue(
	work: Work,
	template: string | undefined,
	language: string,
): Promise<void> {
	const { outbox, kv } = work.tables;
	if (!kv.nudgeDue()) return;
	if (template === undefined) return;
	// A nudge is nothing the resident asked for: after `berhenti` the messages wait for them.
	if (work.state().optedOut) return;
	const waiting = outbox.latestWaiting();
	if (waiting === undefined) {
		kv.setNudgeDue(false);
		return;
	}
	const summary = waiting.notice ?? textsFor(work.state().lang).nudge;
	const now = Date.now();
	work.tables.transaction(() => {
		outbox.add(
			{
				type: "template",
				name: template,
				language,
				bodyParams: [work.settings().get("OFFICE_NAME"), summary],
			},
			{ now, requestId: waiting.requestId },
		);
		kv.setNudgeDue(false);
	});
	await flushOutbox(work);
}

/**
 * Marks a resident's message read, with every message received before it: Meta "also marks
 * earlier messages in the conversation as read", so the latest message not handled yet is the
 * one marked, and the messages up to it need no call of their own when their step comes (one
 * call for a burst of messages, not one each). A message that arrived late (behind one already
 * handled) is marked on its own. `known`: the message's place when the caller has it, and whether
 * it was the last one waiting (then it is the latest).
 */
export async function markReadThrough(work: Work, messageId: string, known?: Found): Promise<void> {
	const { inbox } = work.tables;
	const place = known?.place ?? inbox.placeOf(messageId);
	if (place === undefined || place === "late") {
		await markRead(work, messageId);
		return;
	}
	if (work.readThrough !== undefined && !isAfter(place, work.readThrough)) return;
	const latest = (known?.last ? place : inbox.lastUnhandled()) ?? place;
	if (await markRead(work, latest.messageId)) work.readThrough = latest;
}

/** Marks one message read: best effort, blue ticks are not worth a retry. True when marked. */
async function markRead(work: Work, messageId: string): Promise<boolean> {
	try {
		await work.channel().markRead(messageId);
		return true;
	} catch (error) {
		log.info("conversation.mark_read_failed", {
			error: error instanceof Error ? error.message : String(error),
		});
		return false;
	}
}
