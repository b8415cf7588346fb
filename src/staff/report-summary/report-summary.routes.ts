/**
 * The OpenAPI routes of the office's reports of a period: the summary (every role; a kelurahan
 * operator's figures cover their own area only) and the requests as CSV (admins and officers;
 * personal columns for admins only).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { CSV_DELIMITERS } from "../../requests/report-export";
import { SUMMARY_GROUPINGS } from "../../requests/report-summary";
import { REQUEST_STATUSES } from "../../requests/statuses";
import { requireRole } from "../auth";
import { anyRoleErrors, bearer, errorResponses, requiredTimeBound } from "../schemas";

/** The period of a report: both ends required. */
const period = { from: requiredTimeBound("from"), to: requiredTimeBound("to") };

const Count = z.number().int();
const Days = z.number().int().nullable();

const FiguresSchema = z.object({
	requests: Count.openapi({ example: 120, description: "Requests created in the period." }),
	byStatus: z
		.object(Object.fromEntries(REQUEST_STATUSES.map((status) => [status, Count])))
		.openapi({ description: "Those requests by their status now." }),
	open: Count.openapi({ example: 14, description: "Not final yet (needs_revision included)." }),
	overdue: Count.openapi({
		example: 3,
		description: "Owed by the office (submitted, in review, processing) and due before today.",
	}),
	completed: Count.openapi({ example: 98 }),
	medianWorkingDays: Days.openapi({
		example: 1,
		description:
			"Working days from the queue date to completion (the working calendar, as due dates): nearest-rank median, the ceil(n/2)-th smallest. Null when none was measured.",
	}),
	p90WorkingDays: Days.openapi({
		example: 4,
		description: "The same, nearest-rank 90th percentile: the ceil(0.9 n)-th smallest.",
	}),
	completedWithinLimit: Count.openapi({
		example: 90,
		description: "Completed on or before the due date (which moves while papers are awaited).",
	}),
	withinLimitShare: z.number().nullable().openapi({
		example: 0.92,
		description:
			"completedWithinLimit over the completed requests that have a due date (0 to 1); null when none.",
	}),
	revisionsAsked: Count.openapi({ example: 11, description: "Corrections asked of residents." }),
	complaints: Count.openapi({
		example: 2,
		description:
			"Complaints made in the period. In a group: those about one of its requests (by day: made that day); a complaint about no request counts in the totals only.",
	}),
	skmResponses: Count.openapi({ example: 40, description: "SKM surveys finished in the period." }),
	ikm: z.number().nullable().openapi({
		example: 84.17,
		description:
			"SKM index (PermenPANRB 14/2017): mean of the nine elements' averages x 25, two decimals; null without answers.",
	}),
});

/** The summary of a period. */
export const SummarySchema = z
	.object({
		from: z.string().openapi({ example: "2026-10-31T17:00:00.000Z" }),
		to: z.string().openapi({ example: "2026-11-30T17:00:00.000Z" }),
		groupBy: z.enum(SUMMARY_GROUPINGS),
		totals: FiguresSchema,
		groups: z.array(
			FiguresSchema.extend({
				key: z.string().openapi({
					example: "kk",
					description: "Service code, area code, office-local date or channel.",
				}),
				label: z.string().openapi({ example: "Kartu Keluarga" }),
			}),
		),
	})
	.openapi("ReportSummary");

export const summary = createRoute({
	method: "get",
	path: "/reports/summary",
	operationId: "getReportSummary",
	tags: ["Reports"],
	summary: "The office's figures for a period, overall and by service, kelurahan, day or channel",
	description:
		"Requests created in the period (by status now, open, overdue, working days to completion, completion within the time limit, revisions asked), complaints made in it and SKM surveys finished in it. A kelurahan operator gets their own area only.",
	security: bearer,
	request: {
		query: z.object({
			...period,
			groupBy: z.enum(SUMMARY_GROUPINGS).default("service").openapi({
				example: "service",
				description: "How the groups are cut; `service` by default.",
			}),
		}),
	},
	responses: {
		200: {
			description: "Totals and one group per key with something to count, by key.",
			content: { "application/json": { schema: SummarySchema } },
		},
		...anyRoleErrors,
	},
});

export const requestsCsv = createRoute({
	method: "get",
	path: "/reports/requests.csv",
	operationId: "exportRequestsCsv",
	tags: ["Reports"],
	summary: "The requests created in a period as CSV, one row a request",
	description:
		"UTF-8 with a byte order mark, RFC 4180 quoting, CRLF lines, oldest first; streamed. Columns: ticket, service, variant, kelurahan_code, kelurahan, channel, status, created_at and closed_at (office-local `YYYY-MM-DD HH:MM`), queue_date, due_date, within_limit (`yes`/`no` for a completed request with a due date). `include=personal` adds nik, name and phone, for admins only (nik and phone prefixed with `'`, so Excel keeps all their digits as text). Every export is audited (`reports.export`, without personal data).",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		query: z.object({
			...period,
			delimiter: z.enum(CSV_DELIMITERS).default(",").openapi({
				example: ";",
				description: "`;` opens correctly in Excel with Indonesian regional settings.",
			}),
			include: z.enum(["personal"]).optional().openapi({
				example: "personal",
				description: "Adds the resident's NIK, name and phone (admins only; 403 otherwise).",
			}),
		}),
	},
	responses: {
		200: {
			description: "The CSV file.",
			content: { "text/csv": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
		},
		...errorResponses,
	},
});

export type SummaryRoute = typeof summary;
export type RequestsCsvRoute = typeof requestsCsv;
