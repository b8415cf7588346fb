import { onComplaintFailed, onComplaintFile } from "./complaint";
import { onMediaFailed } from "./documents";
import { closeDraft } from "./draft-end";
import { onOperatorChecked } from "./operator";
import { prompt } from "./prompts";
import { endRevision } from "./revision";
import type { Turn } from "./turn";

/**
 * A job had all its tries and went to staff (dead letters): the resident is told once, and the
 * conversation goes on. A submission that failed closes its draft (the job keeps the draft, so
 * an admin's retry files it as it was and the resident then gets the ticket): the resident is
 * no longer held in "submitting" and may start anything else. Failed corrections end the
 * revision the same way. A file that could not be stored is asked for again, as when the
 * channel refuses it; dropping a draft's files is nothing the resident waits for.
 */
export function onJobFailed(
	turn: Turn,
	failed: { job: string; requestId?: string; messageId?: string },
): void {
	const { state } = turn;
	switch (failed.job) {
		case "download":
			if (failed.messageId === undefined) return;
			if (onComplaintFile(turn, { type: "media_failed", messageId: failed.messageId })) return;
			onMediaFailed(turn, failed.messageId);
			return;
		// D1 could not say who the number is: the menu a resident sees (asked again next time).
		case "operator":
			if (state.phase.name === "identify") onOperatorChecked(turn, null);
			state.operator = null;
			return;
		case "discard":
		// Recording a survey's end or a change of `berhenti` is nothing the resident waits for, nor
		// is putting a message given up on back in line (an admin's retry).
		case "survey_finish":
		case "opt_out":
		case "send":
			return;
		case "submit":
			if (state.phase.name === "submitting" && state.draft?.requestId === failed.requestId) {
				closeDraft(turn);
			}
			break;
		case "resubmit":
			if (state.revision?.requestId === failed.requestId) endRevision(turn);
			break;
		case "complaint":
			onComplaintFailed(turn, failed.requestId);
			break;
	}
	turn.say(turn.t.jobFailed);
	if (state.phase.name !== "idle") prompt(turn);
}
