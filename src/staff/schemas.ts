import { z } from "@hono/zod-openapi";
import { STAFF_ROLES } from "./auth";

/** RFC 9457 problem details, as every error of the staff API is answered. */
export const ProblemSchema = z
	.object({
		type: z.string().openapi({ example: "urn:disdukcapil:problem:validation" }),
		title: z.string().openapi({ example: "Invalid request" }),
		status: z.number().int().openapi({ example: 400 }),
		detail: z.string().optional().openapi({ example: "body.reason: required for rejected" }),
		errors: z
			.array(z.object({ field: z.string(), message: z.string() }))
			.optional()
			.openapi({ example: [{ field: "body.reason", message: "required for rejected" }] }),
	})
	.openapi("Problem");

const problem = (description: string) => ({
	description,
	content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error answers every authenticated route can give. */
export const errorResponses = {
	400: problem("The request is invalid; `errors` names each failing field."),
	401: problem("No token, or not a valid one."),
	403: problem("The caller's role may not do this."),
} as const;

export const notFound = {
	404: problem("No such resource (or not visible to the caller)."),
} as const;
export const conflict = (what: string) => ({ 409: problem(what) }) as const;
export const problemResponse = problem;

export const StaffRoleSchema = z.enum(STAFF_ROLES).openapi({ example: "officer" });

export const StaffSchema = z
	.object({
		id: z.string().openapi({ example: "5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11" }),
		name: z.string().openapi({ example: "Rina Marlina" }),
		role: StaffRoleSchema,
		kelurahan: z.string().nullable().openapi({ example: null }),
		createdAt: z.number().int().openapi({ example: 1795900000000 }),
		createdBy: z.string().openapi({ example: "staff:admin" }),
		revokedAt: z.number().int().nullable().openapi({ example: null }),
	})
	.openapi("Staff");

export const IdParamSchema = z.object({
	id: z
		.string()
		.min(1)
		.max(100)
		.openapi({ param: { name: "id", in: "path" }, example: "PBM-261128-0001" }),
});
