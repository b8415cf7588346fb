import type { SendResult } from "../../channel/client";
import { log } from "../../log";
import { backoffDelay } from "../backoff";
import type { PendingMessage } from "../store/outbox";
import { textsFor } from "../texts";
import { WINDOW_MS, type Work } from "./context";

/** Sends are retried this many times before the message is kept as dead for staff. */
export const MAX_SEND_ATTEMPTS = 8;

/**
 * Sends due messages in order. A throttled or failing message holds back the ones after it
 * (residents must read replies in order); a permanently refused one is kept as dead.
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
		const windowOpen = lastInbound !== null && now - lastInbound < WINDOW_MS;
		if (!windowOpen && row.message.type !== "template") {
			outbox.markWaiting(row.seq);
			kv.setNudgeDue(true);
			continue;
		}
		const result = await channel.send(residentId, row.message, {
			trackDelivery: row.trackDelivery,
		});
		if (result.status === "sent") outbox.markSent(row.seq, now, result.messageId);
		else if (!onSendFailure(work, row, result)) break;
	}
	await nudgeIfDue(
		work,
		settings.get("STATUS_TEMPLATE_NAME"),
		settings.get("STATUS_TEMPLATE_LANGUAGE"),
	);
}

/** Records a failed send; true when later messages may still go out. */
function onSendFailure(
	work: Work,
	row: PendingMessage,
	result: Exclude<SendResult, { status: "sent" }>,
): boolean {
	const { outbox, kv } = work.tables;
	switch (result.status) {
		case "window_closed":
			outbox.markWaiting(row.seq, result.reason);
			kv.setNudgeDue(true);
			return true;
		case "retry": {
			const attempts = row.attempts + 1;
			if (attempts >= MAX_SEND_ATTEMPTS) {
				log.error("conversation.send_gave_up", { seq: row.seq, attempts, error: result.reason });
				outbox.markDead(row.seq, attempts, result.reason);
				return true;
			}
			const delay = backoffDelay(attempts, {
				...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
			});
			outbox.retryLater(row.seq, attempts, Date.now() + delay, result.reason);
			return false;
		}
		case "permanent":
			if (result.invalid) {
				// The product built a message the channel cannot carry: a bug, reported loudly.
				log.error("conversation.message_breaks_limits", { seq: row.seq, error: result.reason });
				outbox.markDead(row.seq, row.attempts, result.reason);
			} else {
				log.error("conversation.send_refused", { seq: row.seq, error: result.reason });
				outbox.markDead(row.seq, row.attempts + 1, result.reason);
			}
			return true;
	}
}

/**
 * Outside the 24-hour window only a template may be sent: one nudge per closed window, so
 * the resident writes back and the waiting messages go out. Without a template, or for a
 * resident who stopped messages, they wait.
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

/** Marks a resident's message read: best effort, blue ticks are not worth a retry. */
export async function markRead(work: Work, messageId: string): Promise<void> {
	try {
		await work.channel().markRead(messageId);
	} catch (error) {
		log.info("conversation.mark_read_failed", {
			error: error instanceof Error ? error.message : String(error),
		});
	}
}
