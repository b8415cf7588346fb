import type { Lang } from "../catalog/catalog";

/** Where the resident is in the dialogue. */
export type Phase =
	| { name: "idle" }
	| { name: "service"; page: number }
	| { name: "variant" }
	| { name: "nik" }
	| { name: "name" }
	| { name: "kecamatan" }
	| { name: "area"; kecamatan: string; page: number }
	/** Whom the request is about, for services where it is not the applicant (the catalog says). */
	| { name: "subject" }
	/** A home visit's questions (jemput bola): who needs it and why, the address, a contact. */
	| { name: "visit"; step: "reason" | "address" | "contact" }
	| { name: "documents"; index: number }
	| { name: "confirm" }
	| { name: "edit" }
	| { name: "submitting" }
	/** Sending the documents staff asked to be corrected. */
	| { name: "revision"; index: number }
	/** Asked to cancel a submitted request: waiting for yes or no. */
	| { name: "confirm_cancel"; ticket: string; resume: Phase }
	/** Telling a complaint: its text, then an optional photo and Send, then filing it. */
	| { name: "complaint"; step: "body" | "extra" | "filing" }
	/** The SKM survey: question `index` (0-8 the elements, 9 the suggestion). */
	| { name: "survey"; index: number }
	/** Asked to stop messages (`berhenti`): waiting for yes or no. */
	| { name: "confirm_stop"; resume: Phase }
	/** A new draft waits for D1 to say whether this number is an operator's, to show the menu. */
	| { name: "identify" }
	/** An operator filing for a resident: the resident's WhatsApp number, or "tidak ada". */
	| { name: "resident_phone" }
	/** An operator filing for a resident: has the resident agreed? */
	| { name: "consent" }
	/** An operator filing for a resident: which of the operator's areas. */
	| { name: "operator_area"; page: number };

/** A file the resident sent for the draft; `pending` while it is being downloaded. */
export interface DraftFile {
	messageId: string;
	docCode: string;
	status: "pending" | "stored";
	key?: string;
	size?: number;
	mimeType?: string;
	sha256?: string;
	fileName?: string;
}

/** The request being filled in; its id is fixed when it starts, so submitting is idempotent. */
export interface Draft {
	requestId: string;
	startedAt: number;
	service?: string;
	variant?: string;
	nik?: string;
	nikWarnings: string[];
	name?: string;
	kecamatan?: string;
	area?: string;
	/** The subject's NIK (the child's, the deceased's), when the service asks for one. */
	subjectNik?: string;
	/** The subject in words: the baby's name, or where to and who moves (surat pindah). */
	subjectText?: string;
	/** A home visit's answers, for a jemput bola service. */
	visit?: { reason?: string; address?: string; contact?: string };
	/** Documents the resident said they do not have: their substitute is asked instead. */
	missing?: string[];
	/** Set once the photo tips were given, so they come only before the first document. */
	tipsGiven?: boolean;
	/** Set once a file sent before its turn was answered: a burst of them is answered once. */
	earlyNoticed?: boolean;
	files: DraftFile[];
	/** Set while changing one field from the summary: finishing it returns to the summary. */
	editing: boolean;
	/** Set when a kelurahan operator files this draft for a resident (see {@link OnBehalf}). */
	onBehalf?: OnBehalf;
}

/** A draft an operator files for a resident from the operator's own WhatsApp. */
export interface OnBehalf {
	/** The filing operator's staff id (from D1, never from what the sender wrote). */
	staffId: string;
	/** The areas the operator may file for, as D1 said when the draft began. */
	areas: string[];
	/** The resident's WhatsApp number (wa_id form); null for "tidak ada"; absent until asked. */
	phone?: string | null;
	/** When the operator confirmed the resident agreed. */
	consentAt?: number;
}

/** What D1 said about this number, kept briefly ({@link OPERATOR_CHECK_TTL_MS}). */
export interface OperatorCheck {
	/** The operator's staff id, or null when the number is not an active operator's. */
	staffId: string | null;
	areas: string[];
	checkedAt: number;
}

