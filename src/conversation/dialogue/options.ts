import { type Area, findService, type Requirement } from "../../catalog/catalog";
import type { InboundContent } from "../../channel/events";
import { CHOICE_LIMITS } from "../../channel/presentation";
import { ALIASES } from "../texts";
import { CONSENT_WORDS, operatorEn, operatorId } from "../texts/operator";
import { fitTitle, normalizeWord, type Option, PAGE_NEXT, PAGE_PREVIOUS } from "./choices";
import { substituteOf } from "./document-rules";
import type { Turn } from "./turn";

/** Ids of the answers the dialogue offers besides catalog codes. */
export const ANSWER = {
	documentNext: "doc:next",
	documentSkip: "doc:skip",
	/** "Tidak punya": the resident has not got a document that has a substitute. */
	documentMissing: "doc:missing",
	send: "confirm:send",
	change: "confirm:change",
	cancel: "confirm:cancel",
	cancelYes: "cancel:yes",
	cancelNo: "cancel:no",
	stopYes: "stop:yes",
	stopNo: "stop:no",
	/** The operator's menu row: file a request for a resident. */
	fileForResident: "operator:file",
	consentYes: "consent:yes",
	consentNo: "consent:no",
} as const;

/** The row or button that ends the SKM survey where it is. */
export const SURVEY_SKIP = "skm:skip";

/** The "more" and "back" rows of a paged list. */
export function pagingOptions(turn: Turn): Option[] {
	return [
		{ id: PAGE_NEXT, title: turn.t.nextPage, aliases: ALIASES.pageNext },
		{ id: PAGE_PREVIOUS, title: turn.t.previousPage, aliases: ALIASES.pagePrevious },
	];
}

/** How many pages a paging answer moves, or undefined when `chosen` is not one. */
export function pageStep(chosen: Option | undefined): number | undefined {
	if (chosen?.id === PAGE_NEXT) return 1;
	if (chosen?.id === PAGE_PREVIOUS) return -1;
	return undefined;
}

/**
 * The first menu's rows: "Ajukan untuk warga" for an active operator (as D1 last said) starting
 * a draft of their own, then the services.
 */
export function menuOptions(turn: Turn): Option[] {
	const draft = turn.state.draft;
	const operator = turn.state.operator;
	const offer = operator?.staffId != null && draft !== null && draft.onBehalf === undefined;
	const o = turn.t.operator;
	const file: Option[] = offer
		? [
				{
					id: ANSWER.fileForResident,
					title: fitTitle(o.fileForResident),
					description: fitTitle(o.fileForResidentDescription, CHOICE_LIMITS.rowDescription),
					aliases: [operatorId.fileForResident, operatorEn.fileForResident],
				},
			]
		: [];
	return [...file, ...serviceOptions(turn)];
}

/** Has the resident agreed that the operator files for them? */
export function consentOptions(turn: Turn): Option[] {
	const o = turn.t.operator;
	return [
		{ id: ANSWER.consentYes, title: o.consentYes, aliases: CONSENT_WORDS.yes },
		{ id: ANSWER.consentNo, title: o.consentNo, aliases: CONSENT_WORDS.no },
	];
}

/** The areas the filing operator serves, by name. */
export function operatorAreaOptions(turn: Turn): Option[] {
	const codes = turn.state.draft?.onBehalf?.areas ?? [];
	return turn.catalog.kecamatan.flatMap((k) =>
		k.areas
			.filter((a) => codes.includes(a.code))
			.map((a) => ({ id: a.code, title: fitTitle(a.name), description: fitTitle(k.name) })),
	);
}

export function serviceOptions(turn: Turn): Option[] {
	return turn.catalog.services.map((s) => ({
		id: s.code,
		title: fitTitle(s.label[turn.lang]),
		description: fitTitle(s.description[turn.lang], CHOICE_LIMITS.rowDescription),
		aliases: [s.label.id, s.label.en],
	}));
}

export function variantOptions(turn: Turn): Option[] {
	const service = findService(turn.catalog, turn.state.draft?.service);
	return (service?.variants ?? []).map((v) => ({
		id: v.code,
		title: fitTitle(v.label[turn.lang], CHOICE_LIMITS.rowTitle),
		description: fitTitle(v.description[turn.lang], CHOICE_LIMITS.rowDescription),
		aliases: [v.label.id, v.label.en],
	}));
}

