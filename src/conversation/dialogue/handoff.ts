/**
 * A person holds the chat (`petugas`): the bot answers no free text until staff close the
 * hand-off, the resident goes back to the bot (`menu`, `pengaduan`), or nobody answers in time
 * (two working days after it began or staff last wrote), when the bot takes the chat back and
 * says so.
 */

import type { InboundMessage } from "../../channel/events";
import { type DialogueState, HELD_FALLBACK_MS } from "../dialogue-state";
import { prompt } from "./prompts";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

/** What the staff holding the chat may be sent: photos and PDFs, as a file sent early. */
const HANDOFF_FILE = {
	docCode: "file",
	acceptedTypes: ["image/jpeg", "image/png", "application/pdf"],
	maxBytes: 10 * 1024 * 1024,
};

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

/**
 * A photo or PDF while a person holds the chat is for them, not for the bot's draft: stored under
 * the hand-off (staff open it from their list), without a word from the bot unless it cannot be
 * passed on. A hold from before hand-offs had ids stores nothing (staff see the kind, as before).
 */
export function onHeldMedia(turn: Turn, message: InboundMessage): void {
	const { state } = turn;
	const content = message.content;
	const handoffId = state.handoffId;
	if (content.kind !== "media" || handoffId == null) return;
	const mime = content.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (!HANDOFF_FILE.acceptedTypes.includes(mime)) return turn.say(turn.t.handoffs.fileRefused);
	const files = state.heldFiles ?? [];
	if (files.some((file) => file.messageId === message.id)) return;
	state.heldFiles = [...files, { messageId: message.id, handoffId }];
	turn.emit({
		kind: "download",
		job: {
			requestId: handoffId,
			docCode: HANDOFF_FILE.docCode,
			messageId: message.id,
			mediaId: content.mediaId,
			declaredMime: mime,
			...(content.sha256 ? { announcedSha256: content.sha256 } : {}),
			acceptedTypes: HANDOFF_FILE.acceptedTypes,
			maxBytes: HANDOFF_FILE.maxBytes,
			...(content.fileName ? { fileName: content.fileName } : {}),
			prefix: "handoffs",
		},
	});
}

/** Whether a download's outcome is about a file sent to the staff holding the chat. */
export function isHeldFile(state: DialogueState, messageId: string): boolean {
	return state.heldFiles?.some((file) => file.messageId === messageId) ?? false;
}

/**
 * True when a download's outcome is about a file for the staff (then it is handled here): stored,
 * it is recorded under its hand-off; refused or failed, the resident is told.
 */
export function onHandoffFile(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "media_stored" | "media_refused" | "media_failed" }>,
): boolean {
	const { state } = turn;
	const file = state.heldFiles?.find((held) => held.messageId === event.messageId);
	if (file === undefined) return false;
	const rest = (state.heldFiles ?? []).filter((held) => held !== file);
	if (rest.length > 0) state.heldFiles = rest;
	else delete state.heldFiles;
	if (event.type !== "media_stored") {
		turn.say(
			event.type === "media_failed" ? turn.t.handoffs.fileFailed : turn.t.handoffs.fileRefused,
		);
		return true;
	}
	turn.emit({
		kind: "handoff_file",
		handoffId: file.handoffId,
		key: event.key,
		mimeType: event.mimeType,
		size: event.size,
		sha256: event.sha256,
		...(event.fileName ? { fileName: event.fileName } : {}),
		at: turn.ctx.now,
	});
	return true;
}
