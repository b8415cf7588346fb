/**
 * Handlers of reports: thin, over `src/requests/digest.ts`.
 *
 * @module
 */

import { settingsOf } from "../../env";
import { digestOf, digestSummary } from "../../requests/digest";
import { officeDate } from "../../standards/office-clock";
import type { StaffHandler } from "../types";
import type { DigestRoute } from "./reports.routes";

/** The digest of the asked day, today (office time) by default. */
export const digest: StaffHandler<DigestRoute> = async (c) => {
	const timeZone = settingsOf(c.env).get("OFFICE_TIME_ZONE");
	const date = c.req.valid("query").date ?? officeDate(Date.now(), timeZone);
	const counted = await digestOf(c.env.DB, timeZone, date);
	return c.json({ ...counted, summary: digestSummary(counted.totals, counted.complaints) }, 200);
};
