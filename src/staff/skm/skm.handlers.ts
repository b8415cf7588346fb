/**
 * Handler of the SKM report: thin, over `src/requests/skm.ts` and `src/standards/skm.ts`.
 *
 * @module
 */

import { fieldProblem } from "../../http/problem";
import { finishedAnswers } from "../../requests/skm";
import { skmIndex } from "../../standards/skm";
import { officeBounds } from "../time-bounds";
import type { StaffHandler } from "../types";
import type { SkmReportRoute } from "./skm.routes";

/** The figures of the surveys finished in [from, to). */
export const skmReport: StaffHandler<SkmReportRoute> = async (c) => {
	const { from, to } = officeBounds(c.env, c.req.valid("query"));
	if (from !== undefined && to !== undefined && from >= to) {
		throw fieldProblem("query.to", "must be after from");
	}
	const rows = await finishedAnswers(c.env.DB, {
		...(from === undefined ? {} : { from }),
		...(to === undefined ? {} : { to }),
	});
	const index = skmIndex(rows.map((row) => row.answers));
	return c.json(
		{
			from: from ?? null,
			to: to ?? null,
			responses: index.responses,
			suggestions: rows.filter((row) => row.suggestion).length,
			elements: index.elements.map((e, i) => ({ code: `u${i + 1}`, ...e })),
			average: index.average,
			ikm: index.ikm,
			grade: index.grade,
			regulation: "PermenPANRB 14/2017" as const,
		},
		200,
	);
};
