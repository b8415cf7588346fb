/**
 * Jobs a step carries out before it commits: a download or a submission, asked for by a step
 * with no other job in line. Its outcome goes through the dialogue at once and both steps commit
 * together (see `apply` in ./steps.ts): no job row queued and then deleted, one state written
 * instead of two (three object rows fewer per file and per submission), and the reply does not
 * wait for another turn of the alarm's loop. Both are idempotent, so a crash before the commit
 * only repeats them; a failure queues the job as before, with this try counted.
 */
import { errorDetail } from "../../log";
import type { DialogueEvent, Effect } from "../dialogue";
import type { JobFailure, QueuedJob } from "../store/jobs";
import type { Work } from "./context";
import { downloadOutcome } from "./download";
import { jobForEffect } from "./effect-jobs";
import { submittedEvent } from "./submission";

/** The jobs a step's effects ask for, each with its id (an id is drawn once, here). */
export function jobsOf(effects: readonly Effect[], now: number): QueuedJob[] {
	return effects.flatMap((effect) => {
		const queued = jobForEffect(effect, now);
		return queued === undefined
			? []
			: [{ ...queued.job, id: queued.id, attempts: 0, nextAt: now, createdAt: now }];
	});
}

/** The kinds of job a step may carry out before its commit. */
export type AheadJob = Extract<QueuedJob, { kind: "download" | "submit" }>;

/**
 * The job to carry out before the commit: the step asked for exactly one, a download or a
 * submission, and no other job is in line (`finishing`: the job the step itself consumes).
 */
export function jobToRunAhead(
	work: Work,
	jobs: readonly QueuedJob[],
	finishing: string | undefined,
): AheadJob | undefined {
	const [job, ...others] = jobs;
	if (job === undefined || others.length > 0) return undefined;
	if (job.kind !== "download" && job.kind !== "submit") return undefined;
	return work.tables.jobs.anyBesides(finishing) ? undefined : job;
}

/** Carries the job out: the event the dialogue hears of it, or why it failed. */
export async function runAhead(
	work: Work,
	job: AheadJob,
): Promise<{ event: DialogueEvent } | { failure: JobFailure }> {
	try {
		return job.kind === "download"
			? await downloadOutcome(work, job.payload)
			: { event: await submittedEvent(work, job.payload) };
	} catch (error) {
		return { failure: { retryable: true, detail: errorDetail(error) } };
	}
}
