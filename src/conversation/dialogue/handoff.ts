/**
 * A person holds the chat (`petugas`): the bot answers no free text until staff close the
 * hand-off, the resident goes back to the bot (`menu`, `pengaduan`), or nobody answers in time
 * (two working days after it began or staff last wrote), when the bot takes the chat back and
 * says so.
 */

import type { FileProblem, InboundMessage } from "../../channel/events";
import { type DialogueState, HELD_FALLBACK_MS } from "../dialogue-state";
import { prompt } from "./prompts";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

const MB = 1024 * 1024;

/**
 * What the staff holding the chat may be sent, stored for them to open: photos and PDFs (as a
 * file sent early), and voice notes, audio and videos up to the size WhatsApp itself sends.
 */
const HANDOFF_FILES = {
	scan: { acceptedTypes: ["image/jpeg", "image/png", "application/pdf"], maxBytes: 10 * MB },
	audio: {
		acceptedTypes: ["audio/ogg", "audio/mpeg", "audio/mp4", "audio/aac", "audio/amr"],
		maxBytes: 16 * MB,
	},
	video: { acceptedTypes: ["video/mp4", "video/3gpp"], maxBytes: 16 * MB },
} as const;
/** Every type a file of a hand-off may be (the staff API serves them). */
export const HANDOFF_FILE_TYPES: readonly string[] = Object.values(HANDOFF_FILES).flatMap(
	(rules) => rules.acceptedTypes,
);
/** Where the files of a hand-off are kept: `handoffs/<hand-off id>/file/<message id>`. */
const HANDOFF_DOC_CODE = "file";

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
 * Whatever the resident sends while a person holds the chat (but text, taken before) is for
 * them, not for the bot: no word from the bot unless it cannot be passed on. A photo, PDF, voice
 * note, audio or video is stored under the hand-off (staff open it from its messages); a sticker,
 * a place or a contact card is read from the conversation as it is. A hold from before hand-offs
 * had ids stores nothing (staff see the kind, as before).
 */
export function onHeldMessage(turn: Turn, message: InboundMessage): void {
	const content = message.content;
	switch (content.kind) {
		case "media":
			return holdFile(turn, message.id, content, HANDOFF_FILES.scan);
		case "voice":
		case "audio":
		case "video":
			if (content.problem !== undefined) return tellNotPassedOn(turn, content.problem);
			// No media: WhatsApp sent none, or it was recorded before recordings were read.
			if (content.mediaId === undefined || content.mimeType === undefined) {
				return turn.say(turn.t.handoffs.fileFailed);
			}
			return holdFile(
				turn,
				message.id,
				{ mediaId: content.mediaId, mimeType: content.mimeType, sha256: content.sha256 },
				content.kind === "video" ? HANDOFF_FILES.video : HANDOFF_FILES.audio,
			);
		case "unsupported":
			if (content.problem !== undefined) return tellNotPassedOn(turn, content.problem);
			return;
		default:
			return;
	}
}

/** A file the channel could not pass on: the resident would think staff have it. */
function tellNotPassedOn(turn: Turn, problem: FileProblem): void {
	const { handoffs } = turn.t;
	turn.say(problem === "too_large" ? handoffs.fileRefused : handoffs.fileFailed);
}

/** Stores a file for the staff holding the chat (once per message, however often it comes). */
function holdFile(
	turn: Turn,
	messageId: string,
	file: { mediaId: string; mimeType: string; sha256?: string | undefined; fileName?: string },
	rules: { acceptedTypes: readonly string[]; maxBytes: number },
): void {
	const { state } = turn;
	const handoffId = state.handoffId;
	if (handoffId == null) return;
	const mime = file.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (!rules.acceptedTypes.includes(mime)) return turn.say(turn.t.handoffs.fileRefused);
	const files = state.heldFiles ?? [];
	if (files.some((held) => held.messageId === messageId)) return;
	state.heldFiles = [...files, { messageId, handoffId }];
	turn.emit({
		kind: "download",
		job: {
			requestId: handoffId,
			docCode: HANDOFF_DOC_CODE,
			messageId,
			mediaId: file.mediaId,
			declaredMime: mime,
			...(file.sha256 ? { announcedSha256: file.sha256 } : {}),
			acceptedTypes: [...rules.acceptedTypes],
			maxBytes: rules.maxBytes,
			...(file.fileName ? { fileName: file.fileName } : {}),
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
