/**
 * What the resident's side of the product sees of a chat channel: small typed events, free of
 * Meta's wire format (that stays in src/whatsapp/), so another channel could feed the same dialogue.
 */

/** A file the resident sent; downloaded later through the channel's media API. */
export interface MediaContent {
	kind: "media";
	/** `image` for photos, `document` for files such as PDFs. */
	media: "image" | "document";
	mediaId: string;
	mimeType: string;
	/** Hash the channel announced (WhatsApp: base64 of the SHA-256), when it gave one. */
	sha256?: string;
	fileName?: string;
	caption?: string;
}

/**
 * A voice note, an audio file or a video: nothing the bot can use, but the staff holding the chat
 * can (it is then stored like a file). Messages recorded by earlier versions carry no media.
 */
export interface ClipContent {
	kind: "voice" | "audio" | "video";
	mediaId?: string;
	mimeType?: string;
	/** Hash the channel announced (WhatsApp: base64 of the SHA-256), when it gave one. */
	sha256?: string;
	caption?: string;
	/** The channel could not pass the recording on (then there is no media). */
	problem?: FileProblem;
}

/** A place the resident shared: a pin (coordinates only) or a named place. */
export interface LocationContent {
	kind: "location";
	latitude?: number;
	longitude?: number;
	name?: string;
	address?: string;
}

/** Contact cards the resident shared: each one's name and phone numbers, as the card gives them. */
export interface ContactsContent {
	kind: "contacts";
	cards?: { name: string; phones: string[] }[];
}

/**
 * A place or contact cards without what they tell (coordinates, names, addresses, phone
 * numbers), as kept of one that was for nobody to read; undefined when there is nothing to take out.
 */
export function withoutDetails(content: InboundContent): InboundContent | undefined {
	if (content.kind === "location" && Object.keys(content).length > 1) return { kind: "location" };
	if (content.kind === "contacts" && content.cards !== undefined) return { kind: "contacts" };
	return undefined;
}

export type InboundContent =
	| { kind: "text"; text: string }
	/** A tap on a reply button, a list row or a template's quick-reply button. */
	| { kind: "choice"; id: string; title: string }
	| MediaContent
	| ClipContent
	| { kind: "sticker" }
	| LocationContent
	| ContactsContent
	/** Recorded by earlier versions; reactions are now left out by the channel (no answer due). */
	| { kind: "reaction"; emoji?: string }
	/**
	 * Anything else the channel delivers (polls, orders, unknown types, ...). `problem`: the
	 * resident sent a file the channel could not pass on: too large for the channel, or lost on
	 * the way (to be sent again).
	 */
	| { kind: "unsupported"; detail: string; problem?: FileProblem };

/** Why a file the resident sent never reached us, as the channel reports it. */
export type FileProblem = "too_large" | "not_received";

export interface InboundMessage {
	/** The channel's message id; the inbox deduplicates on it. */
	id: string;
	/** When the resident sent it, in epoch milliseconds. */
	sentAt: number;
	content: InboundContent;
}

export type DeliveryState = "sent" | "delivered" | "read" | "failed" | "other";

export interface ChannelError {
	code: number;
	title: string;
	details?: string;
}

/** What the channel says happened to a message we sent. */
export interface DeliveryStatus {
	messageId: string;
	state: DeliveryState;
	at: number;
	errors: ChannelError[];
	/** The message was sent with `trackDelivery` (the channel echoes the mark in its statuses). */
	tracked: boolean;
}

/**
 * Whether a status needs the resident's Conversation at all. A failure always does (a closed
 * window keeps the message for later; the errors are kept). Of the rest, only `delivered` and
 * `read` of a message whose delivery staff follow: `sent` adds nothing to the outbox's own
 * `sent`, and the ticks of the bot's ordinary replies need no action, so they cost no object
 * request and no row (about 3 statuses come for every message sent).
 */
export function statusNeedsConversation(status: DeliveryStatus): boolean {
	if (status.state === "failed" || status.errors.length > 0) return true;
	return status.tracked && (status.state === "delivered" || status.state === "read");
}

/** One resident's share of a webhook delivery, handed to that resident's Conversation. */
export interface InboundBatch {
	channel: "whatsapp";
	/** The office's number on the channel (WhatsApp: `phone_number_id`). */
	businessId: string;
	/** Who the resident is on the channel (WhatsApp: `wa_id`, or the user id when no phone). */
	residentId: string;
	/**
	 * The resident's account id on the channel when it gave one (WhatsApp: the business-scoped user
	 * id, `US.…`). Equal to `residentId` when the resident is known by nothing else.
	 */
	userId?: string;
	/** The channel says the resident moved to this id (WhatsApp: a number change). */
	newResidentId?: string;
	/** The name the resident shows on the channel, when given. */
	profileName?: string;
	messages: InboundMessage[];
	statuses: DeliveryStatus[];
}
