/**
 * The SKM survey (PermenPANRB 14/2017): offered once a request is completed while the resident's
 * window is open (or by template), or asked for with `survei`; nine questions on the 1-4 scale,
 * then an optional suggestion. `lewati` ends it where it is, any command leaves it, and one left
 * quiet ends on its own; each way, what was answered is recorded and the survey is finished.
 */
import type { InboundMessage } from "../../channel/events";
import { SKM_ELEMENTS } from "../../standards/skm";
import { ALIASES } from "../texts";
import { normalizeWord, pick } from "./choices";
import { SURVEY_SKIP, scoreOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

const HOUR_MS = 60 * 60 * 1000;
/** Offered only within 23 hours of the resident's last message: an hour of window to answer. */
export const SURVEY_OFFER_WITHIN_MS = 23 * HOUR_MS;
/** A survey with no answer for this long ends with the answers it has. */
export const SURVEY_QUIET_MS = 24 * HOUR_MS;

/**
 * A request was completed: offer its survey, unless the resident opted out, is in the middle
 * of something, is in one already, or is talking with a person (the bot's questions would cut
 * in; `survei` still takes it afterwards). Outside the window only the survey template may
 * invite them (its text tells them to type `survei`); without one, nothing is sent.
 */
export function offerSurvey(turn: Turn, request: { requestId: string; ticket: string }): void {
	const { state, ctx } = turn;
	if (state.optedOut || state.survey || state.phase.name !== "idle" || state.draft !== null) return;
	if (state.heldSince != null) return;
	const windowOpen =
		state.lastInboundAt !== null && ctx.now - state.lastInboundAt < SURVEY_OFFER_WITHIN_MS;
	if (windowOpen) {
		const { requestId, ticket } = request;
		turn.emit({ kind: "survey_open", requestId, ticket, asked: false, at: ctx.now });
		return;
	}
	const template = ctx.surveyTemplate;
	if (template === undefined) return;
	turn.send({
		type: "template",
		name: template.name,
		language: template.language,
		bodyParams: [ctx.officeName, request.ticket],
	});
}

/** `survei` typed: the survey of the latest completed request not surveyed yet. */
export function askSurvey(turn: Turn): void {
	const phase = turn.state.phase.name;
	if (phase === "survey") return prompt(turn);
	if (phase !== "idle") {
		turn.say(turn.t.survey.busy);
		return prompt(turn);
	}
	turn.emit({ kind: "survey_open", asked: true, at: turn.ctx.now });
}

/** The survey's row is written (ask the first question), or there is none to take. */
export function onSurveyOpened(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "survey_opened" }>,
): void {
	const t = turn.t.survey;
	const { surveyId, requestId, ticket } = event;
	if (event.outcome === "opened" && surveyId && requestId && ticket) {
		// The resident moved on meanwhile (or asked for a person): the row stays unfinished
		// (reports skip it) until `survei`.
		if (turn.state.phase.name !== "idle" || turn.state.survey) return;
		if (!event.asked && turn.state.heldSince != null) return;
		turn.state.survey = { surveyId, requestId, ticket, answers: [], askedAt: turn.ctx.now };
		turn.say(t.intro(ticket));
		return goto(turn, { name: "survey", index: 0 });
	}
	if (!event.asked) return;
	turn.say(event.outcome === "surveyed" && ticket ? t.already(ticket) : t.none);
}

/** An answer to question `index`: a score (or `lewati`), or after the ninth, the suggestion. */
export function onSurveyAnswer(turn: Turn, message: InboundMessage, index: number): void {
	const survey = turn.state.survey;
	if (!survey) {
		turn.state.phase = { name: "idle" };
		return;
	}
	const content = message.content;
	if (index < SKM_ELEMENTS.length) {
		const chosen = pick(content, scoreOptions(turn));
		if (chosen === undefined) return notUnderstood(turn);
		if (chosen.id === SURVEY_SKIP) return endSurvey(turn, { thank: true });
		survey.answers[index] = Number(chosen.id.slice(chosen.id.indexOf(":") + 1));
		survey.askedAt = turn.ctx.now;
		return goto(turn, { name: "survey", index: index + 1 });
	}
	if (content.kind === "choice") return endSurvey(turn, { thank: true });
	if (content.kind !== "text") return notUnderstood(turn);
	// Only a whole "lewati" skips: any other text is the suggestion itself.
	const word = normalizeWord(content.text);
	const skipped =
		(ALIASES.surveySkip as readonly string[]).includes(word) || word === normalizeWord(turn.t.skip);
	const suggestion = content.text.trim();
	endSurvey(turn, { thank: true, ...(skipped || suggestion === "" ? {} : { suggestion }) });
}

/**
 * Ends the survey with the answers given so far (null for the rest) and records it. `thank`:
 * the resident ended it (answered or skipped); not when a command or silence did.
 */
export function endSurvey(turn: Turn, how: { thank: boolean; suggestion?: string }): void {
	const { state } = turn;
	const survey = state.survey;
	if (!survey) return;
	turn.emit({
		kind: "survey_finish",
		surveyId: survey.surveyId,
		answers: SKM_ELEMENTS.map((_, i) => survey.answers[i] ?? null),
		suggestion: how.suggestion ?? null,
		at: turn.ctx.now,
	});
	state.survey = null;
	if (state.phase.name === "survey") state.phase = { name: "idle" };
	if (state.revision?.resume.name === "survey") state.revision.resume = { name: "idle" };
	if (how.thank) turn.say(turn.t.survey.thanks);
}
