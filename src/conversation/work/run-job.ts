import { errorDetail, log } from "../../log";
import type { DownloadJob } from "../dialogue";
import type { ResultDelivery } from "../notices";
import type { QueuedJob } from "../store/jobs";
import { textsFor } from "../texts";
import { runComplaint } from "./complaint-jobs";
import type { Work } from "./context";
import { deadLetter } from "./dead-letter";
import { downloadOutcome } from "./download";
import {
	runHandoff,
	runHandoffEnd,
	runHandoffExpire,
	runHandoffFile,
	runHandoffReply,
} from "./handoff-jobs";
import { runOperatorCheck } from "./operator-jobs";
import { runCancel, runDiscard, runResubmit, runStatus, runSubmit } from "./request-jobs";
import { sendAgain } from "./send-retry";
import { apply } from "./steps";
import { runOptOut, runSurveyFinish, runSurveyOpen } from "./survey-jobs";

/**
 * Runs the first job in line. Unexpected trouble (D1, R2, settings) is retried later under the
 * attempt policy (the inbox waits behind the job meanwhile); past its caps the job goes to the
 * dead letters and the conversation goes on.
 */
export async function runJob(work: Work, job: QueuedJob): Promise<void> {
	try {
		switch (job.kind) {
			case "download":
				return await runDownload(work, job, job.payload);
			case "submit":
				return await runSubmit(work, job.id, job.payload);
			case "status":
				return await runStatus(work, job.id, job.payload);
			case "handoff":
				return await runHandoff(work, job.id, job.payload);
			case "notice":
				return await apply(work, { type: "staff_notice", notice: job.payload }, { jobId: job.id });
			case "result":
				return await runResult(work, job, job.payload);
			case "cancel":
				return await runCancel(work, job, job.payload);
			case "resubmit":
				return await runResubmit(work, job.id, job.payload);
			case "discard":
				return await runDiscard(work, job.id, job.payload);
			case "complaint":
				return await runComplaint(work, job.id, job.payload);
			case "handoff_end":
				return await runHandoffEnd(work, job.id, job.payload);
			case "complaint_reply":
				return await apply(work, { type: "complaint_reply", ...job.payload }, { jobId: job.id });
			case "handoff_reply":
				return await runHandoffReply(work, job);
			case "handoff_expire":
				return await runHandoffExpire(work, job.id, job.payload);
			case "handoff_file":
				return await runHandoffFile(work, job.id, job.payload);
			case "handoff_close":
				return await apply(
					work,
					{ type: "handoff_closed", handoffId: job.payload.handoffId },
					{ jobId: job.id },
				);
			case "survey_open":
				return await runSurveyOpen(work, job.id, job.payload);
			case "survey_finish":
				return await runSurveyFinish(work, job.id, job.payload);
			case "opt_out":
				return await runOptOut(work, job.id, job.payload);
			case "operator":
				return await runOperatorCheck(work, job.id);
			case "send":
				return sendAgain(work, job.id, job.payload.seq);
		}
	} catch (error) {
		const detail = errorDetail(error);
		if (work.tables.jobs.retryOrGiveUp(job, { retryable: true, detail })) {
			await deadLetter(work, job, detail);
		}
	}
}

/** Moves a resident's file into storage, then tells the dialogue how it went. */
async function runDownload(work: Work, job: QueuedJob, download: DownloadJob): Promise<void> {
	const outcome = await downloadOutcome(work, download);
	if ("event" in outcome) return apply(work, outcome.event, { jobId: job.id });
	if (!work.tables.jobs.retryOrGiveUp(job, outcome.failure)) return;
	log.warn("conversation.media_gave_up", {
		attempts: job.attempts + 1,
		detail: outcome.failure.detail,
	});
	return apply(work, { type: "media_failed", messageId: download.messageId }, { jobId: job.id });
}

/** Uploads a finished document to the channel and queues it for the resident. */
async function runResult(work: Work, job: QueuedJob, result: ResultDelivery): Promise<void> {
	const { jobs, outbox } = work.tables;
	const object = await work.files.get(result.key);
	if (object === null) {
		log.error("conversation.result_missing", { requestId: result.requestId });
		jobs.done(job.id);
		return;
	}
	const uploaded = await work.channel().upload({
		body: object.body,
		size: object.size,
		mimeType: "application/pdf",
		fileName: result.fileName,
	});
	if (!uploaded.ok) {
		if (!jobs.retryOrGiveUp(job, uploaded)) return;
		// Staff can send it again once the channel's trouble is known (the dead letters).
		return deadLetter(work, job, `upload refused: ${uploaded.detail}`);
	}
	const state = work.state();
	const words = textsFor(state.lang);
	const now = Date.now();
	work.tables.transaction(() => {
		outbox.add(
			{
				type: "document",
				mediaId: uploaded.value,
				fileName: result.fileName,
				caption: words.documentCaption(result.ticket),
			},
			{
				now,
				requestId: result.requestId,
				notice: words.templateSummary(result.ticket, words.documentReady),
				// A resident who stopped messages gets it when they next write.
				...(state.optedOut ? { hold: true } : {}),
			},
		);
		jobs.done(job.id);
	});
}
