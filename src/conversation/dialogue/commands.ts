import { parseTicket, ticketIn } from "../../requests/tickets";
import { SKM_ELEMENTS } from "../../standards/skm";
import { COMMAND_PHRASES, COMMAND_WORDS } from "../texts";
import { askCancel } from "./cancel";
import { normalizeWord } from "./choices";
import { dropComplaint, setComplaintAside, startComplaint } from "./complaint";
import { discardDraft } from "./draft-end";
import { endHold, startHold } from "./handoff";
import { tellKelurahanHelp } from "./kelurahan";
import { hasProgress, startDraft } from "./lifecycle";
import { askStop, resumeMessages } from "./opt-out";
import { prompt } from "./prompts";
import { askSurvey, endSurvey } from "./survey";
import type { Turn } from "./turn";

/** Handles a command typed at any point; false when the text is not one. */
export function onCommand(turn: Turn, text: string): boolean {
	const words = normalizeWord(text).split(" ");
	const word = COMMAND_PHRASES[words.join(" ")] ?? COMMAND_WORDS[words[0] ?? ""];
	if (word === undefined) return false;
	// "Kelurahan Cambai" names an area (the area question takes it); only the word alone, or
	// "bantuan kelurahan", asks for the kelurahan office's help.
	if (word === "kelurahan" && words.length > 1 && COMMAND_PHRASES[words.join(" ")] === undefined) {
		return false;
	}
	// Where the question wants the resident's own words ("Petugas kasar", "Tolong dipercepat"),
	// a command is its word alone or one of its phrases; `pengaduan ...` still adds to a complaint.
	const phrase = COMMAND_PHRASES[words.join(" ")] !== undefined;
	if (words.length > 1 && !phrase && word !== "complaint" && ownWordsAsked(turn)) return false;
	// `mulai` undoes `berhenti`; for a resident who never stopped messages it is the menu.
	const command = word === "start" && !turn.state.optedOut ? "menu" : word;
	// "status PBM-261128-0001": the ticket keeps its dashes, so read it from the raw text.
	const rest = text.trim().split(/\s+/).slice(1).join(" ").trim();
	// "pengaduan <ticket or what happened>": the rest belongs to the complaint.
	if (command === "complaint") {
		endHold(turn);
		startComplaint(turn, rest);
		return true;
	}
	const ticket = command === "cancel" && rest !== "" ? parseTicket(rest) : null;
	if (command !== "status" && ticket === null && words.length > 2) return false;
	if (ticket !== null) {
		askCancel(turn, ticket);
		return true;
	}
	const { state, t } = turn;
	const kept = state.complaint;
	if (command === "menu" && state.heldSince != null && kept && (kept.body !== "" || kept.photo)) {
		// `menu` is how the hand-off's words say to go back to the bot; the complaint it said was
		// kept for then (setComplaintAside) is asked for again, not dropped unseen.
		endHold(turn);
		turn.sayBefore(t.complaints.resumed, () => startComplaint(turn, ""));
		return true;
	}
	if (state.complaint && (command === "menu" || command === "cancel")) {
		// Leaving a complaint being told drops it; `batal` only that. `menu` says so first when
		// it held anything, as `batal` does, or the resident would think it was sent.
		const told = state.complaint.body !== "" || state.complaint.photo != null;
		if (command === "menu" && told) turn.say(t.complaints.dropped);
		dropComplaint(turn, command === "menu");
		if (command === "cancel") return true;
	}
	// Any command but `survei` itself leaves the survey, keeping what was answered.
	if (state.phase.name === "survey" && command !== "survey") endSurvey(turn, { thank: false });
	const revision = state.revision;
	if ((command === "menu" || command === "cancel") && revision) {
		// A submitted request cannot be abandoned from here: remind what staff are waiting for,
		// and go back to it from wherever the resident was (a question about stopping messages
		// or cancelling, asked meanwhile).
		const index = state.phase.name === "revision" ? state.phase.index : 0;
		state.phase = { name: "revision", index };
		// `menu` is how the hand-off's own words say to go back to the bot: it does here too.
		if (command === "menu") endHold(turn);
		turn.say(t.revisionPending(revision.ticket));
		prompt(turn);
		return true;
	}
	switch (command) {
		case "menu":
			endHold(turn);
			if (hasProgress(turn)) {
				discardDraft(turn);
				turn.say(t.restarted);
			}
			startDraft(turn, false);
			return true;
		case "cancel": {
			if (state.phase.name === "submitting") {
				turn.say(t.submitting);
				return true;
			}
			const lost = hasProgress(turn);
			discardDraft(turn);
			turn.say(lost ? t.cancelled : t.nothingToCancel);
			return true;
		}
		case "status": {
			// "status PBM-261128-0001", "cek status", "status tiket pbm 261128 0001": the ticket named,
			// if any; words without one ask for all; a code that is no ticket is looked up as typed,
			// so the resident reads it was not found.
			const ticket =
				ticketIn(rest) ?? (/\d/.test(rest) ? rest.toUpperCase().replace(/\s+/g, "") : undefined);
			turn.emit({ kind: "status_query", ...(ticket ? { ticket } : {}) });
			return true;
		}
		case "help":
			turn.say(t.help(turn.officeHours()));
			prompt(turn);
			return true;
		case "kelurahan":
			tellKelurahanHelp(turn);
			return true;
		case "agent": {
			const held = state.heldSince != null;
			startHold(turn);
			if (!held) setComplaintAside(turn);
			return true;
		}
		case "english":
		case "indonesia":
			state.lang = command === "english" ? "en" : "id";
			// `turn.t` follows the new language.
			turn.say(turn.t.languageSet);
			prompt(turn);
			return true;
		case "survey":
			askSurvey(turn);
			return true;
		case "stop":
			askStop(turn);
			return true;
		case "start":
			resumeMessages(turn);
			return true;
	}
}

/** The resident's requests, or the one asked for by ticket. */
export function onStatusReport(
	turn: Turn,
	lines: { ticket: string; service: string; status: string; due?: string; position?: number }[],
	ticket: string | undefined,
): void {
	const { t } = turn;
	if (ticket !== undefined && lines.length === 0) turn.say(t.statusNotFound(ticket));
	else if (lines.length === 0) turn.say(t.statusNone);
	else {
		const listed = lines.map((l) => t.statusLine(l.ticket, l.service, l.status, l.due, l.position));
		turn.say([t.statusHeader, ...listed, "", t.statusFooter].join("\n"));
	}
	if (turn.state.phase.name !== "idle") prompt(turn);
}

/** The question on screen wants the resident's own words (a name, an address, a complaint...). */
function ownWordsAsked(turn: Turn): boolean {
	const phase = turn.state.phase;
	switch (phase.name) {
		case "name":
		case "subject":
		case "visit":
			return true;
		case "complaint":
			return phase.step !== "filing";
		// After the nine elements: the suggestion.
		case "survey":
			return phase.index >= SKM_ELEMENTS.length;
		default:
			return false;
	}
}
