/**
 * The OpenAPI routes of reports: the morning digest (new, due today, overdue, by service) for
 * admins and officers.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { bearer, errorResponses, OfficeDateQuery } from "../schemas";

const CountsSchema = z.object({
	new: z.number().int().openapi({
		example: 3,
		description: "Created from the start of the previous working day up to the start of `date`.",
	}),
	dueToday: z.number().int().openapi({
		example: 2,
		description: "Still owed by the office (submitted, in review, processing), due on `date`.",
	}),
	overdue: z.number().int().openapi({
		example: 1,
		description: "Still owed by the office, due before `date`.",
	}),
});

/** The digest of one office-local day. */
export const DigestSchema = z
	.object({
		date: z.string().openapi({ example: "2026-12-02", description: "Office-local YYYY-MM-DD." }),
		totals: CountsSchema,
		services: z
			.array(CountsSchema.extend({ code: z.string().openapi({ example: "kk" }) }))
			.openapi({
				description: "Services with something to count, by code.",
			}),
		complaints: z
			.object({
				dueToday: z.number().int().openapi({ example: 1 }),
				overdue: z.number().int().openapi({ example: 0 }),
			})
			.openapi({
				description:
					"Complaints not answered yet whose answer is due on `date`, or was due before it.",
			}),
		summary: z.string().openapi({
			example:
				"3 baru, 2 jatuh tempo hari ini, 1 terlambat; pengaduan belum dijawab: 1 jatuh tempo hari ini, 0 terlambat",
			description:
				"The one line the WhatsApp digest carries (the complaints' part only when one is due or overdue).",
		}),
	})
	.openapi("Digest");

export const digest = createRoute({
	method: "get",
	path: "/reports/digest",
	operationId: "getDigest",
	tags: ["Reports"],
	summary: "The morning digest: new since yesterday, due today, overdue, by service",
	description:
		"Counts over every request of the office (admins and officers only). Sent each working morning at 07:00 office time to staff with a phone when DIGEST_TEMPLATE_NAME is set.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		query: z.object({
			date: OfficeDateQuery.openapi({
				example: "2026-12-02",
				description: "Office-local day (YYYY-MM-DD); today in the office's time zone by default.",
			}),
		}),
	},
	responses: {
		200: {
			description: "The day's counts, overall and by service.",
			content: { "application/json": { schema: DigestSchema } },
		},
		...errorResponses,
	},
});

export type DigestRoute = typeof digest;
