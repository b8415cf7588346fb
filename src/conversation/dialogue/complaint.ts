/**
 * The complaint (pengaduan) dialogue: `pengaduan` at any point asks what happened, takes the text
 * (and the ticket of a request it names), then an optional photo, then files it as a complaint
 * with its own ticket and time limit. The resident returns to where they were afterwards.
 */
import type { InboundMessage } from "../../channel/events";
import { parseTicket, ticketIn } from "../../requests/tickets";
import type { ComplaintDraft } from "../dialogue-state";
import { pick } from "./choices";
import { COMPLAINT_ANSWER, prompt, promptComplaint } from "./prompts";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

/** A complaint's text is kept to this many characters (several messages are joined). */
export const MAX_COMPLAINT_CHARS = 2000;

/** The photo of a complaint: what storage accepts. */
export const COMPLAINT_PHOTO = {
	docCode: "pengaduan",
	acceptedTypes: ["image/jpeg", "image/png"],
	maxBytes: 10 * 1024 * 1024,
};

const { send: SEND, drop: DROP } = COMPLAINT_ANSWER;

/**
 * `pengaduan` (with, optionally, a ticket or the complaint itself after it): starts a complaint.
 * Not while a request is being filed: that finishes first. Said again while a complaint is being
 * told, it goes on with that one (what follows the word is added to it), also after a side
 * question took the resident away from it.
 */
export function startComplaint(turn: Turn, rest: string): void {
	const { state, t } = turn;
	if (state.phase.name === "submitting") return turn.say(t.submitting);
	const current = state.complaint;
	if (current && state.phase.name === "complaint") {
		if (rest === "" || state.phase.step === "filing") return promptComplaint(turn);
		return addText(turn, current, rest);
	}
	if (current) {
		// Back from a side question (`berhenti`, staff's corrections...): the complaint being told
		// goes on, its words and photo with it; a new one would lose them.
		if (rest !== "") return addText(turn, current, rest);
		state.phase = { name: "complaint", step: current.body === "" ? "body" : "extra" };
		return promptComplaint(turn);
	}
	const asTicket = rest === "" ? null : parseTicket(rest);
	const complaint: ComplaintDraft = {
		id: turn.ctx.newRequestId,
		body: "",
		resume: state.phase,
	};
	state.complaint = complaint;
	if (asTicket !== null) complaint.requestTicket = asTicket;
	if (rest !== "" && asTicket === null) return addText(turn, complaint, rest);
	state.phase = { name: "complaint", step: "body" };
	promptComplaint(turn);
}

/** Text or a tap while a complaint is being told. */
export function onComplaintAnswer(turn: Turn, message: InboundMessage): void {
	const { state } = turn;
	const complaint = state.complaint;
	const phase = state.phase;
	if (!complaint || phase.name !== "complaint") return;
	if (phase.step === "filing") return turn.say(turn.t.complaints.filing);
	const c = turn.t.complaints;
	const chosen = pick(message.content, [
		{ id: SEND, title: c.send, aliases: ["kirim", "send"] },
		{ id: DROP, title: c.cancel, aliases: ["batal", "cancel"] },
	]);
	if (chosen?.id === DROP) return dropComplaint(turn);
	if (chosen?.id === SEND && phase.step === "extra") return fileComplaint(turn, complaint);
	if (message.content.kind !== "text") return promptComplaint(turn);
	addText(turn, complaint, message.content.text);
}

/** The resident's words go into the complaint; then on to the photo and Send. */
function addText(turn: Turn, complaint: ComplaintDraft, text: string): void {
	const added = complaint.body !== "";
	complaint.body = (added ? `${complaint.body}\n${text.trim()}` : text.trim()).slice(
		0,
		MAX_COMPLAINT_CHARS,
	);
	complaint.requestTicket ??= ticketIn(text);
	if (added) turn.say(turn.t.complaints.added);
	turn.state.phase = { name: "complaint", step: "extra" };
	promptComplaint(turn);
}

