import { parseTicket } from "../../requests/tickets";
import { COMMAND_PHRASES, COMMAND_WORDS } from "../texts";
import { askCancel } from "./cancel";
import { normalizeWord } from "./choices";
import { tellKelurahanHelp } from "./kelurahan";
import { discardDraft, hasProgress, startDraft } from "./lifecycle";
import { prompt } from "./prompts";
import type { Turn } from "./turn";

/** Handles a command typed at any point; false when the text is not one. */
export function onCommand(turn: Turn, text: string): boolean {
	const words = normalizeWord(text).split(" ");
	const command = COMMAND_PHRASES[words.join(" ")] ?? COMMAND_WORDS[words[0] ?? ""];
	if (command === undefined) return false;
	// "status PBM-261128-0001": the ticket keeps its dashes, so read it from the raw text.
	const rest = text.trim().split(/\s+/).slice(1).join(" ").trim();
	const ticket = command === "cancel" && rest !== "" ? parseTicket(rest) : null;
	if (command !== "status" && ticket === null && words.length > 2) return false;
	if (ticket !== null) {
		askCancel(turn, ticket);
		return true;
	}
	const { state, t } = turn;
	const revision = state.revision;
	if ((command === "menu" || command === "cancel") && revision && state.phase.name === "revision") {
		// A submitted request cannot be abandoned from here: remind what staff are waiting for.
		turn.say(t.revisionPending(revision.ticket));
		prompt(turn);
		return true;
	}
	switch (command) {
		case "menu":
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
		case "status":
			turn.emit({
				kind: "status_query",
				...(rest ? { ticket: rest.toUpperCase().replace(/\s+/g, "") } : {}),
			});
			return true;
		case "help":
			turn.say(t.help(turn.officeHours()));
			prompt(turn);
			return true;
		case "kelurahan":
			tellKelurahanHelp(turn);
			return true;
		case "agent":
			state.handoffAskedAt = turn.ctx.now;
			turn.emit({ kind: "handoff" });
			turn.say(t.handoff(turn.officeHours()));
			return true;
		case "english":
		case "indonesia":
			state.lang = command === "english" ? "en" : "id";
			// `turn.t` follows the new language.
			turn.say(turn.t.languageSet);
			prompt(turn);
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
