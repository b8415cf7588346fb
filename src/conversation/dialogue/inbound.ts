import type { InboundContent, InboundMessage } from "../../channel/events";
import type { DialogueState } from "../dialogue-state";
import type { Texts } from "../texts";
import { onCancelAnswer } from "./cancel";
import { onCommand } from "./commands";
import { onComplaintAnswer, onComplaintMedia } from "./complaint";
import { onAddPage } from "./document-steps";
import { fileProblemText, onDocumentAnswer, onMedia } from "./documents";
import { onHeldMessage } from "./handoff";
import { onIntakeAnswer } from "./intake";
import { startDraft } from "./lifecycle";
import { onOperatorAnswer } from "./operator";
import { onStopAnswer } from "./opt-out";
import { notUnderstood, prompt } from "./prompts";
import { onConfirmAnswer, onEditAnswer } from "./review";
import { onRevisionAnswer } from "./revision";
import { onSurveyAnswer } from "./survey";
import type { Turn } from "./turn";

/** Longer texts are not something the dialogue can use. */
const MAX_TEXT = 1000;

type Unused = Exclude<InboundContent["kind"], "text" | "choice" | "media" | "reaction">;

/** Kinds of message the dialogue cannot use: what it says to each before asking again. */
const UNUSED: Record<Unused, (t: Texts) => string> = {
	voice: (t) => t.voice,
	audio: (t) => t.voice,
	video: (t) => t.video,
	sticker: (t) => t.sticker,
	location: (t) => t.location,
	contacts: (t) => t.contacts,
	unsupported: (t) => t.unsupported,
};

/** A message from the resident: a command, a file, an answer, or something we cannot use. */
export function onMessage(turn: Turn, message: InboundMessage): void {
	// A reaction calls for no answer (only inboxes from before the channel left them out hold one).
	if (message.content.kind === "reaction") return;
	const state = turn.state;
	state.lastInboundAt = Math.max(state.lastInboundAt ?? 0, message.sentAt);
	state.remindedAt = null;
	turn.emit({ kind: "mark_read", messageId: message.id });
	const content = message.content;
	switch (content.kind) {
		case "text":
			if ([...content.text].length > MAX_TEXT) {
				return turn.sayBefore(turn.t.tooLong, () => prompt(turn));
			}
			if (onCommand(turn, content.text)) return;
			// A person holds the chat: free text is for them (staff read it), not for the bot; but
			// the survey the resident asked for (`survei`) takes its typed answers.
			if (state.heldSince != null && state.phase.name !== "survey") return;
			return onAnswer(turn, message);
		case "choice":
			return onAnswer(turn, message);
		case "media":
			// A file is no answer to the survey or to yes-or-no: ask again.
			if (state.phase.name === "survey" || state.phase.name === "confirm_stop") {
				return notUnderstood(turn);
			}
			// A person holds the chat: the file is for them, not the draft or the complaint under way
			// (the bot stays quiet); but the corrections staff asked for still take theirs.
			if (forStaff(turn, { file: true })) return onHeldMessage(turn, message);
			if (state.phase.name === "complaint") return onComplaintMedia(turn, message);
			return onMedia(turn, message);
		case "unsupported":
			// A file the channel could not pass on goes where that file would have (see above).
			if (forStaff(turn, { file: content.problem !== undefined })) {
				return onHeldMessage(turn, message);
			}
			// A file the channel could not pass on: say why, about the document being asked for.
			if (content.problem !== undefined) {
				return turn.sayBefore(fileProblemText(turn, content.problem), () => prompt(turn));
			}
			return turn.sayBefore(UNUSED.unsupported(turn.t), () => prompt(turn));
		default:
			// A voice note, a sticker, a place... is for the person holding the chat, not an answer.
			if (forStaff(turn)) return onHeldMessage(turn, message);
			return turn.sayBefore(UNUSED[content.kind](turn.t), () => prompt(turn));
	}
}

function forStaff(turn: Turn, options: { file?: boolean } = {}): boolean {
	return heldForStaff(turn.state, options);
}

/**
 * Whether what the resident sends now is for the person holding the chat: one holds it and the
 * question on screen is not the bot's own yes-or-no or survey (which the resident asked for
 * meanwhile, and which says what it can take, as for a photo). A `file` (a photo or PDF, or one
 * the channel could not pass on) is not for them either while staff's corrections are asked for:
 * it is one of those. The shell asks too: only then does it keep a place's or a card's details.
 */
export function heldForStaff(state: DialogueState, { file = false } = {}): boolean {
	const { heldSince, phase } = state;
	if (heldSince == null || phase.name === "survey" || phase.name === "confirm_stop") return false;
	return !file || phase.name !== "revision";
}

/** An answer (typed text or a tap) to the current question. */
function onAnswer(turn: Turn, message: InboundMessage): void {
	const content = message.content;
	const phase = turn.state.phase;
	const draft = turn.state.draft;
	if (phase.name === "revision") return onRevisionAnswer(turn, message, phase.index);
	if (phase.name === "complaint") return onComplaintAnswer(turn, message);
	if (phase.name === "confirm_cancel") return onCancelAnswer(turn, content, phase);
	if (phase.name === "confirm_stop") return onStopAnswer(turn, content, phase);
	if (phase.name === "survey") return onSurveyAnswer(turn, message, phase.index);
	if (phase.name === "idle" || draft === null) return startDraft(turn, true);
	if (onAddPage(turn, content)) return;
	switch (phase.name) {
		case "documents":
			return onDocumentAnswer(turn, message, phase.index);
		case "confirm":
			return onConfirmAnswer(turn, content, draft);
		case "edit":
			return onEditAnswer(turn, content, draft);
		case "submitting":
			return turn.say(turn.t.submitting);
		case "resident_phone":
		case "consent":
			return onOperatorAnswer(turn, content, phase.name, draft);
		// D1 has not said yet who the number is: the menu as known so far.
		case "identify":
			return prompt(turn);
		default:
			return onIntakeAnswer(turn, content, phase, draft);
	}
}
