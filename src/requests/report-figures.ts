/**
 * The figures of the office's summary report, tallied one row at a time (pure: the rows come
 * from `report-summary.ts`): requests by status, open and overdue, working days to completion
 * (median and 90th percentile), completion within the time limit, revisions asked, complaints,
 * and the SKM index (IKM).
 *
 * @module
 */

import { SKM_ELEMENTS, skmIndexOfTotals } from "../standards/skm";
import { REQUEST_STATUSES, type RequestStatus } from "./statuses";

/** How many SKM elements (unsur) a survey has: nine, PermenPANRB 14/2017. */
const ELEMENT_COUNT = SKM_ELEMENTS.length;

/** What one group (or the whole period) adds up to. */
export interface SummaryFigures {
	/** Requests created in the period. */
	requests: number;
	/** Those requests by their status now. */
	byStatus: Record<RequestStatus, number>;
	/** Not final yet (needs_revision included). */
	open: number;
	/** Owed by the office (submitted, in review, processing) and due before today. */
	overdue: number;
	completed: number;
	/** Nearest-rank median of the working days to completion; null when none was measured. */
	medianWorkingDays: number | null;
	/** Nearest-rank 90th percentile of the same; null when none was measured. */
	p90WorkingDays: number | null;
	/** Completed on or before the due date. */
	completedWithinLimit: number;
	/** `completedWithinLimit` over the completed requests that have a due date; null when none. */
	withinLimitShare: number | null;
	/** Corrections asked of residents (each move to needs_revision). */
	revisionsAsked: number;
	/** Complaints made in the period. */
	complaints: number;
	/** Finished SKM surveys in the period. */
	skmResponses: number;
	/** The SKM index of those surveys (25 … 100, two decimals); null without answers. */
	ikm: number | null;
}

/** One request as the summary counts it. */
export interface RequestFacts {
	status: RequestStatus;
	overdue: boolean;
	/** Working days from the queue date to completion; null when not completed or not measured. */
	workingDays: number | null;
	/** For a completed request with a due date: whether it was done on or before it. */
	withinLimit: boolean | null;
	revisions: number;
}

/** A running tally; {@link figuresOf} turns it into the report's figures. */
export interface Tally {
	requests: number;
	byStatus: Record<RequestStatus, number>;
	open: number;
	overdue: number;
	/** Working days to completion -> how many requests took that many. */
	durations: Map<number, number>;
	withDueDate: number;
	withinLimit: number;
	revisions: number;
	complaints: number;
	skmResponses: number;
	/** Per element: the sum of its answers and how many answered it. */
	skmSums: number[];
	skmCounts: number[];
}

/** An empty tally. */
export function newTally(): Tally {
	return {
		requests: 0,
		byStatus: Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as Record<
			RequestStatus,
			number
		>,
		open: 0,
		overdue: 0,
		durations: new Map(),
		withDueDate: 0,
		withinLimit: 0,
		revisions: 0,
		complaints: 0,
		skmResponses: 0,
		skmSums: new Array<number>(ELEMENT_COUNT).fill(0),
		skmCounts: new Array<number>(ELEMENT_COUNT).fill(0),
	};
}

const FINAL: readonly RequestStatus[] = ["completed", "rejected", "cancelled"];

/** Counts one request. */
export function addRequest(tally: Tally, facts: RequestFacts): void {
	tally.requests++;
	tally.byStatus[facts.status]++;
	if (!FINAL.includes(facts.status)) tally.open++;
	if (facts.overdue) tally.overdue++;
	if (facts.workingDays !== null) {
		tally.durations.set(facts.workingDays, (tally.durations.get(facts.workingDays) ?? 0) + 1);
	}
	if (facts.withinLimit !== null) {
		tally.withDueDate++;
		if (facts.withinLimit) tally.withinLimit++;
	}
	tally.revisions += facts.revisions;
}

/** Counts one finished survey: its nine answers, null where the resident skipped one. */
export function addSurvey(tally: Tally, answers: readonly (number | null)[]): void {
	tally.skmResponses++;
	answers.forEach((answer, element) => {
		if (answer === null || element >= ELEMENT_COUNT) return;
		tally.skmSums[element] = (tally.skmSums[element] ?? 0) + answer;
		tally.skmCounts[element] = (tally.skmCounts[element] ?? 0) + 1;
	});
}

/**
 * The p-th percentile of a histogram by the nearest-rank method: the smallest value v such that
 * at least p% of the values are <= v, that is the ceil(p/100 x n)-th value in ascending order
 * (1-based). So the median of 1, 2, 3, 4 is 2 (the lower middle), and every answer is a value
 * that occurred: a whole number of working days, never an interpolation.
 *
 * @param histogram - value -> how many times it occurred.
 * @param p - Percent, 0 < p <= 100.
 * @returns null for an empty histogram.
 */
export function nearestRank(histogram: ReadonlyMap<number, number>, p: number): number | null {
	let n = 0;
	for (const count of histogram.values()) n += count;
	if (n === 0) return null;
	const rank = Math.max(1, Math.ceil((p / 100) * n));
	let seen = 0;
	for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
		seen += histogram.get(value) ?? 0;
		if (seen >= rank) return value;
	}
	return null;
}

/** The report's figures of a tally. */
export function figuresOf(tally: Tally): SummaryFigures {
	return {
		requests: tally.requests,
		byStatus: { ...tally.byStatus },
		open: tally.open,
		overdue: tally.overdue,
		completed: tally.byStatus.completed,
		medianWorkingDays: nearestRank(tally.durations, 50),
		p90WorkingDays: nearestRank(tally.durations, 90),
		completedWithinLimit: tally.withinLimit,
		withinLimitShare: tally.withDueDate === 0 ? null : tally.withinLimit / tally.withDueDate,
		revisionsAsked: tally.revisions,
		complaints: tally.complaints,
		skmResponses: tally.skmResponses,
		ikm: skmIndexOfTotals(tally.skmResponses, tally.skmSums, tally.skmCounts).ikm,
	};
}
