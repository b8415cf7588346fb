import type { Catalog, Lang } from "../../catalog/catalog";
import type { InboundMessage } from "../../channel/events";
import type { OutboundMessage } from "../../channel/messages";
import type { HandoffFile } from "../../requests/handoffs";
import type { RequestStatus } from "../../requests/statuses";
import type { DialogueState, Draft, DraftFile } from "../dialogue-state";
import type { StaffNotice } from "../notices";
import type { Receipt } from "../texts/types";

/** Something that happened to the conversation: a message, or the outcome of an effect. */
export type DialogueEvent =
	| { type: "message"; message: InboundMessage }
	| {
			type: "media_stored";
			messageId: string;
			key: string;
			size: number;
			mimeType: string;
			sha256: string;
			fileName?: string;
	  }
	| { type: "media_refused"; messageId: string; reason: "too_large" | "wrong_type" }
	| { type: "media_failed"; messageId: string }
	/** `service` and `variant`: the codes submitted, for when the draft is gone (a late retry). */
	| {
			type: "submitted";
			requestId: string;
			ticket: string;
			service?: string;
			variant?: string;
			receipt?: Receipt;
	  }
	| {
			type: "status_report";
			/**
			 * `requestId`: which request a line is about (the reply mentions them all); `position`:
			 * its place among requests not yet started in its queue day.
			 */
			lines: {
				requestId: string;
				ticket: string;
				service: string;
				status: string;
				due?: string;
				position?: number;
			}[];
			ticket?: string;
	  }
	| { type: "tick"; now: number }
	/**
	 * An operator's draft was not filed: their account is no longer an active operator's for the
	 * draft's area (revoked, expired or moved while filing). Nothing was written to D1.
	 */
	| { type: "submit_refused"; requestId: string }
	/**
	 * A job had all its tries and went to the dead letters for staff: `job` is its kind,
	 * `requestId` the request (or draft) it was for, `messageId` the file of a download.
	 */
	| { type: "job_failed"; job: string; requestId?: string; messageId?: string }
	| { type: "staff_notice"; notice: StaffNotice }
	| {
			type: "resubmitted";
			requestId: string;
			/** Set when the request was no longer in needs_revision: the files were not kept. */
			refused?: { status: RequestStatus };
			/**
			 * Recorded: the due date now (YYYY-MM-DD), its clock running again (moved by the days it
			 * waited, or first given while it waited); null when its year has no calendar data.
			 */
			dueDate?: string | null;
	  }
	| {
			type: "cancel_result";
			ticket: string;
			outcome: "cancelled" | "not_found" | "too_late";
			status?: RequestStatus;
	  }
	/** The complaint is recorded: its ticket, the time limit in working days and the due date. */
	| { type: "complaint_filed"; complaintId: string; ticket: string; days: number; dueDate: string }
	/** Staff answered a complaint. */
	| { type: "complaint_reply"; complaintId: string; ticket: string; text: string }
	/**
	 * The staff member holding the chat wrote to the resident; `until`: the hold's new end (the
	 * answer time limit counted again from this reply), when known.
	 */
	| { type: "handoff_reply"; text: string; until?: number }
	/** The hand-off is recorded for staff; `until`: when it ends if nobody answers. */
	| { type: "handoff_recorded"; handoffId: string; until: number }
	/** Staff closed the hand-off `handoffId`: the bot answers again (if it is the one holding). */
	| { type: "handoff_closed"; handoffId: string }
	/**
	 * What opening an SKM survey found: `opened` (its row is written: ask), `surveyed` (the
	 * request had one before) or `none` (no completed request to survey). `asked`: the resident
	 * typed `survei`, so every outcome is answered; else only an opened one is.
	 */
	/** What D1 says about the number: an active operator's (with their areas), or not (null). */
	| { type: "operator_checked"; operator: { staffId: string; areas: string[] } | null }
	| {
			type: "survey_opened";
			asked: boolean;
			outcome: "opened" | "surveyed" | "none";
			surveyId?: string;
			requestId?: string;
			ticket?: string;
	  };

