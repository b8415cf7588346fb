import type { RequestStatus } from "./statuses";

/**
 * What staff tell a resident about a request. The dialogue words each kind in the resident's
 * language; the outbox sends it (free text in the 24-hour window, else the status template).
 * Defined here, beside `pending_notices` which stores it, so that `requests/` needs nothing from
 * `conversation/`.
 */
export type StaffNotice = {
	/** Unique per notice: the object ignores a notice it already has (API retries are safe). */
	noticeId: string;
	requestId: string;
	ticket: string;
	serviceCode: string;
	variantCode: string;
} & (
	| {
			kind: "status";
			status: RequestStatus;
			reason?: string;
			/** For needs_revision: the requirement codes to send again. */
			documents?: string[];
			/**
			 * Back from needs_revision: the due date now (YYYY-MM-DD), its clock running again. The
			 * resident was told none while it waited (see `./due-date-notices.ts`).
			 */
			dueDate?: string;
	  }
	| { kind: "message"; text: string }
	| { kind: "pickup"; place: string; from: string }
	/** The kelurahan filed the request for the resident (told once, to their WhatsApp). */
	| { kind: "filed" }
	/** A home visit's date (YYYY-MM-DD) and hours (HH:MM); `reminder` the day before. */
	| { kind: "visit"; date: string; from: string; to: string; reminder: boolean }
	/**
	 * An admin's change of the working calendar moved the expected completion date (YYYY-MM-DD)
	 * from `previous` to `dueDate`; `days` are the changed days that moved it (the reason told).
	 */
	| { kind: "due_date"; dueDate: string; previous: string; days: CalendarShift[] }
	/**
	 * An admin declared `year` covered (its decree's holidays and cuti bersama listed), and the
	 * request, filed without an expected completion date for want of that year's data, got its
	 * first one: `dueDate` (YYYY-MM-DD).
	 */
	| { kind: "due_date"; first: true; dueDate: string; year: number }
);

/** A day an admin's calendar change opened or closed, as a due-date notice names it. */
export interface CalendarShift {
	/** YYYY-MM-DD, office-local. */
	date: string;
	/** Whether the office works that day now. */
	open: boolean;
	/** The listed day's name, for a day the change added ("Cuti Bersama ..."); none for a removal. */
	name?: string;
}

/**
 * A finished document staff attached (already in R2 under `key`), for the recipient's object to
 * upload to the channel and send. Here beside {@link StaffNotice} for the same reason: a pending
 * row keeps it until the object has it.
 */
export interface ResultDelivery {
	/** The attachment's id: the object sends it once, and its pending row bears this id. */
	sendId: string;
	requestId: string;
	ticket: string;
	key: string;
	size: number;
	fileName: string;
}
