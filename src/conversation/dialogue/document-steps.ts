import type { Requirement } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import { ALIASES } from "../texts";
import { normalizeWord } from "./choices";
import { ADD_PAGE, isAsked } from "./document-rules";
import { askNext, goto } from "./prompts";
import type { Turn } from "./turn";

/** Moves to the first document asked at or after `from`, or to the summary after the last. */
export function gotoDocumentFrom(turn: Turn, from: number): void {
	const requirements = turn.requirements();
	for (let i = Math.max(from, 0); i < requirements.length; i++) {
		const requirement = requirements[i];
		if (requirement && isAsked(turn, requirement))
			return goto(turn, { name: "documents", index: i });
	}
	goto(turn, { name: "confirm" });
}

/** "Tidak punya" on a document that has a substitute: note it and ask for the substitute. */
export function declareMissing(turn: Turn, requirement: Requirement, index: number): void {
	const draft = turn.state.draft;
	if (draft === null) return;
	draft.missing = [...new Set([...(draft.missing ?? []), requirement.code])];
	gotoDocumentFrom(turn, index + 1);
}

/**
 * "Tambah halaman" (tapped, or typed while a document or the summary is shown): back to the
 * one-page document it names, or the last one sent, to take another page. False when the answer
 * is not that.
 */
export function onAddPage(turn: Turn, content: InboundContent): boolean {
	const phase = turn.state.phase;
	if (phase.name !== "documents" && phase.name !== "confirm") return false;
	const requirements = turn.requirements();
	let code: string | undefined;
	if (content.kind === "choice" && content.id.startsWith(ADD_PAGE)) {
		code = content.id.slice(ADD_PAGE.length);
	} else if (
		content.kind === "text" &&
		(ALIASES.addPage as readonly string[]).includes(normalizeWord(content.text))
	) {
		const before = phase.name === "documents" ? phase.index : requirements.length;
		code = requirements
			.slice(0, before)
			.filter((r) => r.onePage && turn.filesFor(r.code) > 0)
			.at(-1)?.code;
	} else return false;
	const index = requirements.findIndex((r) => r.code === code);
	const requirement = requirements[index];
	if (requirement === undefined) return false;
	turn.state.phase = { name: "documents", index };
	askNext(turn, turn.t.subject.askPage(requirement.label[turn.lang]));
	return true;
}

/** A one-page document arrived while asked: say so with "Add a page", and move on. */
export function receivedOnePage(turn: Turn, requirement: Requirement, index: number): void {
	turn.send({
		type: "buttons",
		body: turn.t.subject.receivedOnePage(requirement.label[turn.lang]),
		buttons: [{ id: `${ADD_PAGE}${requirement.code}`, title: turn.t.subject.addPage }],
	});
	gotoDocumentFrom(turn, index + 1);
}
