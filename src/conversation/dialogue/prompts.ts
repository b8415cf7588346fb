import { findService } from "../../catalog/catalog";
import { CHOICE_LIMITS } from "../../channel/presentation";
import { SKM_ELEMENTS } from "../../standards/skm";
import type { Phase } from "../dialogue-state";
import { fitTitle, numbered, type Option, pageRows } from "./choices";
import {
	ANSWER,
	areaOptions,
	cancelOptions,
	confirmOptions,
	documentOptions,
	editOptions,
	kecamatanOptions,
	SURVEY_SKIP,
	scoreOptions,
	serviceOptions,
	stopOptions,
	variantOptions,
} from "./options";
import { summary } from "./summary";
import type { Turn } from "./turn";

/** Moves to `phase` and asks its question. */
export function goto(turn: Turn, phase: Phase): void {
	turn.state.phase = phase;
	prompt(turn);
}

/** Says the answer was not understood and asks the current question again. */
export function notUnderstood(turn: Turn): void {
	turn.say(turn.t.notUnderstood);
	prompt(turn);
}

/** Asks the current question (again). */
export function prompt(turn: Turn): void {
	const { t, lang } = turn;
	const phase = turn.state.phase;
	switch (phase.name) {
		case "idle":
			return;
		case "service":
			return list(turn, t.chooseService, t.chooseServiceButton, serviceOptions(turn), phase.page);
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
			return turn.say(t.askNik);
		case "name":
			return turn.say(t.askName);
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
		case "survey":
			return promptSurvey(turn, phase.index);
		case "confirm_stop":
			return buttons(turn, t.optOut.confirm, stopOptions(turn));
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
	const requirements = turn.requirements();
	const requirement = requirements[index];
	if (requirement === undefined) return goto(turn, { name: "confirm" });
	const body = turn.t.askDocument(
		requirement.label[turn.lang],
		requirement.required,
		index + 1,
		requirements.length,
	);
	// A required document has nothing to tap until a file is in: the resident sends one.
	if (requirement.required && turn.filesFor(requirement.code) === 0) return turn.say(body);
	buttons(turn, body, documentOptions(turn, requirement));
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
