/**
 * A kelurahan operator filing for a resident from their own WhatsApp: who the number is (asked
 * of D1 through an effect, kept briefly), the path's own questions (the resident's number, their
 * consent, the operator's areas) and where it joins the resident's steps.
 */
import type { InboundContent } from "../../channel/events";
import { normalizePhone } from "../../requests/phone";
import { type DialogueState, type Draft, OPERATOR_CHECK_TTL_MS } from "../dialogue-state";
import { NO_PHONE_WORDS } from "../texts/operator";
import { normalizeWord, pick } from "./choices";
import { discardDraft } from "./draft-end";
import { ANSWER, consentOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";

/** True when what D1 said about the number is missing or too old to show a first menu by. */
export function operatorCheckDue(state: DialogueState, now: number): boolean {
	const check = state.operator;
	return check == null || now - check.checkedAt >= OPERATOR_CHECK_TTL_MS;
}

/**
 * Keeps what D1 said about the number (briefly): from the shell's lookup before a step, or from
 * an `operator_check` job.
 */
export function keepOperator(
	state: DialogueState,
	operator: { staffId: string; areas: string[] } | null,
	now: number,
): void {
	state.operator = {
		staffId: operator?.staffId ?? null,
		areas: operator?.areas ?? [],
		checkedAt: now,
	};
}

/** Shows the first menu, after asking D1 who the number is if that is not known (fresh). */
export function showMenu(turn: Turn): void {
	if (!operatorCheckDue(turn.state, turn.ctx.now)) return prompt(turn);
	turn.state.phase = { name: "identify" };
	turn.emit({ kind: "operator_check" });
}

/** D1 answered: keep it briefly, and show the menu that was waiting for it. */
export function onOperatorChecked(
	turn: Turn,
	operator: { staffId: string; areas: string[] } | null,
): void {
	keepOperator(turn.state, operator, turn.ctx.now);
	if (turn.state.phase.name === "identify") goto(turn, { name: "service", page: 0 });
}

/** The operator chose "Ajukan untuk warga": the draft becomes theirs, for a resident. */
export function startOnBehalf(turn: Turn, draft: Draft): void {
	const operator = turn.state.operator;
	if (operator?.staffId == null) return notUnderstood(turn);
	draft.onBehalf = { staffId: operator.staffId, areas: operator.areas };
	turn.say(turn.t.operator.start);
	goto(turn, { name: "nik" });
}

/** An answer on the operator's path: the resident's number, or their consent. */
export function onOperatorAnswer(
	turn: Turn,
	content: InboundContent,
	phase: "resident_phone" | "consent",
	draft: Draft,
): void {
	const onBehalf = draft.onBehalf;
	if (onBehalf === undefined) return notUnderstood(turn);
	if (phase === "resident_phone") {
		if (content.kind !== "text") return notUnderstood(turn);
		const none = NO_PHONE_WORDS.includes(normalizeWord(content.text) || content.text.trim());
		const phone = none ? null : normalizePhone(content.text);
		if (!none && phone === null) return turn.say(turn.t.operator.badPhone);
		onBehalf.phone = phone;
		if (draft.editing) {
			draft.editing = false;
			return goto(turn, { name: "confirm" });
		}
		return goto(turn, { name: "consent" });
	}
	const chosen = pick(content, consentOptions(turn));
	if (chosen === undefined) return notUnderstood(turn);
	if (chosen.id === ANSWER.consentNo) {
		// Nothing is filed: papers sent for it before the question go with it.
		discardDraft(turn);
		return turn.say(turn.t.operator.noConsent);
	}
	onBehalf.consentAt = turn.ctx.now;
	goto(turn, { name: "service", page: 0 });
}

/**
 * The area of an operator's draft: the operator's one area is taken at once (false), else the
 * question is asked among their areas (true).
 */
export function askOperatorArea(turn: Turn, draft: Draft): boolean {
	const areas = draft.onBehalf?.areas ?? [];
	if (areas.length !== 1) {
		goto(turn, { name: "operator_area", page: 0 });
		return true;
	}
	const code = areas[0];
	const kecamatan = turn.catalog.kecamatan.find((k) => k.areas.some((a) => a.code === code));
	draft.area = code;
	draft.kecamatan = kecamatan?.code;
	return false;
}
