import { createRoute, z } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor } from "../requests/staff-queries";
import { audit } from "./audit";
import { actorOf, requireRole } from "./auth";
import { CursorQuery, LimitQuery, timeBoundQuery } from "./requests-routes";
import { createRouter } from "./router";
import { errorResponses } from "./schemas";

const AuditQuerySchema = z.object({
	actor: z.string().min(1).max(200).optional().openapi({
		example: "staff:5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11",
		description: "Exactly as recorded: `staff:<staff id>` (`staff:admin` for the bootstrap token).",
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

const auditRoute = createRoute({
	method: "get",
	path: "/audit",
	tags: ["Audit"],
	summary: "Read the audit log, newest first (admin only)",
	description: "Who did what to which request and when, file views included. Keyset-paginated.",
	security: [{ bearer: [] }],
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

/** The audit log's conditions, fixed text with bound values. */
const CONDITIONS = {
	actor: "actor = ?",
	request: "request_id = ?",
	action: "action = ?",
	from: "at >= ?",
	to: "at < ?",
	cursor: "(at, id) < (?, ?)",
} as const;

interface AuditRow {
	id: string;
	at: number;
	actor: string;
	action: string;
	request_id: string | null;
	detail: string;
}

/** Reading the audit log, itself audited (`audit.list`, with the filters). */
export const auditRoutes = createRouter().openapi(auditRoute, async (c) => {
	const query = c.req.valid("query");
	const filters: Record<string, string | number | boolean> = {
		limit: query.limit,
		cursor: query.cursor !== undefined,
	};
	const used: [keyof typeof CONDITIONS, ...(string | number)[]][] = [];
	for (const name of ["actor", "request", "action", "from", "to"] as const) {
		const value = query[name];
		if (value === undefined) continue;
		used.push([name, value]);
		filters[name] = value;
	}
	if (query.cursor !== undefined) {
		const cursor = decodeCursor(query.cursor);
		used.push(["cursor", cursor.at, cursor.id]);
	}
	const where =
		used.length === 0 ? "" : `WHERE ${used.map(([name]) => CONDITIONS[name]).join(" AND ")}`;
	const { results } = await c.env.DB.prepare(
		`SELECT id, at, actor, action, request_id, detail FROM audit_log ${where}
		ORDER BY at DESC, id DESC LIMIT ?`,
	)
		.bind(...used.flatMap(([, ...values]) => values), query.limit + 1)
		.all<AuditRow>();
	await audit(c.env.DB, { actor: actorOf(c.get("staff")), action: "audit.list", detail: filters });
	const page = results.slice(0, query.limit);
	const last = page.at(-1);
	return c.json(
		{
			items: page.map((row) => ({
				id: row.id,
				at: row.at,
				actor: row.actor,
				action: row.action,
				requestId: row.request_id,
				detail: JSON.parse(row.detail) as Record<string, unknown>,
			})),
			nextCursor:
				results.length > query.limit && last !== undefined ? encodeCursor(last.at, last.id) : null,
		},
		200,
	);
});
