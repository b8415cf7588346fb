/**
 * Which dialogue effects are jobs, and the job each one queues: the bridge between the pure
 * dialogue's effects and the `jobs` table (store/jobs.ts).
 *
 * @module
 */

import type { Effect } from "../dialogue";
import type { Job } from "../store/jobs";

/**
 * The job (with its id, which makes queuing idempotent) that carries out a dialogue effect, or
 * undefined for effects that are not jobs (sends go to the outbox, read marks are best effort).
 */
export function jobForEffect(effect: Effect, now: number): { id: string; job: Job } | undefined {
	switch (effect.kind) {
		case "send":
		case "mark_read":
			return undefined;
		case "download":
			return {
				id: `download:${effect.job.messageId}`,
				job: { kind: "download", payload: effect.job },
			};
		case "submit":
			return {
				id: `submit:${effect.draft.requestId}`,
				job: { kind: "submit", payload: { draft: effect.draft, lang: effect.lang, at: effect.at } },
			};
		case "status_query":
			return {
				id: `status:${crypto.randomUUID()}`,
				job: { kind: "status", payload: { ticket: effect.ticket ?? null } },
			};
		case "handoff":
			return {
				id: `handoff:${now}`,
				job: { kind: "handoff", payload: { at: now, handoffId: effect.handoffId } },
			};
		case "handoff_end":
			return {
				id: `handoff-end:${effect.at}`,
				job: { kind: "handoff_end", payload: { at: effect.at } },
			};
		case "handoff_file": {
			const { kind: _kind, ...file } = effect;
			return { id: `handoff-file:${effect.key}`, job: { kind: "handoff_file", payload: file } };
		}
		case "handoff_expire":
			return {
				id: `handoff-expire:${effect.handoffId ?? effect.at}`,
				job: { kind: "handoff_expire", payload: { handoffId: effect.handoffId, at: effect.at } },
			};
		case "file_complaint":
			return {
				id: `complaint:${effect.complaint.id}`,
				job: { kind: "complaint", payload: { complaint: effect.complaint, at: effect.at } },
			};
		case "discard_files":
			return {
				id: `discard:${crypto.randomUUID()}`,
				job: { kind: "discard", payload: { keys: effect.keys, requestId: effect.requestId } },
			};
		case "cancel_request":
			return {
				id: `cancel:${effect.ticket}:${now}`,
				job: { kind: "cancel", payload: { ticket: effect.ticket } },
			};
		case "survey_open":
			return {
				// The new row's id is fixed here, so a retry after the write finds its own row.
				id: `survey_open:${effect.requestId ?? crypto.randomUUID()}`,
				job: {
					kind: "survey_open",
					payload: {
						surveyId: crypto.randomUUID(),
						requestId: effect.requestId ?? null,
						ticket: effect.ticket ?? null,
						asked: effect.asked,
						at: effect.at,
					},
				},
			};
		case "survey_finish":
			return {
				id: `survey_finish:${effect.surveyId}`,
				job: {
					kind: "survey_finish",
					payload: {
						surveyId: effect.surveyId,
						answers: effect.answers,
						suggestion: effect.suggestion,
						at: effect.at,
					},
				},
			};
		case "opt_out":
			return {
				id: `opt_out:${crypto.randomUUID()}`,
				job: {
					kind: "opt_out",
					payload: { id: crypto.randomUUID(), optedOut: effect.optedOut, at: effect.at },
				},
			};
		case "operator_check":
			return { id: `operator:${crypto.randomUUID()}`, job: { kind: "operator", payload: {} } };
		case "resubmit":
			return {
				id: `resubmit:${effect.requestId}:${effect.at}`,
				job: {
					kind: "resubmit",
					payload: { requestId: effect.requestId, files: effect.files, at: effect.at },
				},
			};
	}
}
