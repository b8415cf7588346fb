/**
 * Meta's wire format as the sandbox produces it: the webhook envelopes a resident's phone would
 * cause (shapes from Meta's WhatsApp Cloud API documentation, "Webhooks": the messages and
 * statuses payloads) and the ids Meta would assign. Pure functions, no I/O, so tests can check
 * the bytes.
 */

import { toHex } from "../crypto";

/** The simulated business number: what `metadata.phone_number_id` says in every delivery. */
export const SANDBOX_PHONE_NUMBER_ID = "100000000000001";
/** Its display number (also `context.from` on replies to the business's messages). */
export const SANDBOX_DISPLAY_NUMBER = "6281100000001";
/** The simulated WhatsApp Business Account (`entry[].id`). */
export const SANDBOX_WABA_ID = "100000000000000";

/** A message the simulated resident sends, in Meta's `messages[]` terms minus from/id/timestamp. */
export type ResidentMessage =
	| { type: "text"; text: string }
	| { type: "button"; id: string; title: string; context?: string }
	| { type: "row"; id: string; title: string; description?: string; context?: string }
	| {
			type: "image" | "document";
			mediaId: string;
			mimeType: string;
			/** Base64, as Meta's webhook gives it. */
			sha256: string;
			fileName?: string;
			caption?: string;
	  };

type Json = Record<string, unknown>;

function randomHex(bytes: number): string {
	return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * A message id for something the resident sent. Real wamids are opaque; these carry the phone
 * so that a mark-as-read, which names only the message, can be shown in the right chat.
 */
export function residentMessageId(phone: string): string {
	return `wamid.SBX-${phone}-${randomHex(10).toUpperCase()}`;
}

/** A message id for something the business sent to `to`. */
export function businessMessageId(to: string): string {
	return `wamid.SBO-${to}-${randomHex(10).toUpperCase()}`;
}

/** The phone a sandbox message id was made for, if it is one of ours. */
export function phoneOfMessageId(id: string): string | undefined {
	return /^wamid\.SB[XO]-(\d{5,20})-[0-9A-F]+$/.exec(id)?.[1];
}

/** A media id like Meta's: 16 digits. */
export function newMediaId(): string {
	const digits = Array.from(crypto.getRandomValues(new Uint8Array(15)), (b) => b % 10).join("");
	return `1${digits}`;
}

/**
 * JSON the way Meta serialises it: every non-ASCII character escaped as `\uXXXX` (lowercase hex,
 * surrogate pairs escaped one by one), so a receiver that re-serialises the body before checking
 * the signature fails here exactly as it would against Meta.
 */
export function metaJson(value: unknown): string {
	return JSON.stringify(value).replace(
		/[\u007f-\uffff]/g,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
	);
}

/** The `messages[]` object Meta delivers for `message` (Meta's messages webhook reference). */
export function wireMessage(
	message: ResidentMessage,
	meta: { id: string; from: string; at: number },
): Json {
	const base: Json = {
		from: meta.from,
		id: meta.id,
		timestamp: String(Math.floor(meta.at / 1000)),
	};
	const context = (id: string | undefined) =>
		id === undefined ? {} : { context: { from: SANDBOX_DISPLAY_NUMBER, id } };
	switch (message.type) {
		case "text":
			return { ...base, type: "text", text: { body: message.text } };
		case "button":
			return {
				...context(message.context),
				...base,
				type: "interactive",
				interactive: {
					type: "button_reply",
					button_reply: { id: message.id, title: message.title },
				},
			};
		case "row":
			return {
				...context(message.context),
				...base,
				type: "interactive",
				interactive: {
					type: "list_reply",
					list_reply: {
						id: message.id,
						title: message.title,
						...(message.description ? { description: message.description } : {}),
					},
				},
			};
		case "image":
		case "document":
			return {
				...base,
				type: message.type,
				[message.type]: {
					...(message.caption ? { caption: message.caption } : {}),
					...(message.type === "document" && message.fileName
						? { filename: message.fileName }
						: {}),
					mime_type: message.mimeType,
					sha256: message.sha256,
					id: message.mediaId,
				},
			};
	}
}

function envelope(value: Json): Json {
	return {
		object: "whatsapp_business_account",
		entry: [
			{
				id: SANDBOX_WABA_ID,
				changes: [
					{
						value: {
							messaging_product: "whatsapp",
							metadata: {
								display_phone_number: SANDBOX_DISPLAY_NUMBER,
								phone_number_id: SANDBOX_PHONE_NUMBER_ID,
							},
							...value,
						},
						field: "messages",
					},
				],
			},
		],
	};
}

/** The exact body of the webhook POST Meta makes when `phone` (named `name`) sends `message`. */
export function messageDelivery(
	message: ResidentMessage,
	meta: { id: string; phone: string; name: string; at: number },
): string {
	return metaJson(
		envelope({
			contacts: [{ profile: { name: meta.name }, wa_id: meta.phone }],
			messages: [wireMessage(message, { id: meta.id, from: meta.phone, at: meta.at })],
		}),
	);
}

/** The exact body of a status webhook (Meta's statuses reference) for messages sent to `phone`. */
export function statusDelivery(
	phone: string,
	statuses: { id: string; status: "sent" | "delivered" | "read"; callbackData?: string }[],
	at: number,
): string {
	const timestamp = String(Math.floor(at / 1000));
	return metaJson(
		envelope({
			statuses: statuses.map(({ id, status, callbackData }) => ({
				id,
				status,
				timestamp,
				recipient_id: phone,
				// Meta echoes the send's biz_opaque_callback_data in each of its statuses.
				...(callbackData === undefined ? {} : { biz_opaque_callback_data: callbackData }),
				// Meta (v24+) puts pricing on one status only: delivered here.
				...(status !== "delivered"
					? {}
					: {
							pricing: {
								billable: false,
								pricing_model: "PMP",
								type: "free_customer_service",
								category: "service",
							},
						}),
			})),
		}),
	);
}
