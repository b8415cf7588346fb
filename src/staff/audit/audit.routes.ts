/**
 * The OpenAPI route of the audit log (admin only).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { bearer, CursorQuery, errorResponses, LimitQuery, timeBoundQuery } from "../schemas";

const AuditQuerySchema = z.object({
	actor: z.string().min(1).max(200).optional().openapi({
		example: "staff:5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11",
		description:
			"Exactly as recorded: `staff:<staff id>` (`bootstrap-admin` for the bootstrap token).",
	}),
	request: z
		.string()
		.min(1)
		.max(100)
		.optional()
		.openapi({ example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90", description: "A request id." }),
	action: z.string().min(1).max(100).optional().openapi({ example: "attachment.view" }),
	from: timeBoundQuery("from"),
	to: timeBoundQuery("to"),
	limit: LimitQuery,
	cursor: CursorQuery,
});

const AuditEntrySchema = z
	.object({
		id: z.string().openapi({ example: "7c9e6679-7425-40de-944b-e07fc1f90ae7" }),
		at: z.number().int().openapi({ example: 1795903600000 }),
		actor: z.string().openapi({ example: "staff:5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11" }),
		action: z.string().openapi({ example: "attachment.view" }),
		requestId: z.string().nullable().openapi({ example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90" }),
		detail: z
			.record(z.string(), z.unknown())
			.openapi({ example: { attachmentId: "0d9a3c5e:kk:wamid.HBgL", docCode: "kk" } }),
	})
	.openapi("AuditEntry");

const AuditPageSchema = z
	.object({
		items: z.array(AuditEntrySchema),
		nextCursor: z.string().nullable().openapi({ example: null }),
	})
	.openapi("AuditPage");

export const list = createRoute({
	method: "get",
	path: "/audit",
	operationId: "listAudit",
	tags: ["Audit"],
	summary: "Read the audit log, newest first (admin only)",
	description: "Who did what to which request and when, file views included. Keyset-paginated.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: { query: AuditQuerySchema },
	responses: {
		200: {
			description: "One page of audit entries.",
			content: { "application/json": { schema: AuditPageSchema } },
		},
		...errorResponses,
	},
});

export type ListRoute = typeof list;
