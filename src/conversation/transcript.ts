/** What staff see of a conversation: the window, undelivered notices and the transcript. */
import type { InboundContent } from "../channel/events";
import type { OutboundMessage } from "../channel/messages";
import { type HandoffMessage, inboundKey, outboundKey } from "./handoff-page";
import type { Tables } from "./store/tables";
import { WINDOW_MS } from "./work/context";

/** What staff see of a conversation for one request. */
export interface CaseState {
	/** When the 24-hour window closes, if it is open now. */
	windowOpenUntil: number | null;
	/** Messages about the request waiting for the resident to write (window closed, no template). */
	waitingNotices: number;
	/** Messages about the request that could not be sent at all. */
	deadMessages: number;
}

/** One message of the staff's transcript of a request. */
export interface TranscriptEntry {
	direction: "in" | "out";
	at: number;
	messageId: string | null;
	kind: string;
	text: string | null;
	/** Outbound only: pending, sent, waiting or dead. */
	state: string | null;
	/** Outbound only: what WhatsApp last said (sent, delivered, read, failed). */
	delivery: string | null;
	error: string | null;
	/**
	 * Outbound only: the requests a reply about several of them names (the status list); empty
	 * for a message about this request alone. Staff see such a reply only if they may see all.
	 */
	mentions: string[];
}

/** The window (from the resident's last message, if any) and the request's undelivered messages. */
export function caseStateOf(
	tables: Tables,
	requestId: string,
	lastInboundAt: number | null,
	now: number,
): CaseState {
	const until = lastInboundAt === null ? null : lastInboundAt + WINDOW_MS;
	return {
		windowOpenUntil: until !== null && until > now ? until : null,
		waitingNotices: tables.outbox.count(requestId, "waiting"),
		deadMessages: tables.outbox.count(requestId, "dead"),
	};
}

/** The exchange about one request, oldest first. */
export function transcriptOf(tables: Tables, requestId: string): TranscriptEntry[] {
	const inbound = tables.inbox.ofRequest(requestId).map(
		(message): TranscriptEntry => ({
			direction: "in",
			at: message.sentAt,
			messageId: message.id,
			kind: message.content.kind === "media" ? message.content.media : message.content.kind,
			text: describeInbound(message.content),
			state: null,
			delivery: null,
			error: null,
			mentions: [],
		}),
	);
	const outbound = tables.outboxReads.ofRequest(requestId).map(
		(row): TranscriptEntry => ({
			direction: "out",
			at: row.sentAt ?? row.createdAt,
			messageId: row.channelId,
			kind: row.message.type,
			text: describeOutbound(row.message),
			state: row.state,
			delivery: row.delivery,
			error: row.lastError,
			mentions: row.mentions,
		}),
	);
	return [...inbound, ...outbound].sort((a, b) => a.at - b.at);
}

/**
 * This conversation's messages between `from` and `to` (a hand-off's span, on this object's
 * clock), unordered: the resident's and everything sent to them (staff's replies, the bot's
 * answers to commands, notices). `tag` names this conversation in the keys of what it sent.
 */
export function handoffSpanOf(
	tables: Tables,
	span: { from: number; to: number },
	tag: string,
): HandoffMessage[] {
	const inbound = tables.inbox.between(span.from, span.to).map(
		({ message, receivedAt }): HandoffMessage => ({
			order: receivedAt,
			key: inboundKey(message.id),
			direction: "in",
			at: message.sentAt,
			kind: message.content.kind === "media" ? message.content.media : message.content.kind,
			text: describeInbound(message.content),
			messageId: message.id,
			state: null,
			delivery: null,
		}),
	);
	const outbound = tables.outboxReads.between(span.from, span.to).map(
		(row): HandoffMessage => ({
			order: row.createdAt,
			key: outboundKey(tag, row.seq),
			direction: "out",
			at: row.sentAt ?? row.createdAt,
			kind: row.message.type,
			text: describeOutbound(row.message),
			messageId: null,
			state: row.state,
			delivery: row.delivery,
		}),
	);
	return [...inbound, ...outbound];
}

/** One of the resident's latest messages, as staff taking the chat read it. */
export interface RecentMessage {
	at: number;
	kind: string;
	text: string | null;
}

/** The resident's latest `limit` messages, newest first (whatever request they were about). */
export function recentMessagesOf(tables: Tables, limit: number): RecentMessage[] {
	return tables.inbox.latest(limit).map((message) => ({
		at: message.sentAt,
		kind: message.content.kind === "media" ? message.content.media : message.content.kind,
		text: describeInbound(message.content),
	}));
}

function describeInbound(content: InboundContent): string | null {
	switch (content.kind) {
		case "text":
			return content.text;
		case "choice":
			return content.title;
		case "media":
			return [content.fileName, content.caption].filter(Boolean).join(" - ") || content.mimeType;
		case "voice":
		case "audio":
		case "video":
			return content.caption ?? null;
		case "location": {
			const { latitude, longitude } = content;
			const at =
				latitude === undefined || longitude === undefined ? [] : [`(${latitude}, ${longitude})`];
			return [content.name, content.address, ...at].filter(Boolean).join(" - ") || null;
		}
		case "contacts":
			return (
				(content.cards ?? [])
					.map((card) => [card.name, card.phones.join(", ")].filter(Boolean).join(": "))
					.join("; ") || null
			);
		case "reaction":
			return content.emoji ?? null;
		case "unsupported":
			return content.detail;
		default:
			return null;
	}
}

function describeOutbound(message: OutboundMessage): string | null {
	switch (message.type) {
		case "text":
		case "buttons":
		case "list":
			return message.body;
		case "document":
		case "image":
			return message.caption ?? message.fileName ?? null;
		case "template":
			return `${message.name}: ${message.bodyParams?.join(" | ") ?? ""}`;
	}
}
