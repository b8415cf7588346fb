import { z } from "zod";
import type { OutboundMessage } from "../channel/messages";

/**
 * Meta's limits on what we send, as zod schemas: a message Meta would refuse is a bug, so it is
 * caught here (and in tests) rather than by a 400 from the Graph API in production.
 * Lengths count characters (code points), as WhatsApp does.
 */
const chars = (max: number, what: string) =>
	z.string().refine((s) => s.length >= 1 && atMost(s, max), {
		message: `${what} must be 1-${max} characters`,
	});
const optionalChars = (max: number, what: string) =>
	z
		.string()
		.refine((s) => atMost(s, max), { message: `${what} must be at most ${max} characters` })
		.optional();

/**
 * Whether `s` has at most `max` code points. A string has no more code points than UTF-16 units,
 * so most are settled by their length without spreading them into an array (every message sent
 * is checked: spreading each text cost 1% of the isolate in bench/ profiles).
 */
const atMost = (s: string, max: number): boolean => s.length <= max || [...s].length <= max;

/**
 * The `biz_opaque_callback_data` of a message whose delivery staff follow: Meta echoes it in the
 * message's status webhooks, so the webhook can tell those statuses from the ones it may drop.
 */
export const TRACK_DELIVERY = "track";

export const LIMITS = {
	textBody: 4096,
	interactiveBody: 1024,
	footer: 60,
	headerText: 60,
	buttons: 3,
	buttonTitle: 20,
	buttonId: 256,
	listButton: 20,
	listRows: 10,
	listSections: 10,
	rowTitle: 24,
	rowDescription: 72,
	rowId: 200,
	sectionTitle: 24,
	caption: 1024,
} as const;

export const textMessageSchema = z.object({
	body: chars(LIMITS.textBody, "text body"),
	previewUrl: z.boolean().optional(),
	replyTo: z.string().optional(),
});

export const buttonsMessageSchema = z
	.object({
		body: chars(LIMITS.interactiveBody, "interactive body"),
		header: optionalChars(LIMITS.headerText, "header"),
		footer: optionalChars(LIMITS.footer, "footer"),
		buttons: z
			.array(
				z.object({
					id: chars(LIMITS.buttonId, "button id"),
					title: chars(LIMITS.buttonTitle, "button title"),
				}),
			)
			.min(1)
			.max(LIMITS.buttons, `at most ${LIMITS.buttons} buttons`),
	})
	.refine((m) => new Set(m.buttons.map((b) => b.title)).size === m.buttons.length, {
		message: "button titles must be unique",
	})
	.refine((m) => new Set(m.buttons.map((b) => b.id)).size === m.buttons.length, {
		message: "button ids must be unique",
	});

export const listMessageSchema = z
	.object({
		body: chars(LIMITS.interactiveBody, "interactive body"),
		header: optionalChars(LIMITS.headerText, "header"),
		footer: optionalChars(LIMITS.footer, "footer"),
		button: chars(LIMITS.listButton, "list button"),
		sections: z
			.array(
				z.object({
					title: optionalChars(LIMITS.sectionTitle, "section title"),
					rows: z
						.array(
							z.object({
								id: chars(LIMITS.rowId, "row id"),
								title: chars(LIMITS.rowTitle, "row title"),
								description: optionalChars(LIMITS.rowDescription, "row description"),
							}),
						)
						.min(1),
				}),
			)
			.min(1)
			.max(LIMITS.listSections),
	})
	.refine((m) => m.sections.flatMap((s) => s.rows).length <= LIMITS.listRows, {
		message: `at most ${LIMITS.listRows} rows in all`,
	})
	.refine((m) => m.sections.length === 1 || m.sections.every((s) => s.title), {
		message: "every section needs a title when there are several",
	})
	.refine((m) => {
		const ids = m.sections.flatMap((s) => s.rows.map((r) => r.id));
		return new Set(ids).size === ids.length;
	}, "row ids must be unique");

