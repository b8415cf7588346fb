import { findService, findVariant } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import type { Draft, Phase } from "../dialogue-state";
import { pick } from "./choices";
import { readNikAnswer } from "./nik-answer";
import {
	areaOptions,
	kecamatanOptions,
	pageStep,
	pagingOptions,
	serviceOptions,
	variantOptions,
} from "./options";
import { goto, notUnderstood } from "./prompts";
import type { Turn } from "./turn";

/** The questions before the documents: what the resident needs, who they are, where they live. */
export type IntakePhase = Extract<
	Phase,
	{ name: "service" | "variant" | "nik" | "name" | "kecamatan" | "area" }
>;

const NAME = /^[\p{L}][\p{L}\p{M} .,'-]{1,79}$/u;

/** An answer to one of the intake questions. */
export function onIntakeAnswer(
	turn: Turn,
	content: InboundContent,
	phase: IntakePhase,
	draft: Draft,
): void {
	switch (phase.name) {
		case "service": {
			const chosen = pick(content, [...serviceOptions(turn), ...pagingOptions(turn)]);
			const step = pageStep(chosen);
			if (step !== undefined) return goto(turn, { ...phase, page: phase.page + step });
			const service = findService(turn.catalog, chosen?.id);
			if (chosen === undefined || service === undefined) return notUnderstood(turn);
			draft.service = service.code;
			draft.variant = undefined;
			if (service.variants.length === 1) return chooseVariant(turn, service.variants[0]?.code);
			return goto(turn, { name: "variant" });
		}
		case "variant": {
			const chosen = pick(content, variantOptions(turn));
			if (chosen === undefined) return notUnderstood(turn);
			return chooseVariant(turn, chosen.id);
		}
		case "nik": {
			if (content.kind !== "text") return notUnderstood(turn);
			const answer = readNikAnswer(content.text);
			if (answer.kind === "unknown") return turn.say(turn.t.nikWhere);
			const nik = answer.result;
			if (!nik.ok) return turn.say(`${turn.t.nikProblem[nik.problem]} ${turn.t.askNik}`);
			draft.nik = nik.nik;
			draft.nikWarnings = nik.warnings;
			return afterField(turn, { name: "name" });
		}
		case "name": {
			if (content.kind !== "text") return notUnderstood(turn);
			const name = content.text.trim().replace(/\s+/g, " ");
			if (!NAME.test(name)) return turn.say(turn.t.badName);
			draft.name = name;
			return afterField(turn, { name: "kecamatan" });
		}
		case "kecamatan": {
			const chosen = pick(content, kecamatanOptions(turn));
			if (chosen === undefined) return notUnderstood(turn);
			draft.kecamatan = chosen.id;
			return goto(turn, { name: "area", kecamatan: chosen.id, page: 0 });
		}
		case "area": {
			const options = [...areaOptions(turn, phase.kecamatan), ...pagingOptions(turn)];
			const chosen = pick(content, options);
			const step = pageStep(chosen);
			if (step !== undefined) return goto(turn, { ...phase, page: phase.page + step });
			if (chosen === undefined) return notUnderstood(turn);
			draft.area = chosen.id;
			return afterField(turn, { name: "documents", index: 0 });
		}
	}
}

/** After a field: back to the summary when editing, else on to `next`. */
function afterField(turn: Turn, next: Phase): void {
	const draft = turn.state.draft;
	if (draft?.editing) {
		draft.editing = false;
		return goto(turn, { name: "confirm" });
	}
	goto(turn, next);
}

/** The variant is known: say which documents it needs, then ask on. */
function chooseVariant(turn: Turn, code: string | undefined): void {
	const { lang, catalog } = turn;
	const draft = turn.state.draft;
	const variant = findVariant(catalog, draft?.service, code);
	const service = findService(catalog, draft?.service);
	if (draft === null || variant === undefined || service === undefined) {
		return notUnderstood(turn);
	}
	draft.variant = variant.code;
	turn.say(
		turn.t.needed(
			service.label[lang],
			variant.label[lang],
			variant.requirements.map((r) => ({ label: r.label[lang], required: r.required })),
			variant.note?.[lang],
		),
	);
	if (draft.editing) {
		// A new service means a new list of documents: ask them all again.
		draft.editing = false;
		return goto(turn, { name: "documents", index: 0 });
	}
	if (draft.nik === undefined) return goto(turn, { name: "nik" });
	goto(turn, { name: "documents", index: 0 });
}
