/**
 * One message of Meta's webhook as it arrives (`value.messages[]`): its schema, and what the
 * channel makes of it (an `InboundMessage`: text, a tap, a file, a recording, a place, contact
 * cards). The envelope around it and the statuses are `webhook-payload.ts`.
 *
 * @module
 */

import { z } from "zod";
import type {
	ChannelError,
	ClipContent,
	ContactsContent,
	FileProblem,
	InboundContent,
	InboundMessage,
	LocationContent,
} from "../channel/events";

/** Meta sends Unix seconds as a string; some fixtures carry numbers. Accept both. */
export const unixSeconds = z
	.union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()])
	.transform(Number);

export const errorSchema = z.object({
	code: z.coerce.number().int(),
	title: z.string().optional(),
	message: z.string().optional(),
	error_data: z.object({ details: z.string().optional() }).optional(),
});

const mediaSchema = z.object({
	id: z.string().min(1),
	mime_type: z.string().min(1),
	sha256: z.string().optional(),
	caption: z.string().optional(),
	filename: z.string().optional(),
	voice: z.boolean().optional(),
});

/** A shared place (a pin has only the coordinates; a chosen place adds its name and address). */
const locationSchema = z.object({
	latitude: z.number().min(-90).max(90),
	longitude: z.number().min(-180).max(180),
	name: z.string().optional(),
	address: z.string().optional(),
});

/** A contact card the resident shared (`messages[].contacts`, not `value.contacts`). */
const contactCardSchema = z.object({
	name: z
		.object({
			formatted_name: z.string().optional(),
			first_name: z.string().optional(),
			last_name: z.string().optional(),
		})
		.optional(),
	phones: z
		.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() }))
		.optional(),
});

export const messageSchema = z.object({
	id: z.string().min(1),
	from: z.string().min(1).optional(),
	from_user_id: z.string().min(1).optional(),
	timestamp: unixSeconds,
	type: z.string(),
	text: z.object({ body: z.string() }).optional(),
	image: mediaSchema.optional(),
	document: mediaSchema.optional(),
	audio: mediaSchema.optional(),
	// What only staff holding the chat can use: unreadable, the message still comes through (as its
	// kind alone), as it did before these were read.
	video: mediaSchema.optional().catch(undefined),
	location: locationSchema.optional().catch(undefined),
	contacts: z.array(z.unknown()).optional().catch(undefined),
	interactive: z
		.object({
			type: z.string(),
			button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
			list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
		})
		.optional(),
	button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
	unsupported: z.object({ type: z.string().optional() }).optional(),
	system: z
		.object({
			type: z.string().optional(),
			wa_id: z.string().min(1).optional(),
			new_wa_id: z.string().min(1).optional(),
		})
		.optional(),
	errors: z.array(errorSchema).optional(),
});
export type WireMessage = z.infer<typeof messageSchema>;

/** One of Meta's errors (on a message, a status or the account), as the channel keeps it. */
export function toChannelError(error: z.infer<typeof errorSchema>): ChannelError {
	const details = error.error_data?.details;
	return {
		code: error.code,
		title: error.title ?? error.message ?? "",
		...(details === undefined ? {} : { details }),
	};
}

/** A resident's message as the channel hands it on: its content, and a file Meta could not pass on. */
export function toInboundMessage(message: WireMessage, sentAt: number): InboundMessage {
	const content = toContent(message);
	const problem = fileProblemOf(message);
	const withProblem =
		problem !== undefined &&
		(content.kind === "unsupported" ||
			((content.kind === "voice" || content.kind === "audio" || content.kind === "video") &&
				content.mediaId === undefined));
	return { id: message.id, sentAt, content: withProblem ? { ...content, problem } : content };
}

/**
 * Meta's errors on an inbound message that say a file never reached us (M-media, M-errors):
 * 131052, over the size Meta passes on (100 MB); 131053, the media could not be uploaded or
 * downloaded on Meta's side (courier retries it: the resident sending it again is our retry).
 */
