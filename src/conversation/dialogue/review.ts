import { findService, findVariant } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import type { Draft } from "../dialogue-state";
import type { Receipt } from "../texts/types";
import { pick } from "./choices";
import { restartDocuments } from "./documents";
import { closeDraft, discardDraft } from "./draft-end";
import { ANSWER, confirmOptions, editOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";

/** The summary's answer: send the request, change a field, or drop it. */
export function onConfirmAnswer(turn: Turn, content: InboundContent, draft: Draft): void {
	const chosen = pick(content, confirmOptions(turn));
	if (chosen === undefined) return notUnderstood(turn);
	if (chosen.id === ANSWER.send) {
		turn.state.phase = { name: "submitting" };
		turn.emit({ kind: "submit", draft: structuredClone(draft), lang: turn.lang, at: turn.ctx.now });
		return;
	}
	if (chosen.id === ANSWER.change) return goto(turn, { name: "edit" });
	discardDraft(turn);
	turn.say(turn.t.cancelled);
}

/** Which field to change: ask it again; finishing it returns to the summary. */
export function onEditAnswer(turn: Turn, content: InboundContent, draft: Draft): void {
	const chosen = pick(content, editOptions(turn));
	if (chosen === undefined) return notUnderstood(turn);
	draft.editing = true;
	switch (chosen.id) {
		case "edit:service":
			restartDocuments(turn);
			return goto(turn, { name: "service", page: 0 });
		case "edit:nik":
			return goto(turn, { name: "nik" });
		case "edit:name":
			return goto(turn, { name: "name" });
		case "edit:area":
			// An operator's draft: one of the operator's areas only.
			return goto(
				turn,
				draft.onBehalf ? { name: "operator_area", page: 0 } : { name: "kecamatan" },
			);
		case "edit:subject":
			return goto(turn, { name: "subject" });
		default:
			restartDocuments(turn);
			return goto(turn, { name: "documents", index: 0 });
	}
}

/**
 * An operator's draft was not filed (their account no longer serves its area): its papers are
 * deleted with it, and the operator is told why. A dead-lettered one retried later only tells.
 */
export function onSubmitRefused(turn: Turn, requestId: string): void {
	if (turn.state.draft?.requestId === requestId) discardDraft(turn);
	turn.say(turn.t.operator.refused);
}

/**
 * The request is recorded: give the ticket and what happens next (the time limit, the expected
 * date, the queue). A submission an admin retried from the dead letters arrives after its draft
 * was closed: the ticket is given all the same, and whatever the resident is doing now goes on.
 */
export function onSubmitted(
	turn: Turn,
	event: {
		requestId: string;
		ticket: string;
		service?: string;
		variant?: string;
		receipt?: Receipt;
	},
): void {
	const draft = turn.state.draft;
	const current = draft !== null && draft.requestId === event.requestId;
	const serviceCode = current ? draft.service : event.service;
	const service = findService(turn.catalog, serviceCode);
	const variant = findVariant(turn.catalog, serviceCode, current ? draft.variant : event.variant);
	// What happens next for this variant (an appointment, a pick-up), else its note.
	const next = variant?.next?.[turn.lang];
	const note = next === undefined ? variant?.note?.[turn.lang] : undefined;
	const card = service?.resultKind === "card";
	turn.say(turn.t.submitted(event.ticket, card, note, event.receipt, next));
	// An operator may file the next resident's request straight away: say how.
	if (current && draft.onBehalf) turn.say(turn.t.operator.next);
	if (current) closeDraft(turn);
	else if (turn.state.phase.name !== "idle") prompt(turn);
}