export function kecamatanOptions(turn: Turn): Option[] {
	return turn.catalog.kecamatan.map((k) => ({ id: k.code, title: fitTitle(k.name) }));
}

export function areaOptions(turn: Turn, kecamatan: string): Option[] {
	const k = turn.catalog.kecamatan.find((x) => x.code === kecamatan);
	return (k?.areas ?? []).map((a) => ({
		id: a.code,
		title: fitTitle(a.name),
		description: turn.t.areaKind[a.kind],
	}));
}

/**
 * A kelurahan or desa typed by name where the kecamatan is asked: the one area whose name is the
 * text ("gunung kemala"), or else the one whose name contains it (three letters at least).
 */
export function areaByName(turn: Turn, content: InboundContent): Area | undefined {
	if (content.kind !== "text") return undefined;
	const word = normalizeWord(content.text)
		.replace(/^(kelurahan|kel|desa|ds)\s+/, "")
		.trim();
	if (word.length < 3) return undefined;
	const areas = turn.catalog.kecamatan.flatMap((k) => k.areas);
	const exact = areas.filter((a) => normalizeWord(a.name) === word);
	if (exact.length === 1) return exact[0];
	const partial = areas.filter((a) => normalizeWord(a.name).includes(word));
	return partial.length === 1 ? partial[0] : undefined;
}

/**
 * "Next" once a file is in; before that "Skip" if the document is optional, "Tidak punya" when a
 * substitute may stand in for it, and "Next" (answered with a reminder) for a required one.
 */
export function documentOptions(turn: Turn, requirement: Requirement): Option[] {
	const next = (aliases: readonly string[]): Option => ({
		id: ANSWER.documentNext,
		title: turn.t.next,
		aliases,
	});
	if (turn.filesFor(requirement.code) > 0) return [next(ALIASES.documentDone)];
	if (!requirement.required) {
		return [{ id: ANSWER.documentSkip, title: turn.t.skip, aliases: ALIASES.documentSkip }];
	}
	if (substituteOf(turn, requirement) !== undefined) {
		const missing = turn.t.subject.notHad;
		return [
			{ id: ANSWER.documentMissing, title: missing, aliases: ALIASES.documentMissing },
			next(ALIASES.documentRequired),
		];
	}
	return [next(ALIASES.documentRequired)];
}

export function confirmOptions(turn: Turn): Option[] {
	return [
		{ id: ANSWER.send, title: turn.t.send, aliases: ALIASES.confirmSend },
		{ id: ANSWER.change, title: turn.t.change, aliases: ALIASES.confirmChange },
		{ id: ANSWER.cancel, title: turn.t.cancel, aliases: ALIASES.confirmCancel },
	];
}

/** The fields of the summary that can be changed; the ids name the field. */
export function editOptions(turn: Turn): Option[] {
	const f = turn.t.fields;
	return [
		{ id: "edit:service", title: f.service },
		{ id: "edit:nik", title: f.nik },
		{ id: "edit:name", title: f.name },
		{ id: "edit:area", title: f.area },
		...subjectOption(turn),
		{ id: "edit:documents", title: f.documents },
	];
}

export function cancelOptions(turn: Turn): Option[] {
	return [
		{ id: ANSWER.cancelYes, title: turn.t.cancelYes, aliases: ALIASES.cancelYes },
		{ id: ANSWER.cancelNo, title: turn.t.cancelNo, aliases: ALIASES.cancelNo },
	];
}

/** The subject's row of the edit list, when the service asks about one. */
function subjectOption(turn: Turn): Option[] {
	const kind = findService(turn.catalog, turn.state.draft?.service)?.subject;
	return kind ? [{ id: "edit:subject", title: fitTitle(turn.t.subject.field[kind]) }] : [];
}

export function stopOptions(turn: Turn): Option[] {
	return [
		{ id: ANSWER.stopYes, title: turn.t.optOut.yes, aliases: ALIASES.stopYes },
		{ id: ANSWER.stopNo, title: turn.t.optOut.no, aliases: ALIASES.stopNo },
	];
}

/** The SKM scale, 1 to 4 (ids `skm:1`..`skm:4`, so a typed number is the score), then "skip". */
export function scoreOptions(turn: Turn): Option[] {
	const t = turn.t.survey;
	return [
		...t.scale.map((title, i) => ({ id: `skm:${i + 1}`, title })),
		{ id: SURVEY_SKIP, title: t.skip, aliases: ALIASES.surveySkip },
	];
}
