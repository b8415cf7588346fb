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
	SearchBodySchema,
	TranscriptSchema,
} from "./requests.schemas";

const BINARY = { schema: z.string().openapi({ type: "string", format: "binary" }) };

export const list = createRoute({
	method: "get",
	path: "/requests",
	operationId: "listRequests",
	tags: ["Requests"],
	summary: "List requests, newest first, by filters, ticket or name prefix",
	description:
		"Keyset-paginated. A kelurahan operator only ever sees their own kelurahan's requests. A NIK or phone number in `q` answers 400: search those with `POST /requests/search`, so they stay out of URLs and access logs.",
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

export const search = createRoute({
	method: "post",
	path: "/requests/search",
	operationId: "searchRequests",
	tags: ["Requests"],
	summary: "Search requests by NIK, phone number or text, newest first",
	description:
		"The list's filters and pagination, with the search in the body (never in a URL). Exactly one of `nik`, `phone` or `q`. A kelurahan operator only ever sees their own kelurahan's requests.",
	security: bearer,
	request: {
		body: { content: { "application/json": { schema: SearchBodySchema } }, required: true },
	},
	responses: {
		200: {
			description: "One page of requests; pass `nextCursor` back as `cursor` for the next.",
			content: { "application/json": { schema: RequestListSchema } },
		},
		...anyRoleErrors,
	},
});

export const detail = createRoute({
	method: "get",
	path: "/requests/{id}",
	operationId: "getRequest",
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
	operationId: "downloadRequestAttachment",
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
	operationId: "listRequestMessages",
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
export type SearchRoute = typeof search;
export type DetailRoute = typeof detail;
export type FileRoute = typeof file;
export type TranscriptRoute = typeof transcript;