/** Files the complaint (idempotent on its id): the shell records it and gives its ticket. */
function fileComplaint(turn: Turn, complaint: ComplaintDraft): void {
	const c = turn.t.complaints;
	if (complaint.body === "") {
		turn.say(c.needText);
		turn.state.phase = { name: "complaint", step: "body" };
		return;
	}
	if (complaint.photo?.status === "pending") return turn.say(c.photoPending);
	const photo = complaint.photo;
	turn.state.phase = { name: "complaint", step: "filing" };
	turn.emit({
		kind: "file_complaint",
		complaint: {
			id: complaint.id,
			body: complaint.body,
			...(complaint.requestTicket ? { requestTicket: complaint.requestTicket } : {}),
			...(photo?.key && photo.mimeType
				? { photo: { key: photo.key, mimeType: photo.mimeType } }
				: {}),
		},
		at: turn.ctx.now,
	});
	turn.say(c.filing);
}

/** Drops the complaint being told (and its photo) and returns to where the resident was. */
export function dropComplaint(turn: Turn, quiet = false): void {
	const complaint = turn.state.complaint;
	if (!complaint) return;
	if (complaint.photo) {
		turn.emit({
			kind: "discard_files",
			keys: complaint.photo.key ? [complaint.photo.key] : [],
			requestId: "",
		});
	}
	leaveComplaint(turn);
	if (quiet) return;
	turn.say(turn.t.complaints.dropped);
	prompt(turn);
}

/**
 * `petugas` while a complaint is being told: from now the resident's words are for the person
 * (see handoff.ts). A complaint with words or a photo is kept, unsent, and the resident is told
 * so (the bot asks for it again when the hand-off ends); one with nothing in it yet is let go,
 * or the bot would ask for it after the conversation with staff.
 */
export function setComplaintAside(turn: Turn): void {
	const { state } = turn;
	const complaint = state.complaint;
	if (!complaint || state.phase.name !== "complaint" || state.phase.step === "filing") return;
	if (complaint.body === "" && !complaint.photo) return leaveComplaint(turn);
	turn.say(turn.t.complaints.keptForStaff);
}

function leaveComplaint(turn: Turn): void {
	turn.state.phase = turn.state.complaint?.resume ?? { name: "idle" };
	turn.state.complaint = null;
}

/** A photo while a complaint is being told: one is kept, stored like any file. */
export function onComplaintMedia(turn: Turn, message: InboundMessage): void {
	const complaint = turn.state.complaint;
	const content = message.content;
	if (!complaint || content.kind !== "media") return;
	const c = turn.t.complaints;
	if (complaint.photo) return turn.say(c.onePhoto);
	const mime = content.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (!COMPLAINT_PHOTO.acceptedTypes.includes(mime)) {
		turn.say(c.photoRefused);
		return promptComplaint(turn);
	}
	complaint.photo = { messageId: message.id, status: "pending" };
	turn.emit({
		kind: "download",
		job: {
			requestId: complaint.id,
			docCode: COMPLAINT_PHOTO.docCode,
			messageId: message.id,
			mediaId: content.mediaId,
			declaredMime: mime,
			...(content.sha256 ? { announcedSha256: content.sha256 } : {}),
			acceptedTypes: COMPLAINT_PHOTO.acceptedTypes,
			maxBytes: COMPLAINT_PHOTO.maxBytes,
			prefix: "complaints",
		},
	});
}

/** True when a download's outcome is about the complaint's photo (then it is handled here). */
export function onComplaintFile(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "media_stored" | "media_refused" | "media_failed" }>,
): boolean {
	const photo = turn.state.complaint?.photo;
	if (photo?.messageId !== event.messageId) return false;
	const c = turn.t.complaints;
	const complaint = turn.state.complaint;
	if (!complaint) return false;
	if (event.type === "media_stored") {
		Object.assign(photo, { status: "stored", key: event.key, mimeType: event.mimeType });
		turn.say(c.photoReceived);
	} else {
		delete complaint.photo;
		turn.say(c.photoRefused);
	}
	if (turn.state.phase.name === "complaint" && turn.state.phase.step === "body") return true;
	promptComplaint(turn);
	return true;
}

/** The complaint is recorded: its ticket and time limit, then back to where the resident was. */
export function onComplaintFiled(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "complaint_filed" }>,
): void {
	turn.say(turn.t.complaints.filed(event.ticket, event.days, event.dueDate));
	if (turn.state.complaint?.id !== event.complaintId) return;
	leaveComplaint(turn);
	if (turn.state.phase.name !== "idle") prompt(turn);
}

/** Filing failed for good (a dead letter for staff): the resident was told; back to before. */
export function onComplaintFailed(turn: Turn, complaintId: string | undefined): void {
	if (turn.state.complaint?.id === complaintId) leaveComplaint(turn);
}
