/**
 * The OpenAPI route of the SKM report (Survei Kepuasan Masyarakat, PermenPANRB 14/2017): the
 * finished surveys of a period, each element's average, the IKM and its grade. Admins and
 * officers; never an answer beside who gave it.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { SKM_ELEMENTS } from "../../standards/skm";
import { requireRole } from "../auth";
import { bearer, errorResponses, timeBoundQuery } from "../schemas";

const GradeSchema = z.object({
	grade: z.enum(["A", "B", "C", "D"]).openapi({ example: "B" }),
	label: z
		.string()
		.openapi({ example: "baik", description: "The table's kinerja unit pelayanan." }),
});

/** The SKM figures of a period. */
export const SkmReportSchema = z
	.object({
		from: z.number().int().nullable().openapi({
			example: 1793466000000,
			description: "Epoch ms, inclusive; null: from the first survey.",
		}),
		to: z
			.number()
			.int()
			.nullable()
			.openapi({ example: 1796144400000, description: "Epoch ms, exclusive; null: up to now." }),
		responses: z
			.number()
			.int()
			.openapi({ example: 42, description: "Surveys finished in the period." }),
		suggestions: z
			.number()
			.int()
			.openapi({ example: 7, description: "How many left a suggestion." }),
		elements: z
			.array(
				z.object({
					code: z.string().openapi({ example: "u1" }),
					element: z.enum(SKM_ELEMENTS).openapi({ example: "persyaratan" }),
					answers: z
						.number()
						.int()
						.openapi({ example: 40, description: "Responses that answered it." }),
					average: z.number().nullable().openapi({
						example: 3.25,
						description: "NRR, 1-4 (4 decimals); null without answers.",
					}),
				}),
			)
			.openapi({ description: "The nine elements (unsur) in the regulation's order." }),
		average: z.number().nullable().openapi({
			example: 3.3426,
			description: "The weighted average of the elements' NRR (equal weights).",
		}),
		ikm: z
			.number()
			.nullable()
			.openapi({ example: 83.56, description: "The converted IKM: average x 25, two decimals." }),
		grade: GradeSchema.nullable().openapi({
			description: "By the regulation's conversion table; null without answers.",
		}),
		regulation: z.literal("PermenPANRB 14/2017"),
	})
	.openapi("SkmReport");

export const skmReport = createRoute({
	method: "get",
	path: "/reports/skm",
	operationId: "getSkmReport",
	tags: ["Reports"],
	summary: "The SKM satisfaction survey: responses, element averages, IKM and grade",
	description:
		"Surveys finished in the period (by the time each ended), over the whole office (admins and officers only). Answers are anonymous: nothing names a resident or a request.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: { query: z.object({ from: timeBoundQuery("from"), to: timeBoundQuery("to") }) },
	responses: {
		200: {
			description: "The period's figures.",
			content: { "application/json": { schema: SkmReportSchema } },
		},
		...errorResponses,
	},
});

export type SkmReportRoute = typeof skmReport;
