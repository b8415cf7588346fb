import { findService } from "../../catalog/catalog";
import type { InboundMessage } from "../../channel/events";
import { statusWords } from "../../requests/statuses";
import { formatDate } from "../../standards/dates-id";
import type { StaffNotice } from "../notices";
import { pick } from "./choices";
import { onHandoffReply } from "./handoff";
import { ANSWER, documentOptions } from "./options";
import { goto, notUnderstood, prompt } from "./prompts";
import { offerSurvey } from "./survey";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

/** Words a staff notice for the resident; a request for corrections starts a revision. */
export function onStaffNotice(turn: Turn, notice: StaffNotice): void {
	const { t, lang } = turn;
	switch (notice.kind) {
		case "message":
			return turn.send(
				{ type: "text", body: t.staffMessage(notice.ticket, notice.text) },
				t.templateSummary(notice.ticket, t.staffMessageSummary),
			);
		case "filed":
			return turn.send(
				{ type: "text", body: t.operator.filed(notice.ticket, serviceLabel(turn, notice)) },
				t.templateSummary(notice.ticket, t.operator.filedSummary),
			);
		case "pickup":
			return turn.send(
				{
					type: "text",
					body: t.pickup(notice.ticket, notice.place, notice.from, toBring(turn, notice)),
				},
				t.templateSummary(notice.ticket, t.pickupSummary),
			);
		case "visit": {
			const day = formatDate(notice.date, lang);
			const words = notice.reminder ? t.visit.reminder : t.visit.scheduled;
			const summary = notice.reminder ? t.visit.reminderSummary : t.visit.scheduledSummary;
			return turn.send(
				{ type: "text", body: words(notice.ticket, day, notice.from, notice.to) },
				t.templateSummary(notice.ticket, summary),
			);
		}
		case "due_date":
			if ("first" in notice) {
				return turn.send(
					{ type: "text", body: t.dueDate.first(notice.ticket, notice.dueDate, notice.year) },
					t.templateSummary(notice.ticket, t.dueDate.firstSummary(notice.dueDate)),
				);
			}
			return turn.send(
				{
					type: "text",
					body: t.dueDate.moved(notice.ticket, notice.dueDate, notice.previous, notice.days),
				},
				// The summary names the new date: outside the window the template alone may be read.
				t.templateSummary(notice.ticket, t.dueDate.summary(notice.dueDate)),
			);
		case "status": {
			const words = statusWords(notice.status, lang);
			// A date comes only with a request back from needs_revision; outside the window the
			// template alone may be read, so it names the date told below.
			const summary = t.templateSummary(
				notice.ticket,
				notice.dueDate ? t.dueDate.resumedSummary(notice.dueDate) : words,
			);
			if (notice.status === "needs_revision" && notice.documents && notice.documents.length > 0) {
				return startRevision(turn, notice, notice.documents, summary);
			}
			// Staff moved it on while the resident was still sending corrections here: those files
			// go unused (deleted with the request's), and the resident is told so. Not once the
			// resident sent them (the last document answered): they may be recorded already, and
			// `onResubmitted` says which it was.
			const revision = turn.state.revision;
			const interrupted = revision?.requestId === notice.requestId && !resubmitting(turn);
			const setAside = interrupted && revision.files.length > 0;
			if (interrupted) endRevision(turn);
			const body = withDueDate(
				turn,
				t.statusNotice(notice.ticket, notice.status, words, notice.reason),
				notice.dueDate,
			);
			// No prompt after it: outside the window the template must carry this notice's summary.
			turn.send(
				{ type: "text", body: setAside ? `${body}\n${t.revisionSetAside}` : body },
				summary,
			);
			if (notice.status === "completed") offerSurvey(turn, notice);
			return;
		}
	}
}

/**
 * Staff's words to the resident outside a request: an answer to a complaint, or a message from
 * whoever holds the chat. Outside the 24-hour window the summary goes by the status template.
 */
export function onStaffReply(
	turn: Turn,
	event:
		| { type: "complaint_reply"; ticket: string; text: string }
		| { type: "handoff_reply"; text: string; until?: number },
): void {
	const { t } = turn;
	if (event.type === "complaint_reply") {
		return turn.send(
			{ type: "text", body: t.complaints.reply(event.ticket, event.text) },
			t.templateSummary(event.ticket, t.complaints.replySummary),
		);
	}
	onHandoffReply(turn, event.text, event.until);
}

