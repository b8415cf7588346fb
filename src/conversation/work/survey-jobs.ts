/** Jobs of the SKM survey and of `berhenti` / `mulai`: D1 writes, then (for a survey) the answer. */

import { finishSurvey, latestUnsurveyed, openSurvey } from "../../requests/skm";
import { recordOptOut } from "../../residents/opt-outs";
import type { Job } from "../store/jobs";
import type { Work } from "./context";
import { apply } from "./steps";

type Payload<K extends Job["kind"]> = Extract<Job, { kind: K }>["payload"];

/**
 * Opens the survey of the request named (or the resident's latest completed one not rated)
 * and tells the dialogue what it found. Idempotent: the row's id is fixed in the payload, and
 * an unfinished row is taken up again.
 */
export async function runSurveyOpen(
	work: Work,
	jobId: string,
	payload: Payload<"survey_open">,
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const { surveyId, asked } = payload;
	const target =
		payload.requestId !== null && payload.ticket !== null
			? { requestId: payload.requestId, ticket: payload.ticket }
			: await latestUnsurveyed(work.db, businessId, residentId);
	if (target === null) {
		return apply(work, { type: "survey_opened", asked, outcome: "none" }, { jobId });
	}
	const rowId = await openSurvey(
		work.db,
		{ surveyId, requestId: target.requestId, businessId, residentId },
		payload.at,
	);
	return apply(
		work,
		{
			type: "survey_opened",
			asked,
			outcome: rowId === null ? "surveyed" : "opened",
			...(rowId === null ? {} : { surveyId: rowId }),
			requestId: target.requestId,
			ticket: target.ticket,
		},
		{ jobId },
	);
}

/** Records a survey's answers and end (once; a retry changes nothing). */
export async function runSurveyFinish(
	work: Work,
	jobId: string,
	payload: Payload<"survey_finish">,
): Promise<void> {
	await finishSurvey(work.db, payload.surveyId, payload.answers, payload.suggestion, payload.at);
	work.tables.jobs.done(jobId);
}

/** Records a change of the resident's `berhenti` flag, with its time, for staff. */
export async function runOptOut(
	work: Work,
	jobId: string,
	payload: Payload<"opt_out">,
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	await recordOptOut(work.db, { ...payload, businessId, residentId });
	work.tables.jobs.done(jobId);
}
