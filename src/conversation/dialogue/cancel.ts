import type { InboundContent } from "../../channel/events";
import { type RequestStatus, statusWords } from "../../requests/statuses";
import type { Phase } from "../dialogue-state";
import { pick } from "./choices";
import { ANSWER, cancelOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";

/** "batal PBM-261128-0001": a cancelled request is final, so ask first. */
export function askCancel(turn: Turn, ticket: string): void {
	const current = turn.state.phase;
	const resume = current.name === "confirm_cancel" ? current.resume : current;
	goto(turn, { name: "confirm_cancel", ticket, resume });
}

/** Yes or no to cancelling a submitted request; either way back to where the resident was. */
export function onCancelAnswer(
	turn: Turn,
	content: InboundContent,
	phase: Extract<Phase, { name: "confirm_cancel" }>,
): void {
	const chosen = pick(content, cancelOptions(turn));
	if (chosen === undefined) return notUnderstood(turn);
	turn.state.phase = phase.resume;
	if (chosen.id === ANSWER.cancelYes) {
		turn.emit({ kind: "cancel_request", ticket: phase.ticket });
		return;
	}
	turn.say(turn.t.cancelKept(phase.ticket));
	prompt(turn);
}

/** What became of the cancellation the shell attempted. */
export function onCancelResult(
	turn: Turn,
	ticket: string,
	outcome: "cancelled" | "not_found" | "too_late",
	status: RequestStatus | undefined,
): void {
	const { t } = turn;
	if (outcome === "cancelled") turn.say(t.requestCancelled(ticket));
	else if (outcome === "not_found") turn.say(t.statusNotFound(ticket));
	else turn.say(t.cancelTooLate(ticket, status ? statusWords(status, turn.lang) : "-"));
	if (turn.state.phase.name !== "idle") prompt(turn);
}
