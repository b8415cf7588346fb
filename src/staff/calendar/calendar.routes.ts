/**
 * The OpenAPI routes of the working calendar: every role reads it (office hours, listed days,
 * covered years, and the years near today it has no data for); an admin adds or removes days.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { isIsoDate } from "../../standards/iso-date";
import { parseClock } from "../../standards/office-clock";
import { requireRole } from "../auth";
import { anyRoleErrors, bearer, errorResponses, problemResponse } from "../schemas";

const DateSchema = z
	.string()
	.refine(isIsoDate, "must be a real date written YYYY-MM-DD")
	.openapi({ example: "2026-12-24" });

const ClockSchema = z
	.string()
	.refine((value) => parseClock(value) !== null, "must be HH:MM")
	.openapi({ example: "08:00" });

const HoursSchema = z.object({ opens: ClockSchema, closes: ClockSchema });

const DAY_KINDS = ["holiday", "cuti_bersama", "closed", "working_day"] as const;

const ListedDaySchema = z
	.object({
		date: DateSchema,
		kind: z.enum(DAY_KINDS),
		name: z.string().openapi({ example: "Cuti bersama Kelahiran Yesus Kristus" }),
		source: z
			.string()
			.openapi({ example: "SKB 2026", description: "`admin` for a day an admin added." }),
		hours: HoursSchema.nullable().openapi({ description: "Only for a working_day." }),
	})
	.openapi("CalendarDay");

/** The calendar as the API shows it. */
export const CalendarSchema = z
	.object({
		timeZone: z.string().openapi({ example: "Asia/Jakarta" }),
		officeHours: z
			.array(
				z.object({
					weekday: z.number().int().min(1).max(7),
					opens: z.string(),
					closes: z.string(),
				}),
			)
			.openapi({
				description: "Per ISO weekday (1 Monday … 7 Sunday); a missing weekday is closed.",
				example: [{ weekday: 1, opens: "08:00", closes: "14:00" }],
			}),
		days: z.array(ListedDaySchema),
		years: z.array(
			z.object({
				year: z.number().int(),
				decree: z.string(),
				source: z.string(),
				verification: z.string(),
			}),
		),
		missingYears: z.array(z.number().int()).openapi({
			example: [2028],
			description:
				"This year and next, when the calendar has no decree data for them: due dates there are not computed.",
		}),
	})
	.openapi("Calendar");

const NewDaySchema = z
	.strictObject({
		date: DateSchema,
		kind: z.enum(DAY_KINDS),
		name: z.string().trim().min(2).max(120).openapi({ example: "HUT Kota Prabumulih" }),
		hours: HoursSchema.optional().openapi({
			description: "Required for working_day, refused otherwise.",
		}),
	})
	.superRefine((day, ctx) => {
		if ((day.kind === "working_day") !== (day.hours !== undefined)) {
			ctx.addIssue({
				code: "custom",
				path: ["hours"],
				message: "required for working_day, refused otherwise",
			});
		} else if (
			day.hours !== undefined &&
			(parseClock(day.hours.opens) ?? 0) >= (parseClock(day.hours.closes) ?? 0)
		) {
			ctx.addIssue({ code: "custom", path: ["hours"], message: "opens must be before closes" });
		}
	});

const CalendarChangeSchema = z
	.strictObject({
		add: z.array(NewDaySchema).max(100).default([]),
		remove: z.array(DateSchema).max(100).default([]),
	})
	.refine((body) => body.add.length + body.remove.length > 0, "name days to add or remove")
	.openapi("CalendarChange", {
		example: {
			add: [{ date: "2026-06-21", kind: "closed", name: "HUT Kota Prabumulih" }],
			remove: [],
		},
	});

/** The calendar after an admin's change, with the open requests it re-planned. */
const ChangedCalendarSchema = CalendarSchema.extend({
	replanned: z.number().int().min(0).openapi({
		example: 3,
		description:
			"Open requests whose queue date or due date moved with the change: a queue date on a day now closed moves to the next working day, and the due date keeps the request's working days on the new calendar. Residents whose due date moved (submitted, in review, processing) are told the new date on WhatsApp.",
	}),
}).openapi("ChangedCalendar");

