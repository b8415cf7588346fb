import { createRoute, z } from "@hono/zod-openapi";
import { fieldProblem, Problem } from "../http/problem";
import { auditStatement } from "./audit";
import { actorOf, hashToken, newToken, requireRole } from "./auth";
import { createRouter } from "./router";
import { errorResponses, IdParamSchema, notFound, StaffRoleSchema, StaffSchema } from "./schemas";

interface StaffRow {
	id: string;
	name: string;
	role: "admin" | "officer" | "kelurahan";
	kelurahan: string | null;
	created_at: number;
	created_by: string;
	revoked_at: number | null;
}

const toStaff = (row: StaffRow) => ({
	id: row.id,
	name: row.name,
	role: row.role,
	kelurahan: row.kelurahan,
	createdAt: row.created_at,
	createdBy: row.created_by,
	revokedAt: row.revoked_at,
});

const NewStaffSchema = z
	.strictObject({
		name: z.string().trim().min(2).max(100).openapi({ example: "Rina Marlina" }),
		role: StaffRoleSchema,
		kelurahan: z
			.string()
			.regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, "must be an area code such as 16.74.01.1001")
			.optional()
			.openapi({
				example: "16.74.01.1001",
				description: "Required for the kelurahan role, refused otherwise.",
			}),
	})
	.openapi("NewStaff");

const createStaff = createRoute({
	method: "post",
	path: "/staff",
	tags: ["Staff"],
	summary: "Create a staff member and their token (shown once)",
	security: [{ bearer: [] }],
	middleware: [requireRole("admin")] as const,
	request: {
		body: { content: { "application/json": { schema: NewStaffSchema } }, required: true },
	},
	responses: {
		201: {
			description: "Created; `token` is shown only in this answer.",
			content: {
				"application/json": {
					schema: StaffSchema.extend({
						token: z
							.string()
							.openapi({ example: "dks_3q2-7s8f9g0h1j2k3l4m5n6o7p8q9r0s1t2u3v4w5x6y" }),
					}),
				},
			},
		},
		...errorResponses,
	},
});

const listStaff = createRoute({
	method: "get",
	path: "/staff",
	tags: ["Staff"],
	summary: "List staff members (tokens are never shown again)",
	security: [{ bearer: [] }],
	middleware: [requireRole("admin")] as const,
	responses: {
		200: {
			description: "All staff, newest first, revoked ones included.",
			content: { "application/json": { schema: z.object({ staff: z.array(StaffSchema) }) } },
		},
		...errorResponses,
	},
});

const revokeStaff = createRoute({
	method: "delete",
	path: "/staff/{id}",
	tags: ["Staff"],
	summary: "Revoke a staff member's token",
	security: [{ bearer: [] }],
	middleware: [requireRole("admin")] as const,
	request: { params: IdParamSchema },
	responses: {
		200: {
			description: "Revoked (again: revoking twice is harmless).",
			content: { "application/json": { schema: StaffSchema } },
		},
		...errorResponses,
		...notFound,
	},
});

export const staffRoutes = createRouter()
	.openapi(createStaff, async (c) => {
		const body = c.req.valid("json");
		if ((body.role === "kelurahan") !== (body.kelurahan !== undefined)) {
			throw fieldProblem("body.kelurahan", "required for the kelurahan role, refused otherwise");
		}
		if (body.kelurahan !== undefined) {
			const area = await c.env.DB.prepare("SELECT 1 FROM areas WHERE code = ?")
				.bind(body.kelurahan)
				.first();
			if (area === null) {
				throw fieldProblem("body.kelurahan", "unknown area code");
			}
		}
		const actor = actorOf(c.get("staff"));
		const token = newToken();
		const row: StaffRow = {
			id: crypto.randomUUID(),
			name: body.name,
			role: body.role,
			kelurahan: body.kelurahan ?? null,
			created_at: Date.now(),
			created_by: actor,
			revoked_at: null,
		};
		await c.env.DB.batch([
			c.env.DB.prepare(
				"INSERT INTO staff (id, name, role, kelurahan, token_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
			).bind(
				row.id,
				row.name,
				row.role,
				row.kelurahan,
				await hashToken(token),
				row.created_at,
				actor,
			),
			auditStatement(c.env.DB, {
				actor,
				action: "staff.create",
				detail: { staffId: row.id, role: row.role },
			}),
		]);
		return c.json({ ...toStaff(row), token }, 201);
	})
	.openapi(listStaff, async (c) => {
		const { results } = await c.env.DB.prepare(
			"SELECT id, name, role, kelurahan, created_at, created_by, revoked_at FROM staff ORDER BY created_at DESC, id",
		).all<StaffRow>();
		return c.json({ staff: results.map(toStaff) }, 200);
	})
	.openapi(revokeStaff, async (c) => {
		const { id } = c.req.valid("param");
		const actor = actorOf(c.get("staff"));
		const now = Date.now();
		const [, , selected] = await c.env.DB.batch([
			c.env.DB.prepare(
				"UPDATE staff SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
			).bind(now, actor, id),
			auditStatement(c.env.DB, { actor, action: "staff.revoke", detail: { staffId: id } }),
			c.env.DB.prepare(
				"SELECT id, name, role, kelurahan, created_at, created_by, revoked_at FROM staff WHERE id = ?",
			).bind(id),
		]);
		const row = (selected?.results as StaffRow[] | undefined)?.[0];
		if (row === undefined)
			throw new Problem(404, "not-found", "Not found", "No staff member with this id.");
		return c.json(toStaff(row), 200);
	});
