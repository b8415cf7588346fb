/**
 * `berhenti` / `stop` (asked to confirm) and `mulai` / `start`: whether the office sends this
 * resident anything they did not ask for. The flag lives in the dialogue's state (the shell holds
 * notices and skips nudges by it); each change is also recorded in D1, with its time, for staff.
 */
import type { InboundContent } from "../../channel/events";
import type { Phase } from "../dialogue-state";
import { pick } from "./choices";
import { ANSWER, stopOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";

/** `berhenti`: ask first (unless already stopped). */
export function askStop(turn: Turn): void {
	if (turn.state.optedOut) {
		turn.say(turn.t.optOut.already);
		return prompt(turn);
	}
	const current = turn.state.phase;
	const resume = current.name === "confirm_stop" ? current.resume : current;
	goto(turn, { name: "confirm_stop", resume });
}

/** Yes or no to stopping; either way back to where the resident was. */
export function onStopAnswer(
	turn: Turn,
	content: InboundContent,
	phase: Extract<Phase, { name: "confirm_stop" }>,
): void {
	const chosen = pick(content, stopOptions(turn));
	if (chosen === undefined) return notUnderstood(turn);
	turn.state.phase = phase.resume;
	if (chosen.id === ANSWER.stopYes) {
		setOptedOut(turn, true);
		turn.say(turn.t.optOut.done);
	} else turn.say(turn.t.optOut.kept);
	prompt(turn);
}

/** `mulai` from a resident who stopped messages: everything is sent again. */
export function resumeMessages(turn: Turn): void {
	setOptedOut(turn, false);
	turn.say(turn.t.optOut.resumed);
	prompt(turn);
}

function setOptedOut(turn: Turn, optedOut: boolean): void {
	turn.state.optedOut = optedOut;
	turn.emit({ kind: "opt_out", optedOut, at: turn.ctx.now });
}
