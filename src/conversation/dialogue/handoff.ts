/**
 * A person holds the chat (`petugas`): the bot answers no free text until staff close the
 * hand-off, the resident goes back to the bot (`menu`, `pengaduan`), or nobody answers in time
 * (two working days after it began or staff last wrote), when the bot takes the chat back and
 * says so.
 */

import type { DialogueState } from "../dialogue-state";
import { HELD_FALLBACK_MS } from "../dialogue-state";
import { prompt } from "./prompts";
import type { Turn } from "./turn";

/** `petugas`: the chat is held from now (asked again while held: the same hand-off). */
export function startHold(turn: Turn): void {
	const { state } = turn;
	state.handoffAskedAt = turn.ctx.now;
	state.heldSince ??= turn.ctx.now;
	state.handoffId ??= turn.ctx.newRequestId;
	turn.emit({ kind: "handoff", handoffId: state.handoffId });
	turn.say(turn.t.handoff(turn.officeHours()));
}

/** Forgets the hold (whichever way it ended). */
function release(state: DialogueState): void {
	state.heldSince = null;
	state.handoffId = null;
	state.heldUntil = null;
}

/**
 * The resident goes back to the bot (`menu`, `pengaduan`) while a person holds the chat: the
 * hold ends and staff's list is told, so the bot's questions are answered again.
 */
export function endHold(turn: Turn): void {
	if (turn.state.heldSince == null) return;
	release(turn.state);
	turn.emit({ kind: "handoff_end", at: turn.ctx.now });
}

/**
 * Staff closed the hand-off: the bot answers again, and says so (then its question, if any). A
 * close of an earlier hand-off (a late or retried job) leaves the one holding the chat now alone.
 */
export function onHandoffClosed(turn: Turn, handoffId: string): void {
	const { state } = turn;
	if (state.heldSince == null) return;
	if (state.handoffId != null && state.handoffId !== handoffId) return;
	release(state);
	turn.say(turn.t.handoffs.closed);
	if (state.phase.name !== "idle") prompt(turn);
}

/** The hand-off is recorded for staff: when it ends unanswered (a repeat keeps the first end). */
export function onHandoffRecorded(turn: Turn, handoffId: string, until: number): void {
	const { state } = turn;
	if (state.heldSince == null || state.handoffId !== handoffId) return;
	state.heldUntil ??= until;
}

/** A staff member wrote in the hand-off: the time limit counts again from their reply. */
export function onHandoffReply(turn: Turn, text: string, until: number | undefined): void {
	const { t, state } = turn;
	if (state.heldSince != null && until !== undefined) state.heldUntil = until;
	turn.send({ type: "text", body: t.handoffs.reply(text) }, t.handoffs.replySummary);
}

/** When the hold ends if nobody answers; null when the chat is not held. */
export function holdEndsAt(state: DialogueState): number | null {
	if (state.heldSince == null) return null;
	return state.heldUntil ?? state.heldSince + HELD_FALLBACK_MS;
}

/**
 * Nobody answered in time: the bot takes the chat back, closes the hand-off for staff (as
 * expired) and tells the resident what they can do now.
 */
export function expireHold(turn: Turn): void {
	const { state } = turn;
	turn.emit({ kind: "handoff_expire", handoffId: state.handoffId ?? null, at: turn.ctx.now });
	release(state);
	turn.say(turn.t.handoffs.expired);
	if (state.phase.name !== "idle") prompt(turn);
}
