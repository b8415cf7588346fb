/**
 * The OpenAPI routes of service standards: every role reads them, an admin changes the time
 * limit, the daily quota and whether a service is offered.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { anyRoleErrors, bearer, errorResponses, notFound } from "../schemas";

const LabelsSchema = z.object({ id: z.string(), en: z.string() });

/** A service's standard as the API shows it. */
export const ServiceStandardSchema = z
	.object({
		code: z.string().openapi({ example: "kk" }),
		label: LabelsSchema.openapi({ example: { id: "Kartu Keluarga (KK)", en: "Family Card (KK)" } }),
		resultKind: z.enum(["pdf", "card"]).openapi({ example: "pdf" }),
		timeLimitDays: z.number().int().openapi({
			example: 1,
			description: "Working days from the queue date to the due date.",
		}),
		fee: z.number().int().openapi({
			example: 0,
			description: "Rupiah; always 0: civil-registry services are free (UU 24/2013 Pasal 79A).",
		}),
		product: LabelsSchema.openapi({
			example: {
				id: "Kartu Keluarga (PDF bertanda tangan elektronik)",
				en: "Family Card (an electronically signed PDF)",
			},
		}),
		dailyQuota: z.number().int().nullable().openapi({
			example: 50,
			description: "Requests accepted per working day; null for no quota.",
		}),
		active: z.boolean().openapi({ example: true }),
	})
	.openapi("ServiceStandard");

/** A service in the list: its standard and the variants a request of it names (filing picks one). */
const ListedServiceSchema = ServiceStandardSchema.extend({
	variants: z
		.array(
			z.object({
				code: z.string().openapi({ example: "umum" }),
				label: LabelsSchema.openapi({ example: { id: "Umum", en: "General" } }),
			}),
		)
		.openapi({ description: "In the catalog's order; `POST /requests` names one as `variant`." }),
}).openapi("ListedService");

const ServiceCodeParamSchema = z.object({
	code: z
		.string()
		.regex(/^[a-z0-9_]{1,40}$/, "must be a service code such as ktp_el")
		.openapi({ param: { name: "code", in: "path" }, example: "ktp_el" }),
});

const StandardChangeSchema = z
	.strictObject({
		timeLimitDays: z
			.number()
			.int("must be a whole number of working days")
			.min(0)
			.max(60)
			.optional(),
		dailyQuota: z
			.number()
			.int("must be a whole number")
			.min(1)
			.max(10_000)
			.nullable()
			.optional()
			.openapi({
				description: "null removes the quota.",
			}),
		active: z.boolean().optional(),
	})
	.refine(
		(body) => Object.keys(body).length > 0,
		"name at least one of timeLimitDays, dailyQuota, active",
	)
	.openapi("ServiceStandardChange", { example: { timeLimitDays: 3, dailyQuota: null } });

export const list = createRoute({
	method: "get",
	path: "/services",
	operationId: "listServices",
	tags: ["Services"],
	summary: "List every service's standard (time limit, fee, product, daily quota)",
	security: bearer,
	responses: {
		200: {
			description: "All services, inactive ones included, in the catalog's order.",
			content: {
				"application/json": { schema: z.object({ services: z.array(ListedServiceSchema) }) },
			},
		},
		...anyRoleErrors,
	},
});

export const update = createRoute({
	method: "patch",
	path: "/services/{code}",
	operationId: "updateService",
	tags: ["Services"],
	summary: "Change a service's time limit, daily quota or availability (admin only)",
	description: "Takes effect for requests submitted from now on; audited as `service.update`.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		params: ServiceCodeParamSchema,
		body: { content: { "application/json": { schema: StandardChangeSchema } }, required: true },
	},
	responses: {
		200: {
			description: "The standard after the change.",
			content: { "application/json": { schema: ServiceStandardSchema } },
		},
		...errorResponses,
		...notFound,
	},
});

export type ListRoute = typeof list;
export type UpdateRoute = typeof update;