const YearParamSchema = z.object({
	year: z.coerce
		.number()
		.int("must be a year such as 2028")
		.min(2000)
		.max(2100)
		.openapi({ param: { name: "year", in: "path" }, example: 2028 }),
});

const YearDeclarationSchema = z
	.strictObject({
		decree: z.string().trim().min(10).max(400).openapi({
			description: "The decree the year's holidays and cuti bersama come from (the SKB 3 Menteri).",
			example:
				"SKB Menteri Agama No. 1205/2026, Menteri Ketenagakerjaan No. 3/2026, Menteri PANRB No. 2/2026 (15 September 2026)",
		}),
		source: z
			.url({
				protocol: /^https?$/,
				error: "must be the http(s) address of the decree or its announcement",
			})
			.max(500)
			.openapi({
				example:
					"https://setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2027",
			}),
		verification: z.string().trim().min(10).max(1000).openapi({
			description: "How the listed days were checked against the decree.",
			example: "Every date checked against the decree's PDF on setneg.go.id.",
		}),
	})
	.openapi("CalendarYearDeclaration");

/** The calendar after a year was declared, with the open requests that got a due date. */
const DeclaredYearSchema = CalendarSchema.extend({
	backfilled: z.number().int().min(0).openapi({
		example: 12,
		description:
			"Open requests that had no due date (it fell in a year without data) and now have one: their queue date plus their service's time limit.",
	}),
}).openapi("DeclaredCalendarYear");

export const read = createRoute({
	method: "get",
	path: "/calendar",
	operationId: "getCalendar",
	tags: ["Calendar"],
	summary: "Read the working calendar: office hours, listed days, covered years",
	security: bearer,
	responses: {
		200: {
			description: "The calendar.",
			content: { "application/json": { schema: CalendarSchema } },
		},
		...anyRoleErrors,
	},
});

export const change = createRoute({
	method: "put",
	path: "/calendar",
	operationId: "updateCalendar",
	tags: ["Calendar"],
	summary: "Add, replace or remove listed days (admin only)",
	description:
		"Removals run first, then additions (an added date replaces its listing). Open requests (not completed, rejected or cancelled) whose queue or due date is on or after the earliest date named are re-planned in the same transaction: a queue date that is no longer a working day moves to the next one (ahead of that day's queue), and the due date is the same number of working days after the queue date as before, on the new calendar. Audited as `calendar.update` with the dates and the count re-planned.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		body: { content: { "application/json": { schema: CalendarChangeSchema } }, required: true },
	},
	responses: {
		200: {
			description: "The calendar after the change.",
			content: { "application/json": { schema: ChangedCalendarSchema } },
		},
		...errorResponses,
	},
});

export const declareYear = createRoute({
	method: "put",
	path: "/calendar/years/{year}",
	operationId: "declareCalendarYear",
	tags: ["Calendar"],
	summary: "Declare a year covered by its decree (admin only)",
	description:
		"Says that every holiday and cuti bersama of the year is listed (add them with `PUT /calendar` first: 422 `year-without-days` while the year has none listed), from the decree named; a covered year gets the new decree, source and verification. Due dates are computed only in covered years, so open requests that had none get one in the same transaction: their queue date plus their service's time limit; their residents (submitted, in review, processing) are told the date on WhatsApp. Audited as `calendar.year`.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: {
		params: YearParamSchema,
		body: { content: { "application/json": { schema: YearDeclarationSchema } }, required: true },
	},
	responses: {
		200: {
			description: "The calendar with the year covered.",
			content: { "application/json": { schema: DeclaredYearSchema } },
		},
		...errorResponses,
		422: problemResponse("The year has no holiday or cuti bersama listed yet."),
	},
});

export type ReadRoute = typeof read;
export type DeclareYearRoute = typeof declareYear;
export type ChangeRoute = typeof change;
