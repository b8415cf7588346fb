/**
 * `skm_responses` (migration 0017): the SKM survey's anonymous answers, one row per surveyed
 * request. The row names the request only to keep one survey per request (the reports never
 * join it back to the resident), and the service and area the figures are broken down by.
 *
 * @module
 */

import type { SkmAnswers } from "../standards/skm";

/** A request a survey can be about: completed, and not surveyed before. */
export interface SurveyTarget {
	requestId: string;
	ticket: string;
	serviceCode: string;
}

/**
 * Opens the survey of a request: writes its row (service and area from the request) unless the
 * request has one. A row never finished (its job retried after the write, or a survey offered
 * while the resident was busy) is taken up again, so the request can still be rated.
 *
 * @returns The id of the request's survey row to fill in (`surveyId` when new); null when the
 *   request's survey is finished, or it is not a completed request of this resident.
 */
export async function openSurvey(
	db: D1Database,
	input: { surveyId: string; requestId: string; businessId: string; residentId: string },
	at: number,
): Promise<string | null> {
	const [, found] = await db.batch([
		db
			.prepare(
				`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at)
				 SELECT ?, id, service_code, area_code, ? FROM requests
				 WHERE id = ? AND status = 'completed' AND business_id = ? AND resident_id = ?
				 ON CONFLICT DO NOTHING`,
			)
			.bind(input.surveyId, at, input.requestId, input.businessId, input.residentId),
		db
			.prepare(
				`SELECT s.id, s.finished_at FROM skm_responses s JOIN requests r ON r.id = s.request_id
				 WHERE s.request_id = ? AND r.business_id = ? AND r.resident_id = ?`,
			)
			.bind(input.requestId, input.businessId, input.residentId),
	]);
	const row = (found?.results as { id: string; finished_at: number | null }[] | undefined)?.[0];
	return row !== undefined && row.finished_at === null ? row.id : null;
}

/**
 * The resident's latest completed request with no finished survey, for `survei` typed; null
 * when every completed request of theirs was rated (or they have none).
 */
export async function latestUnsurveyed(
	db: D1Database,
	businessId: string,
	residentId: string,
): Promise<SurveyTarget | null> {
	return db
		.prepare(
			`SELECT id AS requestId, ticket, service_code AS serviceCode FROM requests r
			 WHERE business_id = ? AND resident_id = ? AND status = 'completed'
			 AND NOT EXISTS (SELECT 1 FROM skm_responses s WHERE s.request_id = r.id
			   AND s.finished_at IS NOT NULL)
			 ORDER BY coalesce(closed_at, created_at) DESC LIMIT 1`,
		)
		.bind(businessId, residentId)
		.first<SurveyTarget>();
}

/**
 * Ends a survey: its answers (null where skipped), the suggestion and the time. Written once:
 * a retry, or a second end, changes nothing.
 */
export async function finishSurvey(
	db: D1Database,
	surveyId: string,
	answers: SkmAnswers,
	suggestion: string | null,
	at: number,
): Promise<void> {
	const values = Array.from({ length: 9 }, (_, i) => answers[i] ?? null);
	await db
		.prepare(
			`UPDATE skm_responses SET u1 = ?, u2 = ?, u3 = ?, u4 = ?, u5 = ?, u6 = ?, u7 = ?, u8 = ?,
			 u9 = ?, suggestion = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL`,
		)
		.bind(...values, suggestion, at, surveyId)
		.run();
}

/** The answers of surveys finished in [from, to) (either bound may be open), no identity. */
export async function finishedAnswers(
	db: D1Database,
	period: { from?: number; to?: number },
): Promise<{ answers: SkmAnswers; suggestion: boolean }[]> {
	const { results } = await db
		.prepare(
			`SELECT u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion IS NOT NULL AS suggested
			 FROM skm_responses WHERE finished_at IS NOT NULL AND finished_at >= ? AND finished_at < ?`,
		)
		.bind(period.from ?? 0, period.to ?? Number.MAX_SAFE_INTEGER)
		.all<Record<`u${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`, number | null> & { suggested: number }>();
	return results.map((row) => ({
		answers: [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9],
		suggestion: row.suggested === 1,
	}));
}
