/**
 * What the product needs from a chat channel to answer a resident: send, mark read, fetch the
 * files they send and upload the ones we send. A channel adapter (src/whatsapp/channel-client.ts)
 * implements it and keeps the channel's error codes and limits to itself: callers see outcomes.
 */
import type { OutboundMessage } from "./messages";

/** What became of one message handed to the channel. */
export type SendResult =
	/** Accepted; `messageId` is the channel's id for it (delivery statuses refer to it). */
	| { status: "sent"; messageId: string }
	/** Not now (throttled, outage): try again, not sooner than `retryAfterMs` when known. */
	| { status: "retry"; reason: string; retryAfterMs?: number }
	/** Only a template may reach the resident until they write again. */
	| { status: "window_closed"; reason: string }
	/**
	 * The channel refused the office's own credentials (WhatsApp: the access token expired or was
	 * revoked): nothing can go out until the deployer replaces them. Not this message's fault: it
	 * waits, and no try is counted against it.
	 */
	| { status: "unauthorized"; reason: string }
	/**
	 * Refused for good. `invalid` marks a message that breaks the channel's own limits: a bug in
	 * the product, never the resident's doing, so it is reported loudly.
	 */
	| { status: "permanent"; reason: string; invalid: boolean };

/** Where a file the resident sent is, and what the channel says of it. */
export interface MediaInfo {
	id: string;
	/** Where the bytes can be fetched (short-lived on WhatsApp: about 5 minutes). */
	url: string;
	mimeType: string;
	/** Hex SHA-256 as the channel's media endpoint gives it. */
	sha256?: string;
	fileSize?: number;
}

/** A file's bytes, streamed: read it once, never buffer it whole. */
export interface DownloadedMedia {
	info: MediaInfo;
	body: ReadableStream<Uint8Array>;
	contentType: string;
	contentLength: number | undefined;
	/** The transfer is over (read whole, refused or failed): stops its deadline. */
	done(): void;
}

/** A file to upload, given as a stream of known length (R2 objects know theirs). */
export interface UploadSource {
	body: ReadableStream<Uint8Array>;
	size: number;
	mimeType: string;
	fileName: string;
}

/**
 * Why a channel call other than a send failed; `retryable` says whether later may help.
 * `unauthorized`: the channel refused the office's credentials (retryable, and not the call's
 * fault: see SendResult's `unauthorized`).
 */
export interface ChannelFailure {
	ok: false;
	retryable: boolean;
	retryAfterMs?: number;
	unauthorized?: true;
	detail: string;
}

/** A channel call's answer: the value, or a classified failure (never a thrown channel error). */
export type ChannelResult<T> = { ok: true; value: T } | ChannelFailure;

/** How a message is sent. */
export interface SendOptions {
	/**
	 * Staff follow this message's delivery (their notices, the finished document, templates): its
	 * `delivered` and `read` statuses are marked so that they reach the Conversation.
	 */
	trackDelivery?: boolean;
}

/** One office number on one channel, as the Conversation object uses it. */
export interface ChannelClient {
	/** Sends `message` to the resident `to`; never throws. */
	send(to: string, message: OutboundMessage, options?: SendOptions): Promise<SendResult>;
	/** Marks a resident's message read (optionally showing "typing..."); best effort, may throw. */
	markRead(messageId: string, options?: { typing?: boolean }): Promise<void>;
	/** Step one of a download: where the file is and what the channel knows of it. */
	mediaInfo(mediaId: string): Promise<ChannelResult<MediaInfo>>;
	/** Step two, right after {@link mediaInfo}: the bytes, streamed. */
	download(info: MediaInfo): Promise<ChannelResult<DownloadedMedia>>;
	/** Uploads a file for sending; resolves to the channel's media id. */
	upload(source: UploadSource): Promise<ChannelResult<string>>;
}
