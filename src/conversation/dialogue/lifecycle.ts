import { formatDateTime } from "../../standards/dates-id";
import type { DialogueState } from "../dialogue-state";
import { dropComplaint } from "./complaint";
import { discardDraft } from "./draft-end";
import { expireHold, holdEndsAt } from "./handoff";
import { showMenu } from "./operator";
import { prompt } from "./prompts";
import { endSurvey, SURVEY_QUIET_MS } from "./survey";
import type { Turn } from "./turn";

/** Idle drafts: a reminder while the channel's 24-hour window is still open, deletion after 7 days. */
export const REMINDER_AFTER_MS = 23 * 60 * 60 * 1000;
export const EXPIRE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * When the shell should next deliver a `tick` (reminder, expiry, a quiet survey or complaint, a
 * hand-off nobody answered), if ever.
 */
export function nextTickAt(state: DialogueState): number | null {
	const dialogue = dialogueTickAt(state);
	const hold = holdEndsAt(state);
	if (dialogue === null || hold === null) return dialogue ?? hold;
	return Math.min(dialogue, hold);
}

/**
 * The dialogue's own clock: a quiet survey, draft or complaint. It runs while a person holds the
 * chat too (the resident's messages to staff count as moves), so a draft left under a hand-off
 * is deleted after its 7 days like any other.
 */
function dialogueTickAt(state: DialogueState): number | null {
	if (state.survey) return state.survey.askedAt + SURVEY_QUIET_MS;
	if (state.draft === null) return complaintExpiresAt(state);
	if (state.phase.name === "submitting" || state.lastInboundAt === null) return null;
	if (state.remindedAt === null) return state.lastInboundAt + REMINDER_AFTER_MS;
	return state.lastInboundAt + EXPIRE_AFTER_MS;
}

/**
 * A complaint left untold (no draft waiting beside it) is dropped with its photo as a draft is,
 * quietly: nothing else would ever delete the photo. Not while it is being filed (a job).
 */
function complaintExpiresAt(state: DialogueState): number | null {
	const filing = state.phase.name === "complaint" && state.phase.step === "filing";
	if (!state.complaint || filing || state.lastInboundAt === null) return null;
	return state.lastInboundAt + EXPIRE_AFTER_MS;
}

/** True when the draft holds something the resident would lose: a service or a file. */
export function hasProgress(turn: Turn): boolean {
	const draft = turn.state.draft;
	return draft !== null && (draft.service !== undefined || draft.files.length > 0);
}

/**
 * Starts a new draft (greeting first when the resident just arrived) and asks for the service;
 * the menu waits for D1 to say whether the number is an operator's, unless that is known.
 */
export function startDraft(turn: Turn, greet: boolean): void {
	openDraft(turn, greet);
	showMenu(turn);
}

/** Starts a new draft at the service question without asking it yet (the caller asks). */
export function openDraft(turn: Turn, greet: boolean): void {
	if (greet) turn.say(turn.t.greeting(turn.ctx.officeName));
	turn.state.draft = {
		requestId: turn.ctx.newRequestId,
		startedAt: turn.ctx.now,
		nikWarnings: [],
		files: [],
		editing: false,
	};
	turn.state.phase = { name: "service", page: 0 };
}

/**
 * A hand-off nobody answered in time hands the chat back to the bot; a quiet survey ends with
 * what it has; a quiet draft is reminded once (not while a person holds the chat: the bot would
 * cut in), then deleted; a quiet complaint is dropped. A resident who stopped messages gets
 * neither the reminder nor the notice of the deletion.
 */
export function onTick(turn: Turn, now: number): void {
	const holdEnds = holdEndsAt(turn.state);
	if (holdEnds !== null && now >= holdEnds) return expireHold(turn);
	const due = dialogueTickAt(turn.state);
	if (due === null || now < due) return;
	if (turn.state.survey) return endSurvey(turn, { thank: false });
	if (turn.state.draft === null) return expireComplaint(turn);
	const quiet = turn.state.optedOut === true;
	if (turn.state.remindedAt === null) {
		turn.state.remindedAt = now;
		if (quiet || turn.state.heldSince != null) return;
		turn.say(turn.t.reminder(deletionTime(turn)));
		return prompt(turn);
	}
	// A complaint begun beside the draft goes with it (its photo too).
	if (turn.state.complaint) dropComplaint(turn, true);
	discardDraft(turn);
	if (!quiet) turn.say(turn.t.expired);
}

/**
 * Drops a quiet complaint; back where the resident was when it began, unless that was the draft
 * (gone since) or a question a week old: then idle. A revision waits on its own.
 */
function expireComplaint(turn: Turn): void {
	dropComplaint(turn, true);
	if (turn.state.phase.name !== "revision") turn.state.phase = { name: "idle" };
}

/** When the quiet draft will be deleted, in the office's clock (Asia/Jakarta unless told). */
function deletionTime(turn: Turn): string {
	const deleteAt = (turn.state.lastInboundAt ?? turn.ctx.now) + EXPIRE_AFTER_MS;
	return formatDateTime(deleteAt, turn.ctx.timeZone ?? "Asia/Jakarta", turn.lang);
}
