import { findService } from "../../catalog/catalog";
import { CHOICE_LIMITS } from "../../channel/presentation";
import { SKM_ELEMENTS } from "../../standards/skm";
import type { Phase } from "../dialogue-state";
import { fitTitle, numbered, type Option, pageRows } from "./choices";
import { askedRequirements, substituteOf } from "./document-rules";
import {
	ANSWER,
	areaOptions,
	cancelOptions,
	confirmOptions,
	consentOptions,
	documentOptions,
	editOptions,
	kecamatanOptions,
	menuOptions,
	operatorAreaOptions,
	SURVEY_SKIP,
	scoreOptions,
	stopOptions,
	variantOptions,
} from "./options";
import { subjectKind } from "./subject";
import { summary } from "./summary";
import type { Turn } from "./turn";
import { visitReasonOptions } from "./visit-options";

/** Moves to `phase` and asks its question. */
export function goto(turn: Turn, phase: Phase): void {
	turn.state.phase = phase;
	prompt(turn);
}

/** Says the answer was not understood and asks the current question again, in one message. */
export function notUnderstood(turn: Turn): void {
	turn.sayBefore(turn.t.notUnderstood, () => prompt(turn));
}

/** Asks the current question (again). */
export function prompt(turn: Turn): void {
	const { t, lang } = turn;
	const phase = turn.state.phase;
	switch (phase.name) {
		case "idle":
			return;
		case "service":
			return list(turn, t.chooseService, t.chooseServiceButton, menuOptions(turn), phase.page);
		// Asked to repeat the question before D1 answered: the menu as known so far.
		case "identify":
			return goto(turn, { name: "service", page: 0 });
		case "variant": {
			const service = findService(turn.catalog, turn.state.draft?.service);
			const body = t.chooseVariant(service?.label[lang] ?? "");
			const options = variantOptions(turn);
			if (options.length <= CHOICE_LIMITS.buttons) {
				return buttons(turn, `${body}\n${numbered(options)}`, options);
			}
			return list(turn, body, t.chooseButton, options, 0);
		}
		case "nik":
			return turn.say(turn.state.draft?.onBehalf ? t.operator.askNik : t.askNik);
		case "subject": {
			const kind = subjectKind(turn);
			if (kind === undefined) return goto(turn, { name: "documents", index: 0 });
			return turn.say(t.subject.ask[kind]);
		}
		case "visit":
			if (phase.step === "reason") {
				return list(turn, t.visit.askReason, t.visit.reasonButton, visitReasonOptions(turn), 0);
			}
			return turn.say(phase.step === "address" ? t.visit.askAddress : t.visit.askContact);
		case "name":
			return turn.say(turn.state.draft?.onBehalf ? t.operator.askName : t.askName);
		case "resident_phone":
			return turn.say(t.operator.askPhone);
		case "consent":
			return buttons(turn, t.operator.askConsent, consentOptions(turn));
		case "operator_area":
			return list(
				turn,
				t.operator.chooseArea,
				t.chooseButton,
				operatorAreaOptions(turn),
				phase.page,
			);
		case "kecamatan":
			return list(turn, t.chooseKecamatan, t.chooseButton, kecamatanOptions(turn), 0);
		case "area": {
			const kecamatan = turn.catalog.kecamatan.find((k) => k.code === phase.kecamatan);
			const options = areaOptions(turn, phase.kecamatan);
			return list(turn, t.chooseArea(kecamatan?.name ?? ""), t.chooseButton, options, phase.page);
		}
		case "documents":
			return promptDocument(turn, phase.index);
		case "confirm":
			return buttons(turn, summary(turn), confirmOptions(turn));
		case "edit":
			return list(turn, t.chooseField, t.chooseButton, editOptions(turn), 0);
		case "submitting":
			return turn.say(t.submitting);
		case "revision":
			return promptRevision(turn, phase.index);
		case "confirm_cancel":
			return buttons(turn, t.cancelConfirm(phase.ticket), cancelOptions(turn));
		case "complaint":
			return promptComplaint(turn);
		case "survey":
			return promptSurvey(turn, phase.index);
		case "confirm_stop":
			return buttons(turn, t.optOut.confirm, stopOptions(turn));
	}
}

