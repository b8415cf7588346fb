import { auditStatement, eventActor } from "./audit";
import { releaseHeldStatements } from "./held-files";
import type { StaffNotice } from "./notices";
import { pendingNoticeStatement } from "./pending-notices";
import type { DueDateMove } from "./schedule";
import { canTransition, isFinalStatus, type RequestStatus, type TransitionActor } from "./statuses";

export type TransitionOutcome =
	| { ok: true; from: RequestStatus; to: RequestStatus; version: number; eventId: string }
	| { ok: false; problem: "not_found" | "illegal" | "conflict"; from?: RequestStatus };

/**
 * Moves a request to `to` if the state machine allows it and nobody changed it meanwhile:
 * a conditional update on the version, with its event and audit rows in the same batch (written
 * only when the update happened).
 */
export async function transitionRequest(
	db: D1Database,
	input: {
		requestId: string;
		to: RequestStatus;
		reason?: string;
		documents?: string[];
		actor: string;
		/** Who moves it: staff (default) or the resident (who may only cancel, before processing). */
		by?: TransitionActor;
		/** The version the caller saw; defaults to the current one (then only races conflict). */
		expectedVersion?: number;
		at?: number;
		/** The event's id (fixed by the caller so that it can name the notice after it). */
		eventId?: string;
		/**
		 * A notice for the resident's Conversation object, kept in `pending_notices` by the same
		 * batch, so that it survives a failure between this commit and the object queuing it.
		 */
		notice?: { id: string; conversation: string; payload: StaffNotice };
		/**
		 * Back from `needs_revision` to `submitted`: the due date moved by the working days it
		 * waited (see `resumedDueDate`), written with the change and recorded on its event.
		 */
		dueDate?: DueDateMove | null;
	},
): Promise<TransitionOutcome> {
	const at = input.at ?? Date.now();
	const current = await db
		.prepare("SELECT status, version FROM requests WHERE id = ?")
		.bind(input.requestId)
		.first<{ status: RequestStatus; version: number }>();
	if (current === null) return { ok: false, problem: "not_found" };
	if (!canTransition(current.status, input.to, input.by ?? "staff")) {
		return { ok: false, problem: "illegal", from: current.status };
	}
	const version = input.expectedVersion ?? current.version;
	if (version !== current.version) return { ok: false, problem: "conflict", from: current.status };
	const eventId = input.eventId ?? crypto.randomUUID();
	const detail = JSON.stringify({
		...(input.documents ? { documents: input.documents } : {}),
		...(input.dueDate ? { dueDate: input.dueDate } : {}),
	});
	const results = await db.batch([
		db
			.prepare(
				`UPDATE requests SET status = ?, version = version + 1, updated_at = ?,
				 closed_at = CASE WHEN ? THEN ? ELSE closed_at END, due_date = coalesce(?, due_date)
				 WHERE id = ? AND version = ? AND status = ?`,
			)
			.bind(
				input.to,
				at,
				isFinalStatus(input.to) ? 1 : 0,
				at,
				input.dueDate?.to ?? null,
				input.requestId,
				version,
				current.status,
			),
		db
			.prepare(
				`INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, reason, detail)
				 SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() > 0`,
			)
			.bind(
				eventId,
				input.requestId,
				at,
				eventActor(input.actor),
				current.status,
				input.to,
				input.reason ?? null,
				detail,
			),
		auditStatement(
			db,
			{
				actor: input.actor,
				action: "request.transition",
				requestId: input.requestId,
				detail: {
					from: current.status,
					to: input.to,
					...(input.documents ? { documents: input.documents } : {}),
				},
			},
			at,
			{ onlyIfChanged: true },
		),
		...(input.notice ? [pendingNoticeStatement(db, input.requestId, input.notice, at)] : []),
		// Out of needs_revision: papers held for that round answer nothing any more.
		...releaseHeldStatements(db, input.requestId, eventId, at),
	]);
	if ((results[0]?.meta.changes ?? 0) === 0) {
		return { ok: false, problem: "conflict", from: current.status };
	}
	return { ok: true, from: current.status, to: input.to, version: version + 1, eventId };
}
