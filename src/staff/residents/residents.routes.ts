/**
 * The OpenAPI route of a resident's erasure (UU 27/2022): admin only.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { normalizePhone } from "../../requests/phone";
import { requireRole } from "../auth";
import { bearer, conflict, errorResponses } from "../schemas";

/** Separators people type inside a NIK. */
const NIK_SEPARATORS = /[\s.-]/g;

const ErasureRequestSchema = z
	.strictObject({
		phone: z
			.string()
			.max(32)
			.transform((text, ctx) => {
				const phone = normalizePhone(text);
				if (phone === null) {
					ctx.addIssue({
						code: "custom",
						message: "must be a phone number such as 0812-3456-7890",
					});
					return z.NEVER;
				}
				return phone;
			})
			.optional()
			.openapi({ example: "0812-3456-7890", description: "Normalized like a WhatsApp id." }),
		nik: z
			.string()
			.max(32)
			.transform((text) => text.replace(NIK_SEPARATORS, ""))
			.pipe(z.string().regex(/^\d{16}$/, "must be 16 digits"))
			.optional()
			.openapi({ example: "1674015203900001" }),
	})
	.refine((body) => (body.phone === undefined) !== (body.nik === undefined), {
		message: "give exactly one of phone or nik",
	})
	.openapi("ErasureRequest", {
		description: "Exactly one of `phone` or `nik`.",
		example: { phone: "0812-3456-7890" },
	});

/** What an erasure did (never whose it was). */
export const ErasureSchema = z
	.object({
		id: z.string().openapi({ example: "0b7e4c9a-3f61-4a8e-9d55-2f1c8e7b6a10" }),
		at: z.number().int().openapi({ example: 1795900000000 }),
		requests: z
			.number()
			.int()
			.openapi({ example: 2, description: "Closed requests pseudonymized (again included)." }),
		conversations: z
			.number()
			.int()
			.openapi({ example: 1, description: "WhatsApp conversations cleared." }),
		files: z.number().int().openapi({ example: 3, description: "Files deleted from storage." }),
	})
	.openapi("Erasure");

export const erase = createRoute({
	method: "post",
	path: "/residents/erasure",
	operationId: "eraseResident",
	tags: ["Residents"],
	summary: "Erase a resident's personal data now (by phone or NIK)",
	description:
		"Pseudonymizes the resident's closed requests (what statistics need stays), clears their WhatsApp conversation and deletes their files. Refused while a request of theirs is open. Audited as `resident.erasure` with the erasure's id, never the phone or NIK.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		body: { content: { "application/json": { schema: ErasureRequestSchema } }, required: true },
	},
	responses: {
		200: {
			description: "Erased (erasing again finds nothing more, and is recorded again).",
			content: { "application/json": { schema: ErasureSchema } },
		},
		...errorResponses,
		...conflict("The resident has an open request (named in `detail` and `ticket`)."),
	},
});

export type EraseRoute = typeof erase;
