/**
 * WhatsApp as a {@link ChannelClient}: the one place that turns Graph API errors (kinds, codes,
 * Meta's message limits) into the product's outcomes.
 */
import type {
	ChannelClient,
	ChannelFailure,
	ChannelResult,
	DownloadedMedia,
	MediaInfo,
	SendOptions,
	SendResult,
	UploadSource,
} from "../channel/client";
import type { ChannelError } from "../channel/events";
import type { OutboundMessage } from "../channel/messages";
import type { GraphClient } from "./graph-client";
import { GraphError, isPassingDeliveryFailure, WINDOW_CLOSED_CODE } from "./graph-errors";
import { MessageLimitError } from "./outbound-messages";

/**
 * Told when Meta refuses the office's access token (its 190): an outage only the deployer can
 * end, so it is recorded where admins look. Must not throw.
 */
export type OnTokenRefused = (error: GraphError) => Promise<void>;

/** Adapts a {@link GraphClient} for one business number to the channel interface. */
export class WhatsAppChannel implements ChannelClient {
	constructor(
		private readonly graph: GraphClient,
		private readonly onTokenRefused?: OnTokenRefused,
	) {}

	/** Sends `message`; every Graph failure comes back classified, nothing is thrown. */
	async send(to: string, message: OutboundMessage, options: SendOptions = {}): Promise<SendResult> {
		try {
			return { status: "sent", messageId: await this.graph.send(to, message, options) };
		} catch (error) {
			await this.noteRefusedToken(error);
			return sendFailure(error);
		}
	}

	private async noteRefusedToken(error: unknown): Promise<void> {
		if (error instanceof GraphError && error.kind === "unauthorized") {
			await this.onTokenRefused?.(error);
		}
	}

	/** Marks a message read; Graph failures are thrown (the caller treats it as best effort). */
	markRead(messageId: string, options: { typing?: boolean } = {}): Promise<void> {
		return this.graph.markRead(messageId, options);
	}

	/** Where a resident's file is; a throttled or failing lookup may be tried again. */
	async mediaInfo(mediaId: string): Promise<ChannelResult<MediaInfo>> {
		try {
			return { ok: true, value: await this.graph.mediaInfo(mediaId) };
		} catch (error) {
			await this.noteRefusedToken(error);
			return failure(error, false);
		}
	}

	/** The file's bytes; a 404 here is an expired URL (it lives 5 minutes): a retry gets a fresh one. */
	async download(info: MediaInfo): Promise<ChannelResult<DownloadedMedia>> {
		try {
			return { ok: true, value: await this.graph.downloadFrom(info) };
		} catch (error) {
			await this.noteRefusedToken(error);
			return failure(error, error instanceof GraphError && error.httpStatus === 404);
		}
	}

	/** Uploads a file; only a permanent Graph refusal is final, anything else may be retried. */
	async upload(source: UploadSource): Promise<ChannelResult<string>> {
		try {
			return { ok: true, value: await this.graph.uploadMedia(source) };
		} catch (error) {
			await this.noteRefusedToken(error);
			const permanent = error instanceof GraphError && error.kind === "permanent";
			return {
				ok: false,
				retryable: !permanent,
				...(error instanceof GraphError && error.retryAfterMs !== undefined
					? { retryAfterMs: error.retryAfterMs }
					: {}),
				...(error instanceof GraphError && error.kind === "unauthorized"
					? { unauthorized: true }
					: {}),
				detail: describe(error),
			};
		}
	}
}

/**
 * The reason to record when a failed delivery's errors say the 24-hour window had closed after
 * all (Meta's {@link WINDOW_CLOSED_CODE}), else undefined.
 */
export function windowClosedReason(errors: ChannelError[]): string | undefined {
	return errors.some((error) => error.code === WINDOW_CLOSED_CODE)
		? `window closed (${WINDOW_CLOSED_CODE})`
		: undefined;
}

/**
 * The reason to record when a failed delivery's errors say sending it again later may succeed
 * (throttling, Meta's passing trouble: see {@link isPassingDeliveryFailure}), else undefined.
 */
export function passingFailureReason(errors: ChannelError[]): string | undefined {
	const passing = errors.filter((error) => isPassingDeliveryFailure(error.code));
	if (passing.length === 0) return undefined;
	return `delivery failed, to try again (${passing.map((error) => `${error.code} ${error.title}`.trim()).join("; ")})`.slice(
		0,
		500,
	);
}

function sendFailure(error: unknown): SendResult {
	const reason = describe(error).slice(0, 500);
	// A message over Meta's limits is the product's bug, not the resident's: never retried.
	if (error instanceof MessageLimitError) return { status: "permanent", reason, invalid: true };
	if (error instanceof GraphError) {
		if (error.kind === "window_closed") return { status: "window_closed", reason };
		if (error.kind === "unauthorized") return { status: "unauthorized", reason };
		if (error.kind === "throttled" || error.kind === "retryable") {
			return {
				status: "retry",
				reason,
				...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
			};
		}
	}
	return { status: "permanent", reason, invalid: false };
}

/**
 * A media call's failure: throttling, outages, a refused token and anything unexpected may be
 * tried again.
 */
function failure(error: unknown, alsoRetryable: boolean): ChannelFailure {
	if (!(error instanceof GraphError))
		return { ok: false, retryable: true, detail: describe(error) };
	const unauthorized = error.kind === "unauthorized";
	const retryable =
		error.kind === "throttled" || error.kind === "retryable" || unauthorized || alsoRetryable;
	return {
		ok: false,
		retryable,
		...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
		...(unauthorized ? { unauthorized: true } : {}),
		detail: error.message,
	};
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
