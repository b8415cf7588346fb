/**
 * The OpenAPI routes of areas: every role lists the kelurahan/desa with their office's contact;
 * an admin changes a contact (residents are told it when they need their kelurahan's help).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { anyRoleErrors, bearer, errorResponses, notFound } from "../schemas";

export const AreaSchema = z
	.object({
		code: z.string().openapi({ example: "16.74.01.1001" }),
		name: z.string().openapi({ example: "Prabumulih" }),
		kind: z.enum(["kelurahan", "desa"]).openapi({ example: "kelurahan" }),
		kecamatan: z.object({
			code: z.string().openapi({ example: "16.74.01" }),
			name: z.string().openapi({ example: "Prabumulih Barat" }),
		}),
		office: z.object({
			address: z.string().nullable().openapi({ example: "Jl. Jend. Sudirman No. 1" }),
			phone: z.string().nullable().openapi({ example: "0713-322000" }),
			hours: z.string().nullable().openapi({ example: "Senin-Jumat 08.00-15.00" }),
		}),
	})
	.openapi("Area");

export const list = createRoute({
	method: "get",
	path: "/areas",
	operationId: "listAreas",
	tags: ["Areas"],
	summary: "List the kelurahan/desa with their office's contact",
	security: bearer,
	responses: {
		200: {
			description: "Every area, by kecamatan.",
			content: { "application/json": { schema: z.object({ areas: z.array(AreaSchema) }) } },
		},
		...anyRoleErrors,
	},
});

/** A contact field: a short text, or null to clear it. */
const contactField = (example: string, max: number) =>
	z.string().trim().min(3).max(max).nullable().optional().openapi({ example });

const ContactChangeSchema = z
	.strictObject({
		address: contactField("Jl. Jend. Sudirman No. 1, Prabumulih", 200),
		phone: contactField("0713-322000", 40),
		hours: contactField("Senin-Jumat 08.00-15.00", 100),
	})
	.refine((change) => Object.values(change).some((value) => value !== undefined), {
		message: "name at least one of address, phone, hours",
	})
	.openapi("AreaContactChange");

const CodeParam = z.object({
	code: z
		.string()
		.regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, "must be an area code such as 16.74.01.1001")
		.openapi({ param: { name: "code", in: "path" }, example: "16.74.01.1001" }),
});

export const update = createRoute({
	method: "patch",
	path: "/areas/{code}",
	operationId: "updateAreaContact",
	tags: ["Areas"],
	summary: "Change an area office's contact (audited)",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		params: CodeParam,
		body: { content: { "application/json": { schema: ContactChangeSchema } }, required: true },
	},
	responses: {
		200: { description: "Changed.", content: { "application/json": { schema: AreaSchema } } },
		...errorResponses,
		...notFound,
	},
});

export type ListRoute = typeof list;
export type UpdateRoute = typeof update;
