/**
 * Request statuses and the moves between them.
 *
 * ```
 * submitted -> in_review -> processing -> completed          (staff)
 * submitted | in_review -> needs_revision                     (staff, with a reason)
 * needs_revision -> submitted                                 (resent: resident, or operator)
 * any open status -> rejected                                 (staff, with a reason)
 * submitted | in_review | needs_revision -> cancelled         (the resident)
 * ```
 *
 * Decisions beyond the design's one-liner:
 * - `needs_revision` is asked by staff from `submitted` or `in_review` (staff may ask for a
 *   correction without first opening a review), never from `processing`: once processing began,
 *   the documents were accepted, and a request that cannot go on is rejected.
 * - `needs_revision -> submitted` is the resident resending what was asked (the Conversation
 *   object records it for them). Staff may make it too, for the kelurahan operator who uploads
 *   the corrected papers of a resident without WhatsApp.
 * - `needs_revision -> rejected` is allowed: the resident never resends, or what they resend shows
 *   the request cannot be granted.
 * - Only the resident cancels, from `submitted`, `in_review` or `needs_revision`. Staff who must end
 *   a request (including at a resident's request made by phone or at the counter) reject it with
 *   a reason, so that the record says who ended it and why.
 * - `completed`, `rejected` and `cancelled` are final: no moves out of them, and no move from a
 *   status to itself.
 *
 * @module
 */

/** Every status, in the order a request normally goes through them, finals last. */
export const REQUEST_STATUSES = [
	"submitted",
	"in_review",
	"needs_revision",
	"processing",
	"completed",
	"rejected",
	"cancelled",
] as const;

/** A request's status, as stored in `requests.status`. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses a request never leaves; reaching one sets `requests.closed_at`. */
export const FINAL_STATUSES: readonly RequestStatus[] = ["completed", "rejected", "cancelled"];

/** Statuses from which the request can still move. */
export const OPEN_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
	(status) => !FINAL_STATUSES.includes(status),
);

/** Who makes a move: the resident (through the chat) or office staff (through the staff API). */
export type TransitionActor = "resident" | "staff";

/** The legal moves, each with who may make it. */
const TRANSITIONS: Readonly<
	Record<RequestStatus, Partial<Record<RequestStatus, readonly TransitionActor[]>>>
> = {
	submitted: {
		in_review: ["staff"],
		needs_revision: ["staff"],
		rejected: ["staff"],
		cancelled: ["resident"],
	},
	in_review: {
		processing: ["staff"],
		needs_revision: ["staff"],
		rejected: ["staff"],
		cancelled: ["resident"],
	},
	needs_revision: {
		submitted: ["resident", "staff"],
		rejected: ["staff"],
		cancelled: ["resident"],
	},
	processing: {
		completed: ["staff"],
		rejected: ["staff"],
	},
	completed: {},
	rejected: {},
	cancelled: {},
};

/** Statuses whose event must carry a reason that the resident is shown. */
const REASON_REQUIRED: readonly RequestStatus[] = ["needs_revision", "rejected"];

/** Whether a string read from storage or input is a {@link RequestStatus}. */
export function isRequestStatus(value: string): value is RequestStatus {
	return (REQUEST_STATUSES as readonly string[]).includes(value);
}

/** Whether a request in this status can no longer move. */
export function isFinalStatus(status: RequestStatus): boolean {
	return FINAL_STATUSES.includes(status);
}

/**
 * Whether a request may move from one status to another.
 *
 * @param from - The current status.
 * @param to - The wanted status.
 * @param by - Who makes the move; when omitted, whether anyone may.
 */
export function canTransition(
	from: RequestStatus,
	to: RequestStatus,
	by?: TransitionActor,
): boolean {
	const actors = TRANSITIONS[from][to];
	if (actors === undefined) return false;
	return by === undefined || actors.includes(by);
}

/**
 * The statuses a request may move to from `from`, in {@link REQUEST_STATUSES} order.
 *
 * @param from - The current status.
 * @param by - Only the moves this actor may make; when omitted, every legal move.
 * @returns An empty array for a final status.
 */
export function allowedTransitions(from: RequestStatus, by?: TransitionActor): RequestStatus[] {
	return REQUEST_STATUSES.filter((to) => canTransition(from, to, by));
}

/** Whether moving to `to` needs a reason (which documents and why, or why it was refused). */
export function requiresReason(to: RequestStatus): boolean {
	return REASON_REQUIRED.includes(to);
}

const WORDS: Readonly<Record<"id" | "en", Readonly<Record<RequestStatus, string>>>> = {
	id: {
		submitted: "Diajukan",
		in_review: "Sedang diperiksa",
		needs_revision: "Perlu perbaikan",
		processing: "Sedang diproses",
		completed: "Selesai",
		rejected: "Ditolak",
		cancelled: "Dibatalkan",
	},
	en: {
		submitted: "Submitted",
		in_review: "In review",
		needs_revision: "Needs revision",
		processing: "Processing",
		completed: "Completed",
		rejected: "Rejected",
		cancelled: "Cancelled",
	},
};

/**
 * The name of a status as residents understand it.
 *
 * @example
 * ```ts
 * statusWords("needs_revision", "id"); // "Perlu perbaikan"
 * statusWords("needs_revision", "en"); // "Needs revision"
 * ```
 */
export function statusWords(status: RequestStatus, lang: "id" | "en"): string {
	return WORDS[lang][status];
}
