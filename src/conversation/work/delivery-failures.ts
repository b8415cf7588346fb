import type { DeliveryStatus } from "../../channel/events";
import { type ChannelName, passingFailureBy, windowClosedBy } from "../../channels";
import { log } from "../../log";
import type { Work } from "./context";
import { retryOrGiveUp } from "./send-retry";

/**
 * What acting on a failure asks of the object: `nudge` when a nudge by template is due; `runAt`
 * when the object must run by then (a message to send again, or a dead letter to report).
 */
export interface FailureAction {
	nudge: boolean;
	runAt?: number;
}

/**
 * Acts on a failure the channel reported for a message: its delivery shows `failed`; one the
 * window had closed for waits for the resident's next message, with a nudge by template; one that
 * failed for a passing reason (throttling, the channel's trouble) is sent again with backoff, under
 * the same cap as a send the channel answered "not now". Called once per failure (a redelivered
 * status is not recorded twice, see Deliveries.record). A failure for a message whose row is not
 * written yet is kept until it is (see EarlyFailures, {@link actOnEarlyFailures}).
 */
export function actOnFailure(
	work: Work,
	channel: ChannelName,
	status: DeliveryStatus,
): FailureAction {
	const { outbox, kv } = work.tables;
	if (!outbox.advanceDelivery(status.messageId, "failed")) {
		work.earlyFailures.keep({ channel, status });
		return { nudge: false };
	}
	// The resident writes from another number now (their conversation moved): this one's number
	// may be someone else's by now, so it is neither nudged nor written to again.
	if (kv.get("moved_to") !== undefined) return { nudge: false };
	const windowClosed = windowClosedBy(channel, status.errors);
	if (windowClosed === undefined) return sendAgainIfPassing(work, channel, status);
	// Keep the message for when the window reopens, and nudge by template.
	const waiting = outbox.waitAgain(status.messageId, windowClosed);
	if (waiting === undefined || nudgedAfter(work, waiting)) return { nudge: false };
	kv.setNudgeDue(true);
	return { nudge: true };
}

/** Sends a message again whose delivery failed for a passing reason; else leaves it failed. */
function sendAgainIfPassing(
	work: Work,
	channel: ChannelName,
	status: DeliveryStatus,
): FailureAction {
	const reason = passingFailureBy(channel, status.errors);
	if (reason === undefined) return { nudge: false };
	const sent = work.tables.outbox.sentAs(status.messageId);
	if (sent === undefined) return { nudge: false };
	// Its send was counted when it was marked sent.
	const retryAt = retryOrGiveUp(work, sent, sent.attempts, reason);
	log.warn("conversation.delivery_retry", {
		seq: sent.seq,
		attempts: sent.attempts,
		gaveUp: retryAt === undefined,
	});
	// Given up: its dead letter is reported by the run.
	return { nudge: false, runAt: retryAt ?? Date.now() };
}

/**
 * Acts on the failures that came for these messages before their rows were written, now that
 * they are (the nudge, if due, goes with the run's next flush). Nothing kept: no SQL.
 */
export function actOnEarlyFailures(work: Work, channelIds: readonly string[]): void {
	for (const channelId of channelIds) {
		const early = work.earlyFailures.take(channelId);
		if (early !== undefined) actOnFailure(work, early.channel, early.status);
	}
}

/**
 * Whether the resident was nudged already for a message that failed for a closed window: a
 * status template went after it was sent and after the resident last wrote. One nudge per closed
 * window: a step's replies fail one by one, each status usually in a webhook of its own, and the
 * first one's template (billed) asks the resident to write, which sends them all.
 */
function nudgedAfter(work: Work, failed: { seq: number; sentAt: number | null }): boolean {
	const template = work.settings().get("STATUS_TEMPLATE_NAME");
	if (template === undefined || failed.sentAt === null) return false;
	const since = Math.max(failed.sentAt, work.state().lastInboundAt ?? 0);
	return work.tables.outbox.nudgedSince(since, template, failed.seq);
}