/** The answers of a complaint's last question: send it, or drop it. */
export const COMPLAINT_ANSWER = { send: "complaint:send", drop: "complaint:cancel" } as const;

/** Asks the complaint's current question (again). */
export function promptComplaint(turn: Turn): void {
	const { state, t } = turn;
	const c = t.complaints;
	if (state.phase.name !== "complaint") return;
	switch (state.phase.step) {
		case "body":
			return turn.say(c.ask(state.complaint?.requestTicket));
		case "extra":
			return turn.send({
				type: "buttons",
				body: c.askExtra,
				buttons: [
					{ id: COMPLAINT_ANSWER.send, title: c.send },
					{ id: COMPLAINT_ANSWER.drop, title: c.cancel },
				],
			});
		case "filing":
			return turn.say(c.filing);
	}
}

/** SKM question `index` as a list of the scale, or after the ninth, the optional suggestion. */
function promptSurvey(turn: Turn, index: number): void {
	const t = turn.t.survey;
	const question = t.questions[index];
	if (question === undefined) {
		return buttons(turn, t.askSuggestion, [{ id: SURVEY_SKIP, title: turn.t.skip }]);
	}
	const body = t.question(index + 1, SKM_ELEMENTS.length, question);
	list(turn, body, t.chooseScore, scoreOptions(turn), 0);
}

/** Sends `body` with one "Next" button: a file is in, the resident may go on. */
export function askNext(turn: Turn, body: string): void {
	turn.send({ type: "buttons", body, buttons: [{ id: ANSWER.documentNext, title: turn.t.next }] });
}

function promptDocument(turn: Turn, index: number): void {
	const { t, lang } = turn;
	const requirement = turn.requirements()[index];
	const draft = turn.state.draft;
	if (requirement === undefined || draft === null) return goto(turn, { name: "confirm" });
	// Numbered among the documents actually asked: a substitute not needed is not counted.
	const asked = askedRequirements(turn);
	const position = asked.findIndex((r) => r.code === requirement.code) + 1;
	const main = turn.findRequirement(requirement.substituteFor ?? "");
	const ask =
		main === undefined
			? t.askDocument(requirement.label[lang], requirement.required, position, asked.length)
			: t.subject.askSubstitute(main.label[lang], requirement.label[lang], position, asked.length);
	// The photo tips come once, with the first document asked.
	const body = draft.tipsGiven ? ask : `${t.subject.photoTips}\n\n${ask}`;
	draft.tipsGiven = true;
	const options = documentOptions(turn, requirement);
	const noFile = turn.filesFor(requirement.code) === 0;
	// A required document has nothing to tap until a file is in (but "Tidak punya" if it has a
	// substitute): the resident sends one.
	if (requirement.required && noFile) {
		if (substituteOf(turn, requirement) === undefined) return turn.say(body);
		return buttons(turn, body, options.slice(0, 1));
	}
	buttons(turn, body, options);
}

function promptRevision(turn: Turn, index: number): void {
	const requirements = turn.revisionRequirements();
	const requirement = requirements[index];
	if (!turn.state.revision || requirement === undefined) return turn.say(turn.t.submitting);
	const body = turn.t.revisionDocument(
		requirement.label[turn.lang],
		index + 1,
		requirements.length,
	);
	if (turn.filesFor(requirement.code) === 0) return turn.say(body);
	askNext(turn, body);
}

function buttons(turn: Turn, body: string, options: Option[]): void {
	turn.send({
		type: "buttons",
		body,
		buttons: options.map((o) => ({
			id: o.id,
			title: fitTitle(o.title, CHOICE_LIMITS.buttonTitle),
		})),
	});
}

/** A list question; the body numbers every option so typing a number works on any client. */
function list(turn: Turn, body: string, button: string, options: Option[], page: number): void {
	const { rows } = pageRows(options, page, {
		next: turn.t.nextPage,
		previous: turn.t.previousPage,
	});
	turn.send({ type: "list", body: `${body}\n${numbered(options)}`, button, sections: [{ rows }] });
}