export const mediaMessageSchema = z.object({
	mediaId: z.string().min(1),
	caption: optionalChars(LIMITS.caption, "caption"),
	fileName: z.string().min(1).max(240).optional(),
});

export const templateMessageSchema = z.object({
	name: z.string().min(1),
	language: z.string().min(2),
	/** Values for the template body's {{1}}, {{2}}, ... */
	bodyParams: z.array(z.string().min(1).max(1024)).default([]),
});

export type { OutboundMessage };

/** Thrown before sending when a message breaks Meta's limits. */
export class MessageLimitError extends Error {
	constructor(readonly issues: string[]) {
		super(`message breaks WhatsApp limits: ${issues.join("; ")}`);
		this.name = "MessageLimitError";
	}
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
	const result = schema.safeParse(value);
	if (!result.success) {
		throw new MessageLimitError(
			result.error.issues.map((issue) => `${issue.path.join(".") || "message"}: ${issue.message}`),
		);
	}
	return result.data;
}

/** The header, body and footer that buttons and lists share, in Meta's shape. */
function interactiveFrame(m: { body: string; header?: string; footer?: string }) {
	return {
		...(m.header ? { header: { type: "text", text: m.header } } : {}),
		body: { text: m.body },
		...(m.footer ? { footer: { text: m.footer } } : {}),
	};
}

/**
 * A business-scoped user id (BSUID): a country code, a dot and an id (`US.13491208655302741918`),
 * given instead of a phone number for people who adopted a username. Phone numbers are digits.
 */
export const BSUID = /^[A-Z]{2}\.[0-9A-Za-z]+$/;

/**
 * Meta's JSON for `POST /<phone_number_id>/messages`, after checking the limits. A resident known
 * only by a BSUID is addressed with `recipient`: Meta refuses a BSUID in `to`.
 */
export function toGraphPayload(to: string, message: OutboundMessage): Record<string, unknown> {
	const envelope = {
		messaging_product: "whatsapp",
		recipient_type: "individual",
		...(BSUID.test(to) ? { recipient: to } : { to }),
	};
	switch (message.type) {
		case "text": {
			const m = check(textMessageSchema, message);
			return {
				...envelope,
				...(m.replyTo ? { context: { message_id: m.replyTo } } : {}),
				type: "text",
				text: { body: m.body, preview_url: m.previewUrl ?? false },
			};
		}
		case "buttons": {
			const m = check(buttonsMessageSchema, message);
			return {
				...envelope,
				type: "interactive",
				interactive: {
					type: "button",
					...interactiveFrame(m),
					action: {
						buttons: m.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })),
					},
				},
			};
		}
		case "list": {
			const m = check(listMessageSchema, message);
			return {
				...envelope,
				type: "interactive",
				interactive: {
					type: "list",
					...interactiveFrame(m),
					action: {
						button: m.button,
						sections: m.sections.map((s) => ({
							...(s.title ? { title: s.title } : {}),
							rows: s.rows.map((r) => ({
								id: r.id,
								title: r.title,
								...(r.description ? { description: r.description } : {}),
							})),
						})),
					},
				},
			};
		}
		case "document":
		case "image": {
			const m = check(mediaMessageSchema, message);
			return {
				...envelope,
				type: message.type,
				[message.type]: {
					id: m.mediaId,
					...(m.caption ? { caption: m.caption } : {}),
					...(message.type === "document" && m.fileName ? { filename: m.fileName } : {}),
				},
			};
		}
		case "template": {
			const m = check(templateMessageSchema, message);
			return {
				...envelope,
				type: "template",
				template: {
					name: m.name,
					language: { code: m.language },
					...(m.bodyParams.length > 0
						? {
								components: [
									{
										type: "body",
										parameters: m.bodyParams.map((text) => ({ type: "text", text })),
									},
								],
							}
						: {}),
				},
			};
		}
	}
}
