import { findService, findVariant } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import type { Draft } from "../dialogue-state";
import type { Receipt } from "../texts/types";
import { pick } from "./choices";
import { restartDocuments } from "./documents";
import { closeDraft, discardDraft } from "./lifecycle";
import { ANSWER, confirmOptions, editOptions } from "./options";
import { goto, notUnderstood } from "./prompts";
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
			return goto(turn, { name: "kecamatan" });
		default:
			restartDocuments(turn);
			return goto(turn, { name: "documents", index: 0 });
	}
}

/** The request is recorded: give the ticket and what happens next. */
export function onSubmitted(
	turn: Turn,
	requestId: string,
	ticket: string,
	receipt?: Receipt,
): void {
	const draft = turn.state.draft;
	if (draft === null || draft.requestId !== requestId) return;
	const service = findService(turn.catalog, draft.service);
	const variant = findVariant(turn.catalog, draft.service, draft.variant);
	turn.say(
		turn.t.submitted(ticket, service?.resultKind === "card", variant?.note?.[turn.lang], receipt),
	);
	closeDraft(turn);
}
