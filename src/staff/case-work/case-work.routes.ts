/**
 * The OpenAPI routes of case work: moving a request through its statuses, internal notes,
 * messages to the resident, the finished document and the pick-up notice.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { REQUEST_STATUSES } from "../../requests/statuses";
import { requireRole } from "../auth";
import { IdempotencyHeaders } from "../idempotency";
import {
	bearer,
	conflict,
	errorResponses,
	IdParamSchema,
	notFound,
	problemResponse,
} from "../schemas";
import { MAX_RESULT_BYTES } from "./result-upload";

const TransitionSchema = z
	.strictObject({
		to: z.enum(REQUEST_STATUSES).openapi({ example: "needs_revision" }),
		reason: z
			.string()
			.trim()
			.min(3)
			.max(500)
			.optional()
			.openapi({ example: "Foto KK buram, mohon foto ulang dengan terang." }),
		documents: z
			.array(z.string().min(1).max(60))
			.min(1)
			.max(20)
			.optional()
			.openapi({
				example: ["kk"],
				description: "For needs_revision: the document codes to send again.",
			}),
		version: z.number().int().min(1).optional().openapi({
			example: 1,
			description: "The version you saw; a request changed since answers 409.",
		}),
	})
	.openapi("Transition");

const TransitionResultSchema = z
	.object({
		id: z.string(),
		ticket: z.string(),
		from: z.enum(REQUEST_STATUSES),
		to: z.enum(REQUEST_STATUSES),
		version: z.number().int(),
		residentNotified: z.boolean().openapi({
			description:
				"True once the notice is queued for the resident, or for the kelurahan operator who filed the request without the resident's number. False when nobody can be told over WhatsApp, or the notice could not be queued yet (the scheduled redelivery sends it).",
		}),
	})
	.openapi("TransitionResult");

export const transition = createRoute({
	method: "post",
	path: "/requests/{id}/transitions",
	operationId: "transitionRequest",
	tags: ["Requests"],
	summary: "Move a request to another status (tells the resident)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: TransitionSchema } }, required: true },
	},
	responses: {
		200: {
			description: "Moved.",
			content: { "application/json": { schema: TransitionResultSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The move is not allowed from the current status, or the request changed meanwhile.",
		),
	},
});

const NoteSchema = z
	.strictObject({
		text: z
			.string()
			.trim()
			.min(1)
			.max(2000)
			.openapi({ example: "Sudah dicek ke SIAK, data cocok." }),
	})
	.openapi("NewNote");
const NoteResultSchema = z
	.object({ id: z.string(), at: z.number().int(), author: z.string(), text: z.string() })
	.openapi("Note");

export const addNote = createRoute({
	method: "post",
	path: "/requests/{id}/notes",
	operationId: "addRequestNote",
	tags: ["Requests"],
	summary: "Add an internal note (never shown to the resident)",
	security: bearer,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: NoteSchema } }, required: true },
	},
	responses: {
		201: { description: "Added.", content: { "application/json": { schema: NoteResultSchema } } },
		...errorResponses,
		...notFound,
	},
});

const MessageSchema = z
	.strictObject({
		text: z
			.string()
			.trim()
			.min(1)
			.max(3000)
			.openapi({ example: "Mohon datang ke kantor hari Senin untuk perekaman." }),
	})
	.openapi("NewMessage");
const QueuedSchema = z.object({ queued: z.literal(true), noticeId: z.string() }).openapi("Queued");

export const sendMessage = createRoute({
	method: "post",
	path: "/requests/{id}/messages",
	operationId: "sendRequestMessage",
	tags: ["Requests"],
	summary: "Write to the resident on WhatsApp (only inside the 24-hour window)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		headers: IdempotencyHeaders,
		params: IdParamSchema,
		body: { content: { "application/json": { schema: MessageSchema } }, required: true },
	},
	responses: {
		202: {
			description: "Queued for sending.",
			content: { "application/json": { schema: QueuedSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The 24-hour window is closed (a template is needed), or the request has no WhatsApp resident.",
		),
	},
});

const ResultSchema = z
	.object({
		attachmentId: z.string(),
		size: z.number().int(),
		sha256: z.string(),
		queued: z.boolean().openapi({
			description:
				"False when nobody receives this request's documents over WhatsApp, or the hand-over failed just now (the document is kept then, and the cron sends it within minutes).",
		}),
	})
	.openapi("ResultUpload");

export const putResult = createRoute({
	method: "put",
	path: "/requests/{id}/result",
	operationId: "uploadRequestResult",
	tags: ["Requests"],
	summary: "Attach the finished document (PDF, at most 20 MB) and send it to the resident",
	description:
		"The body is the PDF itself (`Content-Type: application/pdf`, with `Content-Length`). It is streamed to storage, uploaded to WhatsApp and sent as a document whose caption names the ticket. Accepted only while the request is `processing` or `completed` and its files are not purged. Sending again is allowed.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: {
			content: {
				"application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) },
			},
			required: true,
		},
	},
	responses: {
		201: {
			description: "Stored, and queued for the resident.",
			content: { "application/json": { schema: ResultSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The service gives a printed card (send a pick-up notice instead), or the request is not processing or completed, or its files were purged (`requestStatus` names its status).",
		),
		411: problemResponse("No Content-Length."),
		413: problemResponse(`Larger than ${MAX_RESULT_BYTES} bytes.`),
		415: problemResponse("Not a PDF."),
	},
});

const PickupSchema = z
	.strictObject({
		place: z.string().trim().min(3).max(200).openapi({ example: "Kantor Kelurahan Gunung Kemala" }),
		from: z
			.string()
			.trim()
			.min(3)
			.max(100)
			.openapi({ example: "Senin, 1 Desember 2026 pukul 09.00" }),
	})
	.openapi("Pickup");

export const pickup = createRoute({
	method: "post",
	path: "/requests/{id}/pickup",
	operationId: "setRequestPickup",
	tags: ["Requests"],
	summary: "Tell the resident where and from when to pick up a printed card (KTP-el, KIA)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		headers: IdempotencyHeaders,
		params: IdParamSchema,
		body: { content: { "application/json": { schema: PickupSchema } }, required: true },
	},
	responses: {
		202: {
			description: "Queued for sending.",
			content: { "application/json": { schema: QueuedSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The service gives a PDF, not a card, or the request has no WhatsApp resident."),
	},
});

export type TransitionRoute = typeof transition;
export type AddNoteRoute = typeof addNote;
export type SendMessageRoute = typeof sendMessage;
export type PutResultRoute = typeof putResult;
export type PickupRoute = typeof pickup;