const FILE_PROBLEMS: Record<number, FileProblem> = { 131052: "too_large", 131053: "not_received" };

function fileProblemOf(message: WireMessage): FileProblem | undefined {
	for (const error of message.errors ?? []) {
		const problem = FILE_PROBLEMS[error.code];
		if (problem !== undefined) return problem;
	}
	return undefined;
}

function toContent(message: WireMessage): InboundContent {
	switch (message.type) {
		case "text":
			if (message.text) return { kind: "text", text: message.text.body };
			break;
		case "interactive": {
			const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
			if (reply) return { kind: "choice", id: reply.id, title: reply.title };
			break;
		}
		case "button":
			if (message.button) {
				return {
					kind: "choice",
					id: message.button.payload ?? message.button.text,
					title: message.button.text,
				};
			}
			break;
		case "image":
		case "document": {
			const media = message[message.type];
			if (media) {
				return {
					kind: "media",
					media: message.type,
					mediaId: media.id,
					mimeType: media.mime_type,
					...(media.sha256 === undefined ? {} : { sha256: media.sha256 }),
					...(media.filename === undefined ? {} : { fileName: media.filename }),
					...(media.caption === undefined ? {} : { caption: media.caption }),
				};
			}
			break;
		}
		case "audio":
			return { kind: message.audio?.voice ? "voice" : "audio", ...clipOf(message.audio) };
		case "video":
			return { kind: "video", ...clipOf(message.video) };
		case "sticker":
			return { kind: "sticker" };
		case "location":
			return { kind: "location", ...locationOf(message.location) };
		case "contacts":
			return { kind: "contacts", ...cardsOf(message.contacts) };
		case "unsupported":
			return { kind: "unsupported", detail: message.unsupported?.type ?? "unsupported" };
	}
	return { kind: "unsupported", detail: message.type };
}

/** Longest name, address or phone kept of a shared place or card (Meta's own are shorter). */
const MAX_DETAIL = 200;
/** Cards, and phones of a card, kept of one message. */
const MAX_CARDS = 10;
const MAX_PHONES = 5;

function clipped(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed.slice(0, MAX_DETAIL) : undefined;
}

/** The media of a voice note, audio or video, for the staff holding the chat to play. */
function clipOf(media: z.infer<typeof mediaSchema> | undefined): Omit<ClipContent, "kind"> {
	if (media === undefined) return {};
	return {
		mediaId: media.id,
		mimeType: media.mime_type,
		...(media.sha256 === undefined ? {} : { sha256: media.sha256 }),
		...(media.caption === undefined ? {} : { caption: media.caption }),
	};
}

function locationOf(
	location: z.infer<typeof locationSchema> | undefined,
): Omit<LocationContent, "kind"> {
	if (location === undefined) return {};
	const name = clipped(location.name);
	const address = clipped(location.address);
	return {
		latitude: location.latitude,
		longitude: location.longitude,
		...(name === undefined ? {} : { name }),
		...(address === undefined ? {} : { address }),
	};
}

/** Each readable card's name and phones (a card without either is left out). */
function cardsOf(raw: unknown[] | undefined): Omit<ContactsContent, "kind"> {
	const cards: NonNullable<ContactsContent["cards"]> = [];
	for (const item of raw ?? []) {
		const card = contactCardSchema.safeParse(item);
		if (!card.success || cards.length === MAX_CARDS) continue;
		const { formatted_name, first_name, last_name } = card.data.name ?? {};
		const name =
			clipped(formatted_name) ?? clipped([first_name, last_name].filter(Boolean).join(" ")) ?? "";
		const phones = (card.data.phones ?? [])
			.map((p) => clipped(p.phone ?? p.wa_id))
			.filter((p) => p !== undefined)
			.slice(0, MAX_PHONES);
		if (name !== "" || phones.length > 0) cards.push({ name, phones });
	}
	return cards.length > 0 ? { cards } : {};
}
