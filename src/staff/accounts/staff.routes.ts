/**
 * The OpenAPI routes of staff accounts: create (with a token shown once), list, revoke, rotate a
 * token (the new one shown once). Admin only.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { CreationKeyHeaders } from "../idempotency";
import { bearer, conflict, errorResponses, IdParamSchema, notFound, phoneField } from "../schemas";
import { STAFF_ROLES } from "../types";

/** A staff role, as the API shows it. */
export const StaffRoleSchema = z.enum(STAFF_ROLES).openapi({ example: "officer" });

/** A staff member as the API shows it (never their token). */
export const StaffSchema = z
	.object({
		id: z.string().openapi({ example: "5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11" }),
		name: z.string().openapi({ example: "Rina Marlina" }),
		role: StaffRoleSchema,
		kelurahan: z.string().nullable().openapi({
			example: null,
			description: "A kelurahan operator's home area; null for other roles.",
		}),
		areas: z.array(z.string()).openapi({
			example: [],
			description:
				"A kelurahan operator's areas: kelurahan/desa codes, or kecamatan codes meaning all of their areas; empty for other roles.",
		}),
		createdAt: z.number().int().openapi({ example: 1795900000000 }),
		createdBy: z.string().openapi({ example: "bootstrap-admin" }),
		revokedAt: z.number().int().nullable().openapi({ example: null }),
		expiresAt: z.number().int().openapi({
			example: 1803676000000,
			description: "When the token stops working (epoch ms); rotate it before.",
		}),
		phone: z.string().nullable().openapi({
			example: "6281234567890",
			description: "WhatsApp number for the morning digest (E.164 digits), or null.",
		}),
	})
	.openapi("Staff");

/** Days a token works: 90 unless the admin says otherwise. */
const ExpiresInDays = z.number().int().min(1).max(365).default(90).openapi({
	example: 90,
	description: "Days until the token expires (1-365, 90 when left out).",
});

/** A staff member with the token that is shown only in this answer. */
const StaffWithTokenSchema = StaffSchema.extend({
	token: z.string().openapi({ example: "dks_3q2-7s8f9g0h1j2k3l4m5n6o7p8q9r0s1t2u3v4w5x6y" }),
}).openapi("StaffWithToken");

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
				description:
					"The home area of a kelurahan operator (this or `areas` is required for the kelurahan role, both refused otherwise).",
			}),
		areas: z
			.array(
				z
					.string()
					.regex(
						/^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/,
						"must be an area code such as 16.74.01.1001 or a kecamatan code such as 16.74.01",
					),
			)
			.min(1)
			.max(50)
			.optional()
			.openapi({
				example: ["16.74.01.1001", "16.74.02"],
				description:
					"The areas a kelurahan operator serves: kelurahan/desa codes, or a kecamatan code for all of its areas.",
			}),
		expiresInDays: ExpiresInDays,
		phone: phoneField("6281234567890", {
			example: "6281234567890",
			description:
				"WhatsApp number for the morning digest (admins and officers); stored as E.164 digits.",
		}),
	})
	.openapi("NewStaff");

export const create = createRoute({
	method: "post",
	path: "/staff",
	operationId: "createStaff",
	tags: ["Staff"],
	summary: "Create a staff member and their token (shown once)",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		headers: CreationKeyHeaders,
		body: { content: { "application/json": { schema: NewStaffSchema } }, required: true },
	},
	responses: {
		201: {
			description: "Created; `token` is shown only in this answer.",
			content: { "application/json": { schema: StaffWithTokenSchema } },
		},
		...errorResponses,
		...conflict(
			"Already created by an earlier call with this Idempotency-Key (`id` names the member; rotate its token if it was not kept).",
		),
	},
});

export const list = createRoute({
	method: "get",
	path: "/staff",
	operationId: "listStaff",
	tags: ["Staff"],
	summary: "List staff members (tokens are never shown again)",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	responses: {
		200: {
			description: "All staff, newest first, revoked ones included.",
			content: { "application/json": { schema: z.object({ staff: z.array(StaffSchema) }) } },
		},
		...errorResponses,
	},
});

export const revoke = createRoute({
	method: "delete",
	path: "/staff/{id}",
	operationId: "revokeStaff",
	tags: ["Staff"],
	summary: "Revoke a staff member's token",
	security: bearer,
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

const RotateSchema = z.strictObject({ expiresInDays: ExpiresInDays }).openapi("TokenRotation");

export const rotate = createRoute({
	method: "post",
	path: "/staff/{id}/token",
	operationId: "rotateStaffToken",
	tags: ["Staff"],
	summary: "Give a staff member a new token (shown once); the old one stops working",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: RotateSchema } }, required: false },
	},
	responses: {
		200: {
			description: "Rotated; `token` is shown only in this answer, the old token is revoked.",
			content: { "application/json": { schema: StaffWithTokenSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The staff member is revoked: create a new one instead."),
	},
});

export type CreateRoute = typeof create;
export type RotateRoute = typeof rotate;
export type ListRoute = typeof list;
export type RevokeRoute = typeof revoke;
