/**
 * The OpenAPI routes of complaints (pengaduan): the list with its filters and the overdue ones,
 * one complaint with its answers and photo, answering the resident, closing, and the admin's
 * time limit.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { COMPLAINT_STATUSES } from "../../requests/complaints";
import { MAX_COMPLAINT_DAYS } from "../../requests/office-settings";
import { requireRole } from "../auth";
import { IdempotencyHeaders } from "../idempotency";
import {
	anyRoleErrors,
	bearer,
	CursorQuery,
	conflict,
	errorResponses,
	idParam,
	LimitQuery,
	notFound,
	timeBoundQuery,
} from "../schemas";

const ComplaintIdParam = idParam({
	example: "PBM-ADU-261202-0001",
	description: "The complaint's id or ticket.",
});

const ComplaintSummarySchema = z
	.object({
		id: z.string(),
		ticket: z.string().openapi({ example: "PBM-ADU-261202-0001" }),
		status: z.enum(COMPLAINT_STATUSES),
		requestId: z.string().nullable().openapi({ description: "The request it is about, if any." }),
		requestTicket: z.string().nullable().openapi({ example: "PBM-261128-0001" }),
		areaCode: z.string().nullable().openapi({ example: "16.74.03.1001" }),
		createdAt: z.number().int(),
		dueDate: z.string().openapi({
			example: "2026-12-09",
			description: "Office-local date by which it must be answered.",
		}),
		overdue: z.boolean().openapi({ description: "Still unanswered after its due date." }),
		answeredAt: z.number().int().nullable(),
		closedAt: z.number().int().nullable(),
		hasPhoto: z.boolean(),
	})
	.openapi("ComplaintSummary");

const ComplaintSchema = ComplaintSummarySchema.extend({
	text: z.string().openapi({ description: "What the resident wrote." }),
	closedBy: z.string().nullable(),
	replies: z.array(
		z.object({
			id: z.string(),
			author: z.string().openapi({ example: "staff:5f0c1b9e" }),
			text: z.string(),
			at: z.number().int(),
		}),
	),
}).openapi("Complaint");

const TextBodySchema = z
	.strictObject({
		text: z
			.string()
			.trim()
			.min(1)
			.max(1000)
			.openapi({ example: "Mohon maaf atas keterlambatannya; KK Anda sudah selesai hari ini." }),
	})
	.openapi("ComplaintReplyBody");

const QueuedReplySchema = z
	.object({
		queued: z.literal(true),
		replyId: z.string(),
	})
	.openapi("QueuedReply");

export const list = createRoute({
	method: "get",
	path: "/complaints",
	operationId: "listComplaints",
	tags: ["Complaints"],
	summary: "List complaints, newest first (filters: status, overdue, request, dates)",
	description:
		"A kelurahan operator sees only complaints about requests of their kelurahan; complaints about no request are for admins and officers.",
	security: bearer,
	request: {
		query: z.object({
			status: z.enum(COMPLAINT_STATUSES).optional(),
			overdue: z
				.enum(["true", "false"])
				.optional()
				.openapi({ description: "`true`: only those still unanswered after their due date." }),
			request: z.string().min(1).max(100).optional().openapi({
				description: "Only complaints about this request (its id).",
			}),
			from: timeBoundQuery("from"),
			to: timeBoundQuery("to"),
			limit: LimitQuery,
			cursor: CursorQuery,
		}),
	},
	responses: {
		200: {
			description: "One page of complaints.",
			content: {
				"application/json": {
					schema: z.object({
						complaints: z.array(ComplaintSummarySchema),
						nextCursor: z.string().nullable(),
					}),
				},
			},
		},
		...anyRoleErrors,
	},
});

export const detail = createRoute({
	method: "get",
	path: "/complaints/{id}",
	operationId: "getComplaint",
	tags: ["Complaints"],
	summary: "One complaint: the resident's text and the answers",
	security: bearer,
	request: { params: ComplaintIdParam },
	responses: {
		200: {
			description: "The complaint.",
			content: { "application/json": { schema: ComplaintSchema } },
		},
		...anyRoleErrors,
		...notFound,
	},
});

export const photo = createRoute({
	method: "get",
	path: "/complaints/{id}/photo",
	operationId: "getComplaintPhoto",
	tags: ["Complaints"],
	summary: "The complaint's photo, streamed (every view audited)",
	security: bearer,
	request: { params: ComplaintIdParam },
	responses: {
		200: {
			description: "The photo.",
			content: {
				"image/jpeg": { schema: z.string().openapi({ format: "binary" }) },
				"image/png": { schema: z.string().openapi({ format: "binary" }) },
			},
		},
		...anyRoleErrors,
		...notFound,
	},
});

export const reply = createRoute({
	method: "post",
	path: "/complaints/{id}/reply",
	operationId: "replyToComplaint",
	tags: ["Complaints"],
	summary: "Answer the resident (sent now in the 24-hour window, else announced by template)",
	description:
		"Outside WhatsApp's 24-hour window the status template (STATUS_TEMPLATE_NAME) tells the resident an answer is waiting; the answer goes out when they write back.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		headers: IdempotencyHeaders,
		params: ComplaintIdParam,
		body: { content: { "application/json": { schema: TextBodySchema } }, required: true },
	},
	responses: {
		202: {
			description: "Recorded and queued for the resident.",
			content: { "application/json": { schema: QueuedReplySchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The complaint is closed."),
	},
});

export const close = createRoute({
	method: "post",
	path: "/complaints/{id}/close",
	operationId: "closeComplaint",
	tags: ["Complaints"],
	summary: "Close a complaint (closing a closed one changes nothing)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: { params: ComplaintIdParam },
	responses: {
		200: {
			description: "The complaint, closed.",
			content: { "application/json": { schema: ComplaintSchema } },
		},
		...errorResponses,
		...notFound,
	},
});

const ComplaintSettingsSchema = z
	.object({
		timeLimitDays: z.number().int().openapi({
			example: 5,
			description: "Working days within which a complaint is answered (5 unless an admin set it).",
		}),
		updatedAt: z.number().int().nullable(),
		updatedBy: z.string().nullable(),
	})
	.openapi("ComplaintSettings");

export const settings = createRoute({
	method: "get",
	path: "/complaint-settings",
	operationId: "getComplaintSettings",
	tags: ["Complaints"],
	summary: "The complaint time limit in working days",
	security: bearer,
	responses: {
		200: {
			description: "The current setting.",
			content: { "application/json": { schema: ComplaintSettingsSchema } },
		},
		...anyRoleErrors,
	},
});

export const updateSettings = createRoute({
	method: "put",
	path: "/complaint-settings",
	operationId: "updateComplaintSettings",
	tags: ["Complaints"],
	summary: "Set the complaint time limit (admin only; for complaints filed from now on)",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		body: {
			content: {
				"application/json": {
					schema: z
						.strictObject({
							timeLimitDays: z
								.number()
								.int("must be a whole number of working days")
								.min(1)
								.max(MAX_COMPLAINT_DAYS),
						})
						.openapi("ComplaintSettingsChange", { example: { timeLimitDays: 5 } }),
				},
			},
			required: true,
		},
	},
	responses: {
		200: {
			description: "The setting after the change (audited as `settings.complaints`).",
			content: { "application/json": { schema: ComplaintSettingsSchema } },
		},
		...errorResponses,
	},
});

export type ListRoute = typeof list;
export type DetailRoute = typeof detail;
export type PhotoRoute = typeof photo;
export type ReplyRoute = typeof reply;
export type CloseRoute = typeof close;
export type SettingsRoute = typeof settings;
export type UpdateSettingsRoute = typeof updateSettings;
