import { formatDate, formatDateTime } from "../../standards/dates-id";
import { complaintsEn, handoffsEn } from "./complaints";
import { dueDateEn } from "./due-date";
import { kelurahanEn } from "./kelurahan";
import { operatorEn } from "./operator";
import { optOutEn } from "./opt-out";
import { subjectEn } from "./subject";
import { surveyEn } from "./survey";
import { joinAnd, joinOr, type Receipt, type Texts, typeNames } from "./types";
import { visitEn } from "./visit";

/** English, for residents who ask for it. */
export const en: Texts = {
	subject: subjectEn,
	greeting: (office) =>
		`Hello, welcome to the WhatsApp service of *${office}* 👋\nWe help you apply for civil-registry documents. All services are *free*.`,
	chooseService: "What do you need? Tap *Choose service* or type its number:",
	chooseServiceButton: "Choose service",
	chooseVariant: (service) => `*${service}*: what is it for? Choose or type its number:`,
	chooseButton: "Choose",
	nextPage: "More ›",
	previousPage: "‹ Back",
	needed: (service, variant, docs, note) =>
		[
			`For *${service}* (${variant}), please have photos or scans of these original documents:`,
			...docs.map((d) => `• ${d.label}${d.required ? "" : " _(if any)_"}`),
			...(note ? ["", note] : []),
			"",
			"We'll ask for them one by one after your details.",
		].join("\n"),
	askNik: "Type your *NIK* (16 digits, on your KTP-el or Family Card):",
	nikProblem: {
		not_16_digits: "A NIK has exactly 16 digits.",
		unknown_province: "The first two digits of the NIK are not a known province code.",
		bad_month: "Digits 9-10 of the NIK (birth month) must be 01 to 12.",
		bad_day:
			"Digits 7-8 of the NIK are the day of birth: 01 to 31, or 41 to 71 for women (the day + 40). Please check the number.",
		zero_serial: "The last four digits of a NIK cannot be 0000.",
	},
	nikWhere:
		"The NIK is the 16-digit number on your KTP-el (under the province name) and on your Family Card (the NIK column next to each name). Type it here, or type *agent* to get help from our staff.",
	askName: "Type your *full name* as on your KTP-el/KK:",
	badName:
		"That name does not look right. Type the full name in letters (2-80 characters), or type *agent* if you need help:",
	chooseKecamatan:
		"Which *kecamatan* (district) do you live in? Choose or type its number, or just type the name of your kelurahan/desa:",
	chooseArea: (kecamatan) => `Which kelurahan/desa in *${kecamatan}*? Choose or type its number:`,
	askDocument: (label, required, index, total) =>
		`Document ${index}/${total}: send a photo/scan of *${label}*${required ? "." : " _(optional: tap Skip if you have none)_."}`,
	areaKind: { kelurahan: "Kelurahan", desa: "Desa" },
	skip: "Skip",
	next: "Next",
	documentReceived: (label, count) =>
		`✅ *${label}* received (${count} file${count === 1 ? "" : "s"}). Send another file for it, or tap *Next*.`,
	documentRequired: (label) =>
		`*${label}* is required for this service. Please send a photo or scan of it here. Don't have it? Type *agent* to ask our staff, or *cancel* to stop.`,
	wrongType: (label, accepted) =>
		`Sorry, we cannot accept this file for *${label}*. Please send ${accepted}.`,
	tooLarge: (label, maxMb) =>
		`Sorry, the file for *${label}* is too large (at most ${maxMb} MB). Please send it as a *photo* (not as a document) so it is smaller.`,
	resendFile: (label) => `Sorry, we could not save the file for *${label}*. Please send it again.`,
	fileTooLarge: (maxMb) =>
		`Sorry, your file is too large (up to ${maxMb} MB). Send it as a *photo* (not as a document) to make it smaller.`,
	fileNotReceived: "Sorry, your file did not reach us. Please send it again.",
	earlyFileKept:
		"We kept your file as an additional document. We will ask for the required documents one by one later.",
	additionalDocument: "Additional document",
	fileCount: (count) => `${count} file`,
	summary: (lines) =>
		[
			"Please check your request:",
			...lines.map((l) => `• ${l.label}: ${l.value}`),
			"",
			"Is it correct?",
		].join("\n"),
	send: "Submit",
	change: "Change",
	cancel: "Cancel",
	chooseField: "What would you like to change?",
	fields: {
		service: "Service",
		nik: "NIK",
		name: "Name",
		area: "Kelurahan/desa",
		documents: "Documents",
	},
	submitting: "We are submitting your request, one moment please.",
	jobFailed:
		"Sorry, something went wrong on our side and we could not process your request yet. Your details are kept and our staff will follow up. You can keep writing to us as usual.",
	submitted: (ticket, card, extra, receipt, next) =>
		[
			`We have received your request 🙏\nTicket code: *${ticket}*`,
			...(receipt ? [standardEn(receipt)] : []),
			"Our staff will check your documents on working days. We'll send updates here.",
			next ??
				(card
					? "Printed cards are picked up at the office or the kelurahan; we'll tell you when and where."
					: "We'll send the finished document here as an electronically signed PDF to print on plain white A4 paper."),
			...(extra ? [extra] : []),
			"All these services are *free*. Our staff never ask for money or favours; please don't use a middleman (calo).",
			"Type *status* to follow its progress.",
		].join("\n\n"),
	cancelled: "The request you were filling in has been cancelled. Type *menu* to start again.",
	nothingToCancel: "You are not filling in a request. Type *menu* to start.",
	restarted: "All right, let's start again.",
	help: (hours) =>
		[
			"*Help*",
			"• *menu*: choose a service from the start",
			"• *status*: see your requests (or *status TICKET-CODE*)",
			"• *cancel*: cancel the request you are filling in",
			"• *agent*: ask for a staff member",
			"• *complaint*: tell us what went wrong",
			"• *indonesia*: kembali ke Bahasa Indonesia",
			`Staff hours: ${hours}.`,
		].join("\n"),
	handoff: (hours) =>
		`All right, we have passed your request to our staff. They will answer in this chat during office hours (${hours}). Just write your question; type *menu* to go back to the automatic assistant.`,
	languageSet: "All right, we will continue in English.",
	voice:
		"Sorry, we cannot listen to voice messages yet. Please type your message, or type *agent* and one of our staff will help you.",
	video: "Sorry, we cannot accept videos. Please send a photo (JPG/PNG) or a PDF.",
	sticker: "Thank you 😊",
	location: "Thank you, we do not need a location.",
	contacts: "Thank you, we do not need contacts.",
	unsupported: "Sorry, we cannot read this kind of message. Please send text, a photo or a PDF.",
	tooLong: "Your message is too long for us to handle. Please write it more briefly.",
	notUnderstood:
		"Sorry, we didn't understand that. Answer the question below, type *help* for tips, or *agent* to get help from our staff.",
	statusNone: "There are no requests from this number yet. Type *menu* to apply.",
	statusHeader: "Your requests:",
	statusLine: (ticket, service, status, due, position) =>
		`• *${ticket}* ${service}: ${status}` +
		(position ? `, number ${position} in the queue` : "") +
		(due ? `, expected ${formatDate(due, "en")}` : ""),
	statusNotFound: (ticket) => `There is no request with code *${ticket}* from this number.`,
	statusFooter: "Type *menu* to make a new request.",
	reminder: (deadline) =>
		`Your request isn't finished yet. Reply to this message to continue before *${deadline}*; after that we delete what you entered and your files.`,
	expired:
		"We deleted your unfinished request and its files because it was not continued for 7 days. Type *menu* to start again.",
	acceptedTypes: (types) =>
		joinOr(
			types.map((t) => typeNames.en[t] ?? t),
			"or",
		),
	statusNotice: (ticket, status, words, reason) => {
		const lines: Record<string, string> = {
			in_review: `Your request *${ticket}* is being checked by our staff.`,
			processing: `Your request *${ticket}* is complete and being processed.`,
			completed: `Your request *${ticket}* is *done* 🎉`,
			rejected: `We are sorry: your request *${ticket}* was *rejected*.`,
			cancelled: `Your request *${ticket}* was cancelled.`,
			submitted: `Your request *${ticket}* is submitted again.`,
		};
		const head = lines[status] ?? `Status of your request *${ticket}*: ${words}.`;
		return reason ? `${head}\nNote: ${reason}` : head;
	},
	revisionAsk: (ticket, reason, docs) =>
		[
			`Your request *${ticket}* *needs corrections*.`,
			...(reason ? [`Staff note: ${reason}`] : []),
			"Please send a new photo/scan of:",
			...docs.map((d) => `• ${d}`),
		].join("\n"),
	revisionDocument: (label, index, total) =>
		`Correction ${index}/${total}: send a photo/scan of *${label}*, then tap *Next*.`,
	revisionDone: (ticket) =>
		`Thank you, we received the corrected documents for *${ticket}*. Our staff will check them again.`,
	revisionClosed: (ticket, status) =>
		`Request *${ticket}* no longer waits for corrections (it is now: ${status}), so the documents you just sent were not kept.`,
	revisionSetAside:
		"The corrected documents you sent here will not be used, as the request no longer waits for corrections.",
	revisionPending: (ticket) =>
		`Your request *${ticket}* is still waiting for your corrected documents.`,
	staffMessage: (ticket, text) => `Message from our staff about *${ticket}*:\n${text}`,
	staffMessageSummary: "Message from staff",
	pickup: (ticket, place, from, bring) =>
		`The card for request *${ticket}* can be picked up at *${place}* from *${from}*. Please bring ${joinAnd(["this ticket code", ...bring], "and")}.`,
	originalKk: "your original KK",
	pickupSummary: "Card ready for pick-up",
	templateSummary: (ticket, words) => `${ticket}: ${words}`,
	cancelConfirm: (ticket) => `Cancel request *${ticket}*? A cancelled request cannot be continued.`,
	cancelYes: "Yes, cancel it",
	cancelNo: "No",
	requestCancelled: (ticket) => `Request *${ticket}* has been cancelled.`,
	cancelTooLate: (ticket, status) =>
		`Request *${ticket}* can no longer be cancelled (status: ${status}). Type *agent* if you need help.`,
	cancelKept: (ticket) => `All right, request *${ticket}* stays as it is.`,
	documentCaption: (ticket) => `Document for request ${ticket}. Print it on plain white A4 paper.`,
	documentReady: "Document ready",
	nudge: "There is a message for you. Reply to this message to read it.",
	complaints: complaintsEn,
	handoffs: handoffsEn,
	survey: surveyEn,
	optOut: optOutEn,
	operator: operatorEn,
	kelurahan: kelurahanEn,
	visit: visitEn,
	dueDate: dueDateEn,
};

/** The standard's lines of a receipt: time limit, expected date, fee, first look, queue. */
function standardEn(receipt: Receipt): string {
	const days =
		receipt.timeLimitDays === 1 ? "1 working day" : `${receipt.timeLimitDays} working days`;
	const lines = [
		`Time limit: ${days}.` +
			(receipt.dueDate ? ` Expected completion: *${formatDate(receipt.dueDate, "en")}*.` : ""),
	];
	if (receipt.free) lines.push("This service is *free*: there is nothing to pay.");
	if (receipt.queue) {
		lines.push(
			`The daily quota of this service is full, so your request is queued for *${formatDate(receipt.queue.date, "en")}*, number ${receipt.queue.position} in that day's queue.`,
		);
	} else if (receipt.firstLook !== null) {
		lines.push(
			`We are outside office hours now; staff will first look at it on ${formatDateTime(receipt.firstLook, receipt.timeZone, "en")}.`,
		);
	}
	return lines.join("\n");
}
