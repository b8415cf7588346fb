import type { Lang } from "../../catalog/catalog";
import type { ComplaintTexts, HandoffTexts } from "./complaints";
import type { DueDateTexts } from "./due-date";
import type { KelurahanTexts } from "./kelurahan";
import type { OperatorTexts } from "./operator";
import type { OptOutTexts } from "./opt-out";
import type { SubjectTexts } from "./subject";
import type { SurveyTexts } from "./survey";
import type { VisitTexts } from "./visit";

/** The service standard's figures of a recorded request, for the resident's receipt. */
export interface Receipt {
	/** The service's time limit in working days. */
	timeLimitDays: number;
	/** Office-local `YYYY-MM-DD`; null when the calendar has no data for it. */
	dueDate: string | null;
	/** True when the service costs nothing (adminduk: always, UU 24/2013 Pasal 79A). */
	free: boolean;
	/** The office's IANA time zone, for writing `firstLook`. */
	timeZone: string;
	/** When it arrived outside office hours: the instant staff first look at it (epoch ms). */
	firstLook: number | null;
	/** When the daily quota rolled it over: its queue date and place in that day's queue. */
	queue: { date: string; position: number } | null;
}

/**
 * Everything the bot says, in Bahasa Indonesia and English. Short and warm; *bold* is the
 * channel's. Titles of buttons and rows must fit CHOICE_LIMITS (src/channel/presentation.ts).
 */
export interface Texts {
	subject: SubjectTexts;
	greeting(officeName: string): string;
	chooseService: string;
	chooseServiceButton: string;
	chooseVariant(service: string): string;
	chooseButton: string;
	nextPage: string;
	previousPage: string;
	needed(
		service: string,
		variant: string,
		docs: { label: string; required: boolean }[],
		note?: string,
	): string;
	askNik: string;
	nikProblem: Record<
		"not_16_digits" | "unknown_province" | "bad_month" | "bad_day" | "zero_serial",
		string
	>;
	/** The resident does not know the NIK (typed no number): where it is written, and `petugas`. */
	nikWhere: string;
	askName: string;
	badName: string;
	chooseKecamatan: string;
	chooseArea(kecamatan: string): string;
	areaKind: Record<"kelurahan" | "desa", string>;
	askDocument(label: string, required: boolean, index: number, total: number): string;
	skip: string;
	next: string;
	documentReceived(label: string, count: number): string;
	documentRequired(label: string): string;
	wrongType(label: string, accepted: string): string;
	tooLarge(label: string, maxMb: number): string;
	resendFile(label: string): string;
	/** A file too large for WhatsApp to pass on, sent when no document is being asked for. */
	fileTooLarge(maxMb: number): string;
	/** A file WhatsApp could not pass on, sent when no document is being asked for. */
	fileNotReceived: string;
	earlyFileKept: string;
	/** The label of a file sent before any document was asked for. */
	additionalDocument: string;
	fileCount(count: number): string;
	summary(lines: { label: string; value: string }[]): string;
	send: string;
	change: string;
	cancel: string;
	chooseField: string;
	fields: { service: string; nik: string; name: string; area: string; documents: string };
	submitting: string;
	/** Something failed for good on our side (a dead letter): staff will follow up. */
	jobFailed: string;
	/** `next`: what happens next for this service, instead of the general card or PDF line. */
	submitted(
		ticket: string,
		card: boolean,
		extra?: string,
		receipt?: Receipt,
		next?: string,
	): string;
	cancelled: string;
	nothingToCancel: string;
	restarted: string;
	help(officeHours: string): string;
	handoff(officeHours: string): string;
	languageSet: string;
	voice: string;
	video: string;
	sticker: string;
	location: string;
	contacts: string;
	unsupported: string;
	tooLong: string;
	notUnderstood: string;
	statusNone: string;
	statusHeader: string;
	/**
	 * `due`: the expected completion date (`YYYY-MM-DD`) of a request still open; `position`: its
	 * place among requests not yet started in its queue day.
	 */
	statusLine(
		ticket: string,
		service: string,
		status: string,
		due?: string,
		position?: number,
	): string;
	statusNotFound(ticket: string): string;
	statusFooter: string;
	/** `deadline`: when the unfinished draft is deleted, as the office's date and time. */
	reminder(deadline: string): string;
	expired: string;
	acceptedTypes(types: string[]): string;
	statusNotice(ticket: string, status: string, words: string, reason?: string): string;
	revisionAsk(ticket: string, reason: string | undefined, docs: string[]): string;
	revisionDocument(label: string, index: number, total: number): string;
	revisionDone(ticket: string): string;
	/** The corrections came after the request left needs_revision: nothing was kept. */
	revisionClosed(ticket: string, status: string): string;
	/** Staff moved the request on while the resident was still sending corrections here. */
	revisionSetAside: string;
	revisionPending(ticket: string): string;
	staffMessage(ticket: string, text: string): string;
	/** Words for the one-line summary of a staff message, should the window be closed. */
	staffMessageSummary: string;
	/** `bring`: what to bring besides the ticket code (the original KK, the damaged card). */
	pickup(ticket: string, place: string, from: string, bring: string[]): string;
	/** Things to bring to a pick-up that every card needs. */
	originalKk: string;
	pickupSummary: string;
	templateSummary(ticket: string, words: string): string;
	cancelConfirm(ticket: string): string;
	cancelYes: string;
	cancelNo: string;
	requestCancelled(ticket: string): string;
	cancelTooLate(ticket: string, status: string): string;
	cancelKept(ticket: string): string;
	/** The caption of a finished document sent to the resident. */
	documentCaption(ticket: string): string;
	/** Summary words for a finished document, should the window be closed. */
	documentReady: string;
	/** The status template's text when the waiting message has no summary of its own. */
	nudge: string;
	complaints: ComplaintTexts;
	handoffs: HandoffTexts;
	survey: SurveyTexts;
	optOut: OptOutTexts;
	operator: OperatorTexts;
	/** The kelurahan office's help (issue 11). */
	kelurahan: KelurahanTexts;
	/** Home visits, jemput bola (issue 11). */
	visit: VisitTexts;
	/** An admin's calendar change moved a request's expected completion date. */
	dueDate: DueDateTexts;
}

/** "a, b and c" in the given language's word for "and". */
export function joinAnd(items: string[], and: string): string {
	return joinOr(items, and);
}

/** "a, b or c" in the given language's word for "or". */
export function joinOr(items: string[], or: string): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} ${or} ${items.at(-1)}`;
}

/** Names residents know for file types. */
export const typeNames: Record<Lang, Record<string, string>> = {
	id: { "image/jpeg": "foto JPG", "image/png": "gambar PNG", "application/pdf": "PDF" },
	en: { "image/jpeg": "JPG photo", "image/png": "PNG image", "application/pdf": "PDF" },
};
