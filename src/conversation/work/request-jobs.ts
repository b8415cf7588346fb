/** Jobs that read or change the resident's requests in D1 (and the files of a dropped draft). */
import { findService } from "../../catalog/catalog";
import { deleteFiles } from "../../files/delete-files";
import { filedRequests, residentRequestByTicket, residentRequests } from "../../requests/queries";
import { resubmitDocuments } from "../../requests/revision";
import { resumedDueDate } from "../../requests/schedule";
import { statusWords } from "../../requests/statuses";
import { transitionRequest } from "../../requests/transitions";
import { loadCalendar } from "../../standards/calendar-store";
import type { DraftFile } from "../dialogue-state";
import type { QueuedJob, SubmitPayload } from "../store/jobs";
import type { Work } from "./context";
import { currentOperator } from "./operator-lookup";
import { apply } from "./steps";
import { storedAttachments, submittedEvent } from "./submission";

/** Files the request as drafted; idempotent on the draft's request id. */
export async function runSubmit(work: Work, jobId: string, payload: SubmitPayload): Promise<void> {
	return apply(work, await submittedEvent(work, payload), { jobId });
}

/** Looks up the resident's requests (one by ticket, or the latest few) for a status reply. */
export async function runStatus(
	work: Work,
	jobId: string,
	payload: { ticket: string | null },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const lang = work.state().lang;
	const catalog = await work.catalog();
	// An active operator's `status` lists the requests they filed (asked of D1 now, not cached).
	const operator = await currentOperator(work);
	const rows =
		operator !== null
			? (await filedRequests(work.db, operator.staffId, payload.ticket ? 50 : 5)).filter(
					(row) => payload.ticket === null || row.ticket === payload.ticket,
				)
			: payload.ticket
				? [await residentRequestByTicket(work.db, businessId, residentId, payload.ticket)].filter(
						(row) => row !== null,
					)
				: await residentRequests(work.db, businessId, residentId, 5);
	const lines = rows.map((row) => ({
		requestId: row.id,
		ticket: row.ticket,
		service: findService(catalog, row.serviceCode)?.label[lang] ?? row.serviceCode,
		status: statusWords(row.status, lang),
		// The expected date while the office still owes the work (not while it waits for papers).
		...(row.dueDate !== null && ["submitted", "in_review", "processing"].includes(row.status)
			? { due: row.dueDate }
			: {}),
		...(row.waitingPosition !== null ? { position: row.waitingPosition } : {}),
	}));
	return apply(
		work,
		{ type: "status_report", lines, ...(payload.ticket ? { ticket: payload.ticket } : {}) },
		{ jobId },
	);
}

/** Deletes the files of a dropped draft. */
export async function runDiscard(
	work: Work,
	jobId: string,
	payload: { keys: string[]; requestId: string },
): Promise<void> {
	await deleteFiles(work.files, {
		keys: payload.keys,
		// Also whatever a download stored that the draft never recorded.
		prefixes: payload.requestId !== "" ? [`requests/${payload.requestId}/`] : [],
	});
	work.tables.jobs.done(jobId);
}

/** The resident cancels their own request: only theirs, and only before processing. */
export async function runCancel(
	work: Work,
	job: QueuedJob,
	payload: { ticket: string },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const jobId = job.id;
	const request = await residentRequestByTicket(work.db, businessId, residentId, payload.ticket);
	if (request === null) {
		return apply(
			work,
			{ type: "cancel_result", ticket: payload.ticket, outcome: "not_found" },
			{ jobId },
		);
	}
	const outcome = await transitionRequest(work.db, {
		requestId: request.id,
		to: "cancelled",
		actor: "resident",
		by: "resident",
	});
	if (!outcome.ok && outcome.problem === "conflict") {
		// Tried again under the attempt policy, like any other trouble.
		throw new Error("request changed meanwhile");
	}
	// Already cancelled: this job's own earlier try may have done it and lost the answer, and the
	// request is cancelled either way, which is what the resident asked.
	const cancelled = outcome.ok || outcome.from === "cancelled";
	return apply(
		work,
		cancelled
			? { type: "cancel_result", ticket: request.ticket, outcome: "cancelled" }
			: {
					type: "cancel_result",
					ticket: request.ticket,
					outcome: "too_late",
					status: outcome.from ?? request.status,
				},
		{ jobId },
	);
}

/** Records the corrected documents of a request in revision. */
export async function runResubmit(
	work: Work,
	jobId: string,
	payload: { requestId: string; files: DraftFile[]; at: number },
): Promise<void> {
	const calendar = await loadCalendar(work.db, work.settings().get("OFFICE_TIME_ZONE"));
	const files = storedAttachments(payload.files);
	const outcome = await resubmitDocuments(work.db, {
		requestId: payload.requestId,
		at: payload.at,
		files,
		dueDate: await resumedDueDate(work.db, calendar, payload.requestId, payload.at),
	});
	if (!outcome.resubmitted) {
		// Staff moved the request on meanwhile: keep none of the files nothing records.
		await deleteFiles(work.files, { keys: files.map((file) => file.key) });
		return apply(
			work,
			{ type: "resubmitted", requestId: payload.requestId, refused: { status: outcome.status } },
			{ jobId },
		);
	}
	return apply(
		work,
		{ type: "resubmitted", requestId: payload.requestId, dueDate: outcome.dueDate },
		{ jobId },
	);
}
