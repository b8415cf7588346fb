import type { InboundContent } from "../../channel/events";
import type { Draft } from "../dialogue-state";
import { pick } from "./choices";
import { goto, notUnderstood } from "./prompts";
import type { Turn } from "./turn";
import { reasonOf, type VisitStep, visitReasonOptions, visitStepMissing } from "./visit-options";

/** A phone number of 9-15 digits somewhere in the contact (spaces, dashes and + allowed). */
const HAS_PHONE = /(?:\+?\d[\d\s-]{7,18}\d)/;

/**
 * An answer to one of the home visit's questions (jemput bola). `then` goes on once all three
 * are answered: the documents, or back to the summary.
 */
export function onVisitAnswer(
	turn: Turn,
	content: InboundContent,
	step: VisitStep,
	draft: Draft,
	then: () => void,
): void {
	const v = turn.t.visit;
	const visit = { ...draft.visit };
	if (step === "reason") {
		const chosen = pick(content, visitReasonOptions(turn));
		if (chosen === undefined) return notUnderstood(turn);
		visit.reason = reasonOf(chosen);
	} else {
		if (content.kind !== "text") return notUnderstood(turn);
		const text = content.text.trim().replace(/\s+/g, " ");
		if (step === "address") {
			if (text.length < 10 || text.length > 300) return turn.say(v.badAddress);
			visit.address = text;
		} else {
			const digits = HAS_PHONE.exec(text)?.[0].replace(/\D/g, "") ?? "";
			if (text.length > 100 || digits.length < 9 || digits.length > 15) {
				return turn.say(v.badContact);
			}
			visit.contact = text;
		}
	}
	draft.visit = visit;
	const next = visitStepMissing(turn);
	if (next !== undefined) return goto(turn, { name: "visit", step: next });
	then();
}
