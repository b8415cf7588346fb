import type { DeliveryStatus } from "../../channel/events";
import type { ChannelName } from "../../channels";

/** A failure kept for a message whose row is not written yet, with the channel that reported it. */
export interface EarlyFailure {
	channel: ChannelName;
	status: DeliveryStatus;
}

/**
 * Failures the channel reported for messages this object sent and has not written yet, in memory,
 * by channel id. A step's replies go out one by one before its commit (work/sending.ts, sendAhead),
 * and a queued message is marked sent only once its send answered; meanwhile the object takes
 * other calls, so Meta's failure for the first reply can come before any row has its id. Kept
 * while a run is under way (every send is a run's), taken once the row is written, and dropped
 * when the run ends: by then one that matched nothing was for no message of this object's.
 */
export class EarlyFailures {
	private runs = 0;
	private readonly kept = new Map<string, EarlyFailure>();

	/** Runs `run`, keeping failures for its sends meanwhile; forgets the unclaimed ones after. */
	async during<T>(run: () => Promise<T>): Promise<T> {
		this.runs++;
		try {
			return await run();
		} finally {
			if (--this.runs === 0) this.kept.clear();
		}
	}

	/** Keeps a failure no row matched, if a run may still write its message's row. */
	keep(failure: EarlyFailure): void {
		if (this.runs > 0) this.kept.set(failure.status.messageId, failure);
	}

	/** The failure kept for the message sent as `channelId`, now that its row is written. */
	take(channelId: string): EarlyFailure | undefined {
		if (this.kept.size === 0) return undefined;
		const failure = this.kept.get(channelId);
		this.kept.delete(channelId);
		return failure;
	}
}
