/**
 * The OpenAPI route of home visits, "jemput bola" (issue 11): staff set the date and hours of a
 * visit to a resident who cannot come; the resident is told, and again the day before.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { isIsoDate } from "../../standards/iso-date";
import { requireRole } from "../auth";
import { bearer, conflict, errorResponses, IdParamSchema, notFound } from "../schemas";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const VisitSchema = z
	.strictObject({
		date: z
			.string()
			.refine(isIsoDate, "must be a real date written YYYY-MM-DD")
			.openapi({ example: "2026-12-10", description: "Office-local; today or later." }),
		from: z.string().regex(HHMM, "must be a time written HH:MM").openapi({ example: "09:00" }),
		to: z.string().regex(HHMM, "must be a time written HH:MM").openapi({ example: "11:00" }),
	})
	// HH:MM strings of the same length compare as times.
	.refine((v) => v.from < v.to, { path: ["to"], message: "must be later than from" })
	.openapi("Visit");

const VisitResultSchema = z
	.object({
		id: z.string(),
		ticket: z.string(),
		date: z.string(),
		from: z.string(),
		to: z.string(),
		residentNotified: z.boolean().openapi({
			description:
				"True once the notice is queued for the resident, or for the kelurahan operator who filed the request without the resident's number. False when nobody can be told over WhatsApp (tell them yourself), or the notice could not be queued yet (the scheduled redelivery sends it).",
		}),
	})
	.openapi("VisitResult");

export const setVisit = createRoute({
	method: "post",
	path: "/requests/{id}/visit",
	operationId: "setRequestVisit",
	tags: ["Requests"],
	summary: "Set (or move) the home visit of a jemput bola request (tells the resident)",
	security: bearer,
	middleware: [requireRole("admin", "officer", "kelurahan")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: VisitSchema } }, required: true },
	},
	responses: {
		200: {
			description: "Set; the resident is reminded the day before.",
			content: { "application/json": { schema: VisitResultSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The request is not a home visit, or it is closed."),
	},
});

export type SetVisitRoute = typeof setVisit;
