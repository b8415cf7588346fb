import type { DeliveryStatus } from "../../channel/events";
import { type ChannelName, windowClosedBy } from "../../channels";
import type { Work } from "./context";

/**
 * Acts on a failure the channel reported for a message: its delivery shows `failed`, and one the
 * window had closed for waits for the resident's next message, with a nudge by template. True when
 * the nudge is due. A failure for a message whose row is not written yet is kept until it is (see
 * EarlyFailures, {@link actOnEarlyFailures}).
 */
export function actOnFailure(work: Work, channel: ChannelName, status: DeliveryStatus): boolean {
	const { outbox, kv } = work.tables;
	if (!outbox.advanceDelivery(status.messageId, "failed")) {
		work.earlyFailures.keep({ channel, status });
		return false;
	}
	const windowClosed = windowClosedBy(channel, status.errors);
	if (windowClosed === undefined) return false;
	// The resident writes from another number now (their conversation moved): this one's number
	// may be someone else's by now, so it is neither nudged nor written to again.
	if (kv.get("moved_to") !== undefined) return false;
	// Keep the message for when the window reopens, and nudge by template.
	const waiting = outbox.waitAgain(status.messageId, windowClosed);
	if (waiting === undefined || nudgedAfter(work, waiting)) return false;
	kv.setNudgeDue(true);
	return true;
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