/** A file to fetch from the channel into storage (the shell's media store carries it out). */
export interface DownloadJob {
	requestId: string;
	docCode: string;
	/** The resident's message id (one file per message). */
	messageId: string;
	mediaId: string;
	/** Mime type from the channel; parameters (`audio/ogg; codecs=opus`) are ignored. */
	declaredMime: string;
	/** From the channel: base64 (or hex) of the SHA-256, when it gave one. */
	announcedSha256?: string;
	/** Types this document may be, e.g. `["image/jpeg", "image/png", "application/pdf"]`. */
	acceptedTypes: string[];
	maxBytes: number;
	fileName?: string;
	/**
	 * Where in storage: under `complaints/` for a complaint's photo, `handoffs/` for a file sent
	 * to the staff member holding the chat (`requestId` is then the hand-off's id), else `requests/`.
	 */
	prefix?: "complaints" | "handoffs";
}

/** A complaint as the dialogue files it (see src/requests/complaints.ts). */
export interface ComplaintFiling {
	id: string;
	body: string;
	requestTicket?: string;
	photo?: { key: string; mimeType: string };
}

/** What the shell must carry out; the dialogue itself does no I/O. */
export type Effect =
	/** `notice`: a one-line summary for the status template, should the window be closed. */
	| { kind: "send"; message: OutboundMessage; notice?: string }
	| { kind: "mark_read"; messageId: string }
	| { kind: "download"; job: DownloadJob }
	| { kind: "submit"; draft: Draft; lang: Lang; at: number }
	| { kind: "status_query"; ticket?: string }
	/** A person is to hold the chat: record the hand-off `handoffId` for staff (D1). */
	| { kind: "handoff"; handoffId: string }
	| { kind: "discard_files"; keys: string[]; requestId: string }
	/** Record corrected documents for a request in needs_revision and return it to submitted. */
	| { kind: "resubmit"; requestId: string; files: DraftFile[]; at: number }
	/** Cancel the resident's own submitted request (the shell checks it is theirs). */
	| { kind: "cancel_request"; ticket: string }
	| { kind: "file_complaint"; complaint: ComplaintFiling; at: number }
	/** The resident went back to the bot while a person held the chat. */
	| { kind: "handoff_end"; at: number }
	/** A file sent to the staff member holding the chat is stored: record it for staff (D1). */
	| ({ kind: "handoff_file" } & HandoffFile)
	/** Nobody answered the hand-off in time: close it for staff as expired (null: a hold with no id). */
	| { kind: "handoff_expire"; handoffId: string | null; at: number }
	/** Open the SKM survey of a completed request (or, without one, the latest not surveyed). */
	| { kind: "survey_open"; requestId?: string; ticket?: string; asked: boolean; at: number }
	/** Record a survey's answers (null where skipped) and end it. */
	| {
			kind: "survey_finish";
			surveyId: string;
			answers: (number | null)[];
			suggestion: string | null;
			at: number;
	  }
	/** Record the resident's `berhenti` (true) or `mulai` (false), with its time, for staff. */
	| { kind: "opt_out"; optedOut: boolean; at: number }
	/** Ask D1 whether this number is an active kelurahan operator's (answered by `operator_checked`). */
	| { kind: "operator_check" };

export interface StepContext {
	catalog: Catalog;
	officeName: string;
	/** The office's IANA time zone, for dates told to the resident (Asia/Jakarta when absent). */
	timeZone?: string;
	now: number;
	/** A fresh id, used if this step starts a draft. */
	newRequestId: string;
	/**
	 * The approved template that invites a resident whose window is closed to the SKM survey
	 * (`SURVEY_TEMPLATE_NAME`; body: office name, ticket); without it the survey waits for the
	 * resident's `survei`.
	 */
	surveyTemplate?: { name: string; language: string };
	/**
	 * Who the number is, asked of D1 by the shell just before this step because what the state
	 * knows is missing or stale ({@link operatorCheckDue}): the menu needs no `operator_check`
	 * job then. Absent when the shell did not (or could not) ask.
	 */
	operator?: { staffId: string; areas: string[] } | null;
}

export interface StepResult {
	state: DialogueState;
	effects: Effect[];
}