/** How long what D1 said about the number is trusted before it is asked again. */
export const OPERATOR_CHECK_TTL_MS = 5 * 60_000;

/** Staff asked for corrected documents of a submitted request. */
export interface Revision {
	requestId: string;
	ticket: string;
	serviceCode: string;
	variantCode: string;
	/** Requirement codes to send again, in order. */
	docs: string[];
	files: DraftFile[];
	/** Where the resident was before staff asked (a draft being filled in), to return to after. */
	resume: Phase;
}

/** A complaint being told (`pengaduan`); its id is fixed when it starts, so filing is idempotent. */
export interface ComplaintDraft {
	id: string;
	/** The ticket of the resident's request it is about, as they wrote it. */
	requestTicket?: string;
	body: string;
	/** The optional photo: `pending` while it is being stored. */
	photo?: { messageId: string; status: "pending" | "stored"; key?: string; mimeType?: string };
	/** Where the resident was before, to return to once it is filed or dropped. */
	resume: Phase;
}

/** An SKM survey under way; its D1 row (`skm_responses`) is `surveyId`. */
export interface Survey {
	surveyId: string;
	requestId: string;
	ticket: string;
	/** The answers so far, 1-4 in the regulation's element order; null for one not given. */
	answers: (number | null)[];
	/** When the last question was asked: a survey left quiet ends on its own. */
	askedAt: number;
}

export interface DialogueState {
	lang: Lang;
	phase: Phase;
	draft: Draft | null;
	/** When the resident last wrote (their message's timestamp): the 24-hour window clock. */
	lastInboundAt: number | null;
	/** When the idle reminder for the current draft was sent. */
	remindedAt: number | null;
	handoffAskedAt: number | null;
	/** Set while staff wait for corrected documents (absent in states saved before it existed). */
	revision?: Revision | null;
	/** The complaint being told, if any (absent in states saved before complaints existed). */
	complaint?: ComplaintDraft | null;
	/**
	 * Since when a person holds the chat (`petugas`): the bot answers no free text until staff
	 * close the hand-off or the resident goes back to the bot (`menu`, `pengaduan`).
	 */
	heldSince?: number | null;
	/**
	 * The id (the staff API's) of the hand-off holding the chat, drawn when the hold starts: a
	 * close or a reply meant for an earlier hand-off is told apart from this one. Absent in holds
	 * begun before it existed (they take any close).
	 */
	handoffId?: string | null;
	/**
	 * When the hold ends unanswered: the end of the second working day after it began or staff
	 * last wrote (the office's calendar, so the Conversation's jobs tell the dialogue). Absent
	 * until told: then {@link HELD_FALLBACK_MS} after the hold began.
	 */
	heldUntil?: number | null;
	/**
	 * Files the resident sent to the staff member holding the chat, while they are being stored
	 * (each under its hand-off, which may have ended by the time it is). Absent: none.
	 */
	heldFiles?: { messageId: string; handoffId: string }[];
	/** Set while the SKM survey is under way (absent in states saved before it existed). */
	survey?: Survey | null;
	/**
	 * The resident said `berhenti`: nothing is sent they did not ask for (no reminders, surveys,
	 * nudges), and notices about their requests wait for their next message. Absent: false.
	 */
	optedOut?: boolean;
	/** Whether the number is an active operator's, as last read from D1 (absent: not known). */
	operator?: OperatorCheck | null;
}

export function initialState(lang: Lang): DialogueState {
	return {
		lang,
		phase: { name: "idle" },
		draft: null,
		lastInboundAt: null,
		remindedAt: null,
		handoffAskedAt: null,
		revision: null,
	};
}

/**
 * How long a hold lasts when no job told the dialogue its end (a hold begun before ends were
 * kept, or whose recording failed for good): two working days around a weekend.
 */
export const HELD_FALLBACK_MS = 4 * 24 * 60 * 60 * 1000;

/** Documents sent before they were asked for are kept under this code. */
export const EARLY_DOC_CODE = "lainnya";
