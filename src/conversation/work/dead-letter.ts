/**
 * Jobs past their caps, and messages the outbox gave up on (work/send-retry.ts): to the dead
 * letters (the object's and D1's), and back when retried.
 */
import { conversationName } from "../../channel/address";
import { log } from "../../log";
import { recordDeadLetter } from "../../requests/dead-letters";
import type { QueuedJob } from "../store/jobs";
import type { Work } from "./context";
import { maskedError } from "./masked-error";
import { apply } from "./steps";

/** The request (or draft) a job is for, if any: what admins see next to the dead letter. */
function requestIdOf(job: QueuedJob): string | null {
	switch (job.kind) {
		case "download":
		case "notice":
		case "result":
		case "resubmit":
			return job.payload.requestId;
		case "submit":
			return job.payload.draft.requestId;
		case "discard":
			return job.payload.requestId === "" ? null : job.payload.requestId;
		case "survey_open":
		case "send":
			return job.payload.requestId;
		case "status":
		case "handoff":
		case "handoff_end":
		case "handoff_expire":
		case "handoff_file":
		case "handoff_reply":
		case "handoff_close":
		case "cancel":
		case "survey_finish":
		case "opt_out":
		case "operator":
			return null;
		// The complaint's id: the dialogue drops the complaint it was filing.
		case "complaint":
			return job.payload.complaint.id;
		case "complaint_reply":
			return job.payload.complaintId;
	}
}

/**
 * Gives up on a job for good: it moves to the object's dead jobs and the dialogue hears of it
 * (the resident is told once, and no longer waits for it) in one transaction, then D1 records
 * the dead letter for admins.
 */
export async function deadLetter(work: Work, job: QueuedJob, detail: string): Promise<void> {
	const error = maskedError(detail);
	const requestId = requestIdOf(job);
	log.error("conversation.job_dead", { kind: job.kind, attempts: job.attempts + 1, error });
	await apply(
		work,
		{
			type: "job_failed",
			job: job.kind,
			...(requestId === null ? {} : { requestId }),
			...(job.kind === "download" ? { messageId: job.payload.messageId } : {}),
		},
		{ dead: { job, requestId, error, letterId: crypto.randomUUID() } },
	);
	await reportDeadLetters(work);
}

/**
 * Tells D1 of the dead jobs it has not recorded yet (D1 may be the very thing that failed: they
 * are kept and reported on a later run).
 */
export async function reportDeadLetters(work: Work): Promise<void> {
	const { deadJobs } = work.tables;
	const unreported = deadJobs.unreported();
	if (unreported.length === 0) return;
	const { businessId, residentId } = work.tables.kv.identity();
	const conversation = conversationName(businessId, residentId);
	for (const dead of unreported) {
		try {
			await recordDeadLetter(work.db, {
				id: dead.letterId,
				conversation,
				kind: dead.job.kind,
				requestId: dead.requestId,
				error: dead.error,
				attempts: dead.attempts,
				firstAttemptAt: dead.firstAt,
				lastAttemptAt: dead.lastAt,
			});
			deadJobs.markReported(dead.jobId, dead.lastAt);
		} catch (error) {
			log.warn("conversation.dead_letter_unreported", {
				kind: dead.job.kind,
				error: maskedError(error instanceof Error ? error.message : String(error)),
			});
			return;
		}
	}
}

/**
 * An admin's retry: the dead job goes back in line with fresh tries (idempotent: queuing it
 * twice is one job). False when the object holds no such dead job (it succeeded since).
 */
export async function retryDeadLetter(work: Work, letterId: string): Promise<boolean> {
	const dead = work.tables.deadJobs.byLetter(letterId);
	if (dead === undefined) return false;
	const now = Date.now();
	if (work.tables.jobs.queue(dead.jobId, dead.job, now)) await work.armAlarm(now);
	return true;
}
