/**
 * Handlers of the period reports: thin, over `src/requests/report-summary.ts` and
 * `src/requests/report-export.ts`.
 *
 * @module
 */

import { settingsOf } from "../../env";
import { fieldProblem, Problem } from "../../http/problem";
import { audit } from "../../requests/audit";
import { requestsCsv as csvStream } from "../../requests/report-export";
import { reportSummary } from "../../requests/report-summary";
import { officeDate } from "../../standards/office-clock";
import { reportAreas } from "../access";
import { Denied } from "../auth";
import { officeBounds } from "../time-bounds";
import { actorOf, type StaffHandler } from "../types";
import type { RequestsCsvRoute, SummaryRoute } from "./report-summary.routes";

/** The longest period a report covers: a year, a leap day included. */
const MAX_PERIOD_MS = 366 * 86_400_000;

/** Checks that a period runs forward and spans at most a year; 400 naming `query.to` otherwise. */
function checkPeriod(from: number, to: number): void {
	if (to <= from) throw fieldProblem("query.to", "must be after `from`");
	if (to - from > MAX_PERIOD_MS) throw fieldProblem("query.to", "the period is at most 366 days");
}

/** The figures of a period; a kelurahan operator's cover their own area only. */
export const summary: StaffHandler<SummaryRoute> = async (c) => {
	const { from, to, groupBy } = officeBounds(c.env, c.req.valid("query"));
	checkPeriod(from, to);
	const report = await reportSummary(c.env.DB, {
		from,
		to,
		groupBy,
		areas: reportAreas(c.get("staff")),
		timeZone: settingsOf(c.env).get("OFFICE_TIME_ZONE"),
		now: Date.now(),
	});
	const iso = (at: number) => new Date(at).toISOString();
	return c.json({ from: iso(from), to: iso(to), groupBy, ...report }, 200);
};

/** The requests of a period as a CSV download, audited before the first byte. */
export const requestsCsv: StaffHandler<RequestsCsvRoute> = async (c) => {
	const { from, to, delimiter, include } = officeBounds(c.env, c.req.valid("query"));
	checkPeriod(from, to);
	const staff = c.get("staff");
	const personal = include === "personal";
	if (personal && staff.role !== "admin") {
		throw new Denied(
			new Problem(
				403,
				"forbidden",
				"Forbidden",
				"Personal columns (include=personal) are for admins only.",
			),
		);
	}
	const timeZone = settingsOf(c.env).get("OFFICE_TIME_ZONE");
	// Who exported which period and whether with personal columns; never the rows themselves.
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "reports.export",
		detail: { from, to, delimiter, personal },
	});
	// Office-local dates, the last one the period's last day (`to` is exclusive): in UTC a WIB
	// month's file would be named from the eve of its first day.
	const name = `requests-${officeDate(from, timeZone)}-${officeDate(to - 1, timeZone)}.csv`;
	return new Response(csvStream(c.env.DB, { from, to, delimiter, personal, timeZone }), {
		status: 200,
		headers: {
			"content-type": "text/csv; charset=utf-8; header=present",
			"content-disposition": `attachment; filename="${name}"`,
			"cache-control": "no-store",
		},
	});
};
