/**
 * The OpenAPI routes of hand-offs: the chats whose resident asked for a person (`petugas`),
 * writing to them, and closing them (the bot answers again).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { HANDOFF_FILE_TYPES } from "../../conversation/dialogue/handoff";
import { requireRole } from "../auth";
import { IdempotencyHeaders } from "../idempotency";
import {
	bearer,
	CursorQuery,
	conflict,
	errorResponses,
	idParam,
	LimitQuery,
	notFound,
} from "../schemas";

const HandoffIdParam = idParam({
	example: "0b6f3f5e-8a3c-4d1e-9d3a-3c8e7a2b1f00",
	description: "The hand-off's id (from the list).",
});

const HandoffFileParams = HandoffIdParam.extend({
	fileId: z
		.string()
		.min(1)
		.max(100)
		.openapi({
			param: { name: "fileId", in: "path" },
			example: "5c1f7a2e-9d3b-4e6a-8f10-2b7c4d9e6a31",
			description: "The file's id (from the hand-off's `files`).",
		}),
});

/** A photo, PDF, voice note, audio or video the resident sent while a person held the chat. */
export const HandoffFileSchema = z
	.object({
		id: z.string(),
		mimeType: z.string().openapi({ example: "image/jpeg" }),
		size: z.number().int(),
		fileName: z.string().nullable(),
		receivedAt: z.number().int().openapi({ description: "When it was stored (epoch ms)." }),
	})
	.openapi("HandoffFile");

const HandoffMessageSchema = z
	.object({
		direction: z
			.enum(["in", "out"])
			.openapi({ description: "in: from the resident; out: to them." }),
		at: z.number().int(),
		kind: z.string().openapi({
			example: "text",
			description:
				"text, choice, image, document, voice, audio, video, sticker, location, contacts, unsupported...",
		}),
		text: z.string().nullable().openapi({
			description:
				"What it says: the words, a file's name or caption, a place's name, address and coordinates, a contact card's name and phones; null when nothing (a sticker).",
		}),
		fileId: z.string().nullable().openapi({
			description:
				"A photo, PDF, voice note, audio or video the resident sent to staff: open it with `GET /handoffs/{id}/files/{fileId}`.",
		}),
		state: z
			.string()
			.nullable()
			.openapi({ description: "Outbound: pending, sent, waiting or dead." }),
		delivery: z.string().nullable().openapi({
			description: "Outbound: what WhatsApp last said (sent, delivered, read, failed).",
		}),
	})
	.openapi("HandoffMessage");

const HandoffSchema = z
	.object({
		id: z.string(),
		waitingSince: z.number().int().openapi({ description: "When the resident asked (epoch ms)." }),
		lastReplyAt: z.number().int().nullable().openapi({
			description: "When staff last wrote in this hand-off.",
		}),
		optedOutSince: z.number().int().nullable().openapi({
			description:
				"Since when the resident has stopped messages they did not ask for (`berhenti`); null when they receive them.",
		}),
		openRequests: z.array(
			z.object({
				id: z.string(),
				ticket: z.string().openapi({ example: "PBM-261128-0001" }),
				status: z.string().openapi({ example: "in_review" }),
				service: z.string().openapi({ example: "kk" }),
			}),
		),
		lastMessages: z
			.array(
				z.object({
					at: z.number().int(),
					kind: z.string().openapi({ example: "text" }),
					text: z.string().nullable(),
				}),
			)
			.openapi({ description: "The resident's latest messages, newest first." }),
		files: z.array(HandoffFileSchema).openapi({
			description:
				"Photos, PDFs, voice notes, audio and videos the resident sent during this hand-off, oldest first: open one with `GET /handoffs/{id}/files/{fileId}`.",
		}),
	})
	.openapi("Handoff");

export const list = createRoute({
	method: "get",
	path: "/handoffs",
	operationId: "listHandoffs",
	tags: ["Handoffs"],
	summary: "Chats waiting for a person, longest waiting first",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: { query: z.object({ limit: LimitQuery, cursor: CursorQuery }) },
	responses: {
		200: {
			description: "One page of open hand-offs.",
			content: {
				"application/json": {
					schema: z.object({ handoffs: z.array(HandoffSchema), nextCursor: z.string().nullable() }),
				},
			},
		},
		...errorResponses,
	},
});