/** Staff want some documents again: say which, then ask for them one by one. */
function startRevision(
	turn: Turn,
	notice: Extract<StaffNotice, { kind: "status" }>,
	documents: string[],
	summary: string,
): void {
	const requirements = turn.requirementsOf(notice.serviceCode, notice.variantCode);
	const docs = documents.filter((code) => requirements.some((r) => r.code === code));
	const current = turn.state.phase;
	// A second request for corrections replaces the first but returns to the same place.
	const resume =
		current.name === "revision" ? (turn.state.revision?.resume ?? { name: "idle" }) : current;
	turn.state.revision = {
		requestId: notice.requestId,
		ticket: notice.ticket,
		serviceCode: notice.serviceCode,
		variantCode: notice.variantCode,
		docs,
		files: [],
		resume,
	};
	const labels = docs.map(
		(code) => requirements.find((r) => r.code === code)?.label[turn.lang] ?? code,
	);
	turn.send(
		{ type: "text", body: turn.t.revisionAsk(notice.ticket, notice.reason, labels) },
		summary,
	);
	goto(turn, { name: "revision", index: 0 });
}

/** Leaves the revision and goes back to where the resident was. */
/** Leaves the revision, back to where the resident was before it. */
export function endRevision(turn: Turn): void {
	const resume = turn.state.revision?.resume ?? { name: "idle" };
	turn.state.revision = null;
	turn.state.phase = resume;
}

/** "Next" during a revision: on to the next document, or send the corrections after the last. */
export function onRevisionAnswer(turn: Turn, message: InboundMessage, index: number): void {
	const revision = turn.state.revision;
	const requirements = turn.revisionRequirements();
	const requirement = requirements[index];
	if (!revision || requirement === undefined) return turn.say(turn.t.submitting);
	// Every document staff asked for is required, whatever the catalog says.
	const options = documentOptions(turn, { ...requirement, required: true });
	if (pick(message.content, options)?.id !== ANSWER.documentNext) return notUnderstood(turn);
	if (turn.filesFor(requirement.code) === 0) {
		return turn.say(turn.t.documentRequired(requirement.label[turn.lang]));
	}
	if (index + 1 < requirements.length) return goto(turn, { name: "revision", index: index + 1 });
	turn.state.phase = { name: "revision", index: requirements.length };
	turn.emit({
		kind: "resubmit",
		requestId: revision.requestId,
		files: structuredClone(revision.files.filter((f) => f.status === "stored")),
		at: turn.ctx.now,
	});
}

/** The resident answered the last document: the corrections are being recorded. */
function resubmitting(turn: Turn): boolean {
	const { phase } = turn.state;
	return phase.name === "revision" && phase.index >= turn.revisionRequirements().length;
}

/**
 * The corrections are recorded: thank the resident, naming the due date the request has now, and
 * return to where they were. When the request had left needs_revision (`refused` gives its
 * status), say the files were not kept.
 */
export function onResubmitted(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "resubmitted" }>,
): void {
	const revision = turn.state.revision;
	if (!revision || revision.requestId !== event.requestId) return;
	const { t } = turn;
	turn.say(
		event.refused === undefined
			? withDueDate(turn, t.revisionDone(revision.ticket), event.dueDate)
			: t.revisionClosed(revision.ticket, statusWords(event.refused.status, turn.lang)),
	);
	endRevision(turn);
	if (turn.state.phase.name !== "idle") prompt(turn);
}

/**
 * `text`, then the due date the request has now that its papers arrived and its clock runs again:
 * a request waiting for papers is told no date meanwhile (not when a year declared covered gave
 * it its first one, nor when a calendar change moved it), so this is where the resident learns it.
 */
function withDueDate(turn: Turn, text: string, dueDate: string | null | undefined): string {
	return dueDate ? `${text}\n${turn.t.dueDate.resumed(dueDate)}` : text;
}

/**
 * What to bring to a pick-up besides the ticket: the original KK, and the old card when the
 * request replaces a damaged one (a requirement of the variant whose code ends in `_rusak`).
 */
function toBring(turn: Turn, notice: { serviceCode: string; variantCode: string }): string[] {
	const damaged = turn
		.requirementsOf(notice.serviceCode, notice.variantCode)
		.filter((r) => r.code.endsWith("_rusak"))
		.map((r) => r.label[turn.lang]);
	return [turn.t.originalKk, ...damaged];
}

/** The service of a notice's request, in the resident's language (its code if unknown). */
function serviceLabel(turn: Turn, notice: { serviceCode: string }): string {
	return findService(turn.catalog, notice.serviceCode)?.label[turn.lang] ?? notice.serviceCode;
}
