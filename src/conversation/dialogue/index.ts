/**
 * The dialogue: a pure function from state and event to the next state and the effects the
 * Conversation object carries out. One module per stage (intake, documents, review, revision,
 * cancel, commands) around a shared `Turn`; every word comes from the texts module.
 */
import type { DialogueState } from "../dialogue-state";
import { onCancelResult } from "./cancel";
import { onStatusReport } from "./commands";
import { onComplaintFile, onComplaintFiled } from "./complaint";
import { onMediaFailed, onMediaRefused, onMediaStored } from "./documents";
import { onJobFailed } from "./failures";
import { onHandoffClosed, onHandoffFile, onHandoffRecorded } from "./handoff";
import { onMessage } from "./inbound";
import { onTick } from "./lifecycle";
import { keepOperator, onOperatorChecked, operatorCheckDue } from "./operator";
import { onSubmitRefused, onSubmitted } from "./review";
import { onResubmitted, onStaffNotice, onStaffReply } from "./revision";
import { onSurveyOpened } from "./survey";
import { Turn } from "./turn";
import type { DialogueEvent, StepContext, StepResult } from "./types";

export type { DialogueState, Draft, DraftFile, Phase } from "../dialogue-state";
export { initialState } from "../dialogue-state";
export { isHeldFile } from "./handoff";
export { heldForStaff } from "./inbound";
export { EXPIRE_AFTER_MS, nextTickAt, REMINDER_AFTER_MS } from "./lifecycle";
export type {
	ComplaintFiling,
	DialogueEvent,
	DownloadJob,
	Effect,
	StepContext,
	StepResult,
} from "./types";
export { operatorCheckDue };

/** The next state and effects after `event`. Never throws for anything a resident can send. */
export function step(state: DialogueState, event: DialogueEvent, ctx: StepContext): StepResult {
	const turn = new Turn(structuredClone(state), ctx);
	// The shell asked D1 who the number is (the state's answer was stale): no job needed.
	if (ctx.operator !== undefined && operatorCheckDue(turn.state, ctx.now)) {
		keepOperator(turn.state, ctx.operator, ctx.now);
	}
	handle(turn, event);
	return { state: turn.state, effects: turn.effects };
}

function handle(turn: Turn, event: DialogueEvent): void {
	switch (event.type) {
		case "message":
			return onMessage(turn, event.message);
		case "media_stored":
			if (onComplaintFile(turn, event) || onHandoffFile(turn, event)) return;
			return onMediaStored(turn, event);
		case "media_refused":
			if (onComplaintFile(turn, event) || onHandoffFile(turn, event)) return;
			return onMediaRefused(turn, event.messageId, event.reason);
		case "media_failed":
			if (onComplaintFile(turn, event) || onHandoffFile(turn, event)) return;
			return onMediaFailed(turn, event.messageId);
		case "submitted":
			return onSubmitted(turn, event);
		case "submit_refused":
			return onSubmitRefused(turn, event.requestId);
		case "status_report":
			return onStatusReport(turn, event.lines, event.ticket);
		case "tick":
			return onTick(turn, event.now);
		case "job_failed":
			return onJobFailed(turn, event);
		case "staff_notice":
			return onStaffNotice(turn, event.notice);
		case "resubmitted":
			return onResubmitted(turn, event);
		case "cancel_result":
			return onCancelResult(turn, event.ticket, event.outcome, event.status);
		case "complaint_filed":
			return onComplaintFiled(turn, event);
		case "complaint_reply":
		case "handoff_reply":
			return onStaffReply(turn, event);
		case "handoff_closed":
			return onHandoffClosed(turn, event.handoffId);
		case "handoff_recorded":
			return onHandoffRecorded(turn, event.handoffId, event.until);
		case "survey_opened":
			return onSurveyOpened(turn, event);
		case "operator_checked":
			return onOperatorChecked(turn, event.operator);
	}
}