export const reply = createRoute({
	method: "post",
	path: "/handoffs/{id}/reply",
	operationId: "replyToHandoff",
	tags: ["Handoffs"],
	summary: "Write to the resident (sent now in the 24-hour window, else announced by template)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		headers: IdempotencyHeaders,
		params: HandoffIdParam,
		body: {
			content: {
				"application/json": {
					schema: z
						.strictObject({
							text: z.string().trim().min(1).max(1000).openapi({
								example: "Selamat siang, saya Rina dari Disdukcapil. Ada yang bisa dibantu?",
							}),
						})
						.openapi("HandoffReplyBody"),
				},
			},
			required: true,
		},
	},
	responses: {
		202: {
			description: "Queued for the resident.",
			content: {
				"application/json": {
					schema: z.object({ queued: z.literal(true), replyId: z.string() }),
				},
			},
		},
		...errorResponses,
		...notFound,
		...conflict("The hand-off is closed."),
	},
});

export const close = createRoute({
	method: "post",
	path: "/handoffs/{id}/close",
	operationId: "closeHandoff",
	tags: ["Handoffs"],
	summary: "Close the hand-off: the bot answers the resident again and tells them",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: { params: HandoffIdParam },
	responses: {
		200: {
			description: "Closed (closing a closed one changes nothing).",
			content: {
				"application/json": {
					schema: z.object({
						id: z.string(),
						closedAt: z.number().int(),
						closedBy: z.string(),
					}),
				},
			},
		},
		...errorResponses,
		...notFound,
	},
});

const BINARY = { schema: z.string().openapi({ format: "binary" }) };

export const messages = createRoute({
	method: "get",
	path: "/handoffs/{id}/messages",
	operationId: "listHandoffMessages",
	tags: ["Handoffs"],
	summary: "The hand-off's whole conversation, oldest first (each view audited)",
	description:
		"From a few minutes before the resident asked for a person (what they asked about) to its close: what the resident wrote and everything sent to them (staff's replies, the bot's answers to commands, notices), paged. When the resident changed their WhatsApp number during that time or just before it, what they wrote and were sent at their earlier numbers is here too (until they changed, while that conversation still keeps it), in one order with the rest: each message once, however the pages are cut. Open and closed hand-offs alike, until the retention purge.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: HandoffIdParam,
		query: z.object({ limit: LimitQuery, cursor: CursorQuery }),
	},
	responses: {
		200: {
			description: "One page of the conversation.",
			content: {
				"application/json": {
					schema: z.object({
						handoff: z.object({
							id: z.string(),
							waitingSince: z.number().int(),
							lastReplyAt: z.number().int().nullable(),
							closedAt: z.number().int().nullable(),
							closedBy: z.string().nullable().openapi({
								description:
									"A staff actor, `resident` (went back to the bot), `expired` (nobody answered in time) or `superseded`.",
							}),
						}),
						messages: z.array(HandoffMessageSchema),
						files: z.array(HandoffFileSchema),
						nextCursor: z.string().nullable(),
					}),
				},
			},
		},
		...errorResponses,
		...notFound,
	},
});

export const file = createRoute({
	method: "get",
	path: "/handoffs/{id}/files/{fileId}",
	operationId: "getHandoffFile",
	tags: ["Handoffs"],
	summary: "A file the resident sent during the hand-off, streamed (every view audited)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: { params: HandoffFileParams },
	responses: {
		200: {
			description: "The file's bytes, shown inline.",
			content: Object.fromEntries(HANDOFF_FILE_TYPES.map((type) => [type, BINARY])),
		},
		...errorResponses,
		...notFound,
	},
});

export type ListRoute = typeof list;
export type FileRoute = typeof file;
export type MessagesRoute = typeof messages;
export type ReplyRoute = typeof reply;
export type CloseRoute = typeof close;
