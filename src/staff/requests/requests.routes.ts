/**
 * The OpenAPI routes of reading requests: the queue, one request, its files and its WhatsApp
 * messages. All roles may use them (a kelurahan operator within their area).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { anyRoleErrors, bearer, notFound } from "../schemas";
import {
	AttachmentParamsSchema,
	ListQuerySchema,
	RequestDetailSchema,
	RequestListSchema,
	RequestParamsSchema,
	TranscriptSchema,
} from "./requests.schemas";

const BINARY = { schema: z.string().openapi({ type: "string", format: "binary" }) };

export const list = createRoute({
	method: "get",
	path: "/requests",
	tags: ["Requests"],
	summary: "List and search requests, newest first",
	description:
		"Keyset-paginated. A kelurahan operator only ever sees their own kelurahan's requests.",
	security: bearer,
	request: { query: ListQuerySchema },
	responses: {
		200: {
			description: "One page of requests.",
			content: { "application/json": { schema: RequestListSchema } },
		},
		...anyRoleErrors,
	},
});

export const detail = createRoute({
	method: "get",
	path: "/requests/{id}",
	tags: ["Requests"],
	summary: "Open a request: resident, service, document checklist, history, notes, chat state",
	security: bearer,
	request: { params: RequestParamsSchema },
	responses: {
		200: {
			description: "The request.",
			content: { "application/json": { schema: RequestDetailSchema } },
		},
		...anyRoleErrors,
		...notFound,
	},
});

export const file = createRoute({
	method: "get",
	path: "/requests/{id}/attachments/{attachmentId}",
	tags: ["Requests"],
	summary: "Download one of a request's files (audited)",
	security: bearer,
	request: { params: AttachmentParamsSchema },
	responses: {
		200: {
			description:
				"The file's bytes, as `Content-Disposition: attachment` named `<ticket>-<doc code>-<n>.<ext>`.",
			headers: {
				"Content-Disposition": {
					schema: { type: "string", example: 'attachment; filename="PBM-261128-0042-kk-1.jpg"' },
				},
				"Content-Length": { schema: { type: "integer", example: 123456 } },
				"Cache-Control": { schema: { type: "string", example: "private, no-store" } },
			},
			content: { "application/pdf": BINARY, "image/jpeg": BINARY, "image/png": BINARY },
		},
		...anyRoleErrors,
		...notFound,
	},
});

export const transcript = createRoute({
	method: "get",
	path: "/requests/{id}/messages",
	tags: ["Requests"],
	summary: "The WhatsApp messages exchanged about a request",
	description: "Empty for a request submitted at the kelurahan.",
	security: bearer,
	request: { params: RequestParamsSchema },
	responses: {
		200: {
			description: "Messages in and out, oldest first.",
			content: { "application/json": { schema: TranscriptSchema } },
		},
		...anyRoleErrors,
		...notFound,
	},
});

export type ListRoute = typeof list;
export type DetailRoute = typeof detail;
export type FileRoute = typeof file;
export type TranscriptRoute = typeof transcript;
