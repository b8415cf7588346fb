import { findService, findVariant, type Requirement } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import type { Draft, Phase } from "../dialogue-state";
import { pick } from "./choices";
import { gotoDocumentFrom } from "./document-steps";
import { readNikAnswer } from "./nik-answer";
import { askOperatorArea, startOnBehalf } from "./operator";
import {
	ANSWER,
	areaByName,
	areaOptions,
	kecamatanOptions,
	menuOptions,
	operatorAreaOptions,
	pageStep,
	pagingOptions,
	variantOptions,
} from "./options";
import { goto, notUnderstood } from "./prompts";
import { NAME, subjectKind, subjectMissing } from "./subject";
import type { Turn } from "./turn";
import { onVisitAnswer } from "./visit";
import { visitStepMissing } from "./visit-options";

/** The questions before the documents: what the resident needs, who they are, where they live. */
export type IntakePhase = Extract<
	Phase,
	{
		name:
			| "service"
			| "variant"
			| "nik"
			| "name"
			| "kecamatan"
			| "area"
			| "subject"
			| "operator_area"
			| "visit";
	}
>;

/** An answer to one of the intake questions. */
export function onIntakeAnswer(
	turn: Turn,
	content: InboundContent,
	phase: IntakePhase,
	draft: Draft,
): void {
	switch (phase.name) {
		case "service": {
			const chosen = pick(content, [...menuOptions(turn), ...pagingOptions(turn)]);
			const step = pageStep(chosen);
			if (step !== undefined) return goto(turn, { ...phase, page: phase.page + step });
			if (chosen?.id === ANSWER.fileForResident) return startOnBehalf(turn, draft);
			const service = findService(turn.catalog, chosen?.id);
			if (chosen === undefined || service === undefined) return notUnderstood(turn);
			if (draft.service !== undefined && draft.service !== service.code) {
				// Changed at the summary: whom the old service was about (a child's NIK, a move's
				// details) and its visit are no answers for this one, and are asked again.
				if (findService(turn.catalog, draft.service)?.subject !== service.subject) {
					draft.subjectNik = undefined;
					draft.subjectText = undefined;
				}
				draft.visit = undefined;
			}
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
			// An operator gives the resident's number next; the area is one of the operator's.
			return afterField(turn, draft.onBehalf ? { name: "resident_phone" } : { name: "kecamatan" });
		}
		case "kecamatan": {
			const chosen = pick(content, kecamatanOptions(turn));
			// A kelurahan or desa typed by name is taken at once: no kecamatan, no paging.
			const typed = chosen === undefined ? areaByName(turn, content) : undefined;
			if (typed !== undefined) {
				draft.kecamatan = typed.kecamatanCode;
				draft.area = typed.code;
				return afterArea(turn);
			}
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
			return afterArea(turn);
		}
		case "operator_area": {
			const options = [...operatorAreaOptions(turn), ...pagingOptions(turn)];
			const chosen = pick(content, options);
			const step = pageStep(chosen);
			if (step !== undefined) return goto(turn, { ...phase, page: phase.page + step });
			const area =
				chosen && turn.catalog.kecamatan.find((k) => k.areas.some((a) => a.code === chosen.id));
			if (chosen === undefined || area === undefined) return notUnderstood(turn);
			draft.kecamatan = area.code;
			draft.area = chosen.id;
			return afterArea(turn);
		}
		case "subject":
			return onSubjectAnswer(turn, content, draft);
		case "visit":
			return onVisitAnswer(turn, content, phase.step, draft, () => afterVisit(turn));
	}
}

/** After the applicant's area: whom the request is about (when the service asks), else documents. */
function afterArea(turn: Turn): void {
	if (subjectMissing(turn) && !turn.state.draft?.editing) return goto(turn, { name: "subject" });
	afterSubject(turn);
}

/** After the subject: a home visit's questions (jemput bola), else on. */
function afterSubject(turn: Turn): void {
	const step = visitStepMissing(turn);
	if (step !== undefined && !turn.state.draft?.editing) return goto(turn, { name: "visit", step });
	afterVisit(turn);
}

/** After the visit's questions: back to the summary when editing, else the first document. */
function afterVisit(turn: Turn): void {
	const draft = turn.state.draft;
	if (draft?.editing) {
		draft.editing = false;
		return goto(turn, { name: "confirm" });
	}
	gotoDocumentFrom(turn, 0);
}

/** The answer about the subject: a baby's name, a child's or deceased's NIK, or the move. */
function onSubjectAnswer(turn: Turn, content: InboundContent, draft: Draft): void {
	const kind = subjectKind(turn);
	if (kind === undefined) return afterSubject(turn);
	if (content.kind !== "text") return notUnderstood(turn);
	const s = turn.t.subject;
	const text = content.text.trim().replace(/\s+/g, " ");
	if (kind === "baby_name" || kind === "move_details") {
		const ok = kind === "baby_name" ? NAME.test(text) : text.length >= 10 && text.length <= 300;
		if (!ok) return turn.say(kind === "baby_name" ? s.badName : s.badMoveDetails);
		draft.subjectText = text;
		return afterSubject(turn);
	}
	const answer = readNikAnswer(text);
	if (answer.kind === "unknown") return turn.say(s.nikWhere[kind]);
	const nik = answer.result;
	if (!nik.ok) return turn.say(`${turn.t.nikProblem[nik.problem]} ${s.ask[kind]}`);
	if (nik.nik === draft.nik) return turn.say(s.sameNik);
	draft.subjectNik = nik.nik;
	afterSubject(turn);
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
			neededDocuments(turn, variant.requirements),
			[variant.note?.[lang], turn.t.subject.forms].filter(Boolean).join("\n\n"),
		),
	);
	if (draft.editing) {
		// A new service means a new list of documents (and maybe a subject): ask them again.
		draft.editing = false;
		if (subjectMissing(turn)) return goto(turn, { name: "subject" });
		const step = visitStepMissing(turn);
		if (step !== undefined) return goto(turn, { name: "visit", step });
		return gotoDocumentFrom(turn, 0);
	}
	if (draft.nik === undefined) return goto(turn, { name: "nik" });
	if (draft.onBehalf && draft.area === undefined && askOperatorArea(turn, draft)) return;
	afterArea(turn);
}

/** The list of documents told before they are asked: a substitute beside the one it replaces. */
function neededDocuments(
	turn: Turn,
	requirements: Requirement[],
): { label: string; required: boolean }[] {
	const { lang } = turn;
	return requirements
		.filter((r) => r.substituteFor === undefined)
		.map((r) => {
			const substitute = requirements.find((s) => s.substituteFor === r.code);
			const orElse = substitute ? ` ${turn.t.subject.orElse(substitute.label[lang])}` : "";
			return { label: `${r.label[lang]}${orElse}`, required: r.required };
		});
}
