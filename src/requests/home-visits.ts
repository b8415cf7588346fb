/**
 * `home_visits` (migration 0027): the visit of a "jemput bola" request, its date and hours set by
 * staff, and the day-before reminder. D1 only; telling the resident is the caller's work.
 *
 * @module
 */

import { type AuditEntry, auditStatement } from "./audit";
import type { StaffNotice } from "./notices";
import { pendingNoticeStatement } from "./pending-notices";

/** The date (YYYY-MM-DD, office time) and hours (HH:MM) of a visit. */
export interface VisitSlot {
	date: string;
	from: string;
	to: string;
}

/** A notice to write with the change, kept until the resident's object has queued it. */
export interface NoticeToKeep {
	id: string;
	conversation: string;
	payload: StaffNotice;
}

/** What the resident said about a home visit in the dialogue. */
export interface VisitAnswers {
	reason: string;
	address: string;
	contact: string;
}

/**
 * The insert of a home visit's answers, for the batch of its submission: written only by the
 * call that writes the submitted event `eventId` (so a repeated submission changes nothing).
 */
export function visitAnswersStatement(
	db: D1Database,
	requestId: string,
	answers: VisitAnswers,
	eventId: string,
): D1PreparedStatement {
	return db
		.prepare(
			`INSERT INTO home_visits (request_id, reason, address, contact)
			 SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM request_events WHERE id = ?)
			 ON CONFLICT (request_id) DO NOTHING`,
		)
		.bind(requestId, answers.reason, answers.address, answers.contact, eventId);
}

/** Whether the service of `serviceCode` is a home visit (the catalog's `services.home_visit`). */
export async function isHomeVisitService(db: D1Database, serviceCode: string): Promise<boolean> {
	const row = await db
		.prepare("SELECT home_visit FROM services WHERE code = ?")
		.bind(serviceCode)
		.first<{ home_visit: number }>();
	return row?.home_visit === 1;
}

/**
 * Sets (or moves) the visit of a request, audited in the same batch, with the resident's notice
 * when there is one. A new slot clears the reminder, so a moved visit is reminded again.
 */
export async function scheduleVisit(
	db: D1Database,
	requestId: string,
	slot: VisitSlot,
	by: { staffId: string; audit: AuditEntry },
	notice: NoticeToKeep | null,
	at = Date.now(),
): Promise<void> {
	await db.batch([
		db
			.prepare(
				`INSERT INTO home_visits (request_id, visit_date, visit_from, visit_to, scheduled_by, scheduled_at)
				 VALUES (?, ?, ?, ?, ?, ?)
				 ON CONFLICT (request_id) DO UPDATE SET visit_date = excluded.visit_date,
				 visit_from = excluded.visit_from, visit_to = excluded.visit_to,
				 scheduled_by = excluded.scheduled_by, scheduled_at = excluded.scheduled_at,
				 reminded_at = NULL`,
			)
			.bind(requestId, slot.date, slot.from, slot.to, by.staffId, at),
		auditStatement(db, by.audit, at),
		...(notice ? [pendingNoticeStatement(db, requestId, notice, at)] : []),
	]);
}

/** The visit of a request, when one was set. */
export async function visitOf(db: D1Database, requestId: string): Promise<VisitSlot | null> {
	const row = await db
		.prepare(
			"SELECT visit_date, visit_from, visit_to FROM home_visits WHERE request_id = ? AND visit_date IS NOT NULL",
		)
		.bind(requestId)
		.first<{ visit_date: string; visit_from: string; visit_to: string }>();
	return row ? { date: row.visit_date, from: row.visit_from, to: row.visit_to } : null;
}

/** A visit on a given day whose reminder has not been handed over, with what a notice needs. */
export interface DueReminder extends VisitSlot {
	requestId: string;
	ticket: string;
	serviceCode: string;
	variantCode: string;
	channel: "whatsapp" | "kelurahan";
	businessId: string | null;
	residentId: string | null;
	/** The operator who filed it, for a kelurahan request (told when the resident has no number). */
	submittedBy: string | null;
}

/** Visits on `date` of open requests not yet reminded. */
export async function dueReminders(db: D1Database, date: string): Promise<DueReminder[]> {
	const { results } = await db
		.prepare(
			`SELECT v.request_id AS requestId, v.visit_date AS date, v.visit_from AS "from", v.visit_to AS "to",
			 r.ticket, r.service_code AS serviceCode, r.variant_code AS variantCode, r.channel,
			 r.business_id AS businessId, r.resident_id AS residentId, r.submitted_by AS submittedBy
			 FROM home_visits v JOIN requests r ON r.id = v.request_id
			 WHERE v.visit_date = ? AND v.reminded_at IS NULL AND r.closed_at IS NULL
			 ORDER BY v.visit_from LIMIT 500`,
		)
		.bind(date)
		.all<DueReminder>();
	return results;
}

/**
 * Marks the reminder of this exact slot as handed over, writing its notice in the same batch; a
 * second run (or a slot moved meanwhile) changes nothing.
 *
 * @returns true when this call marked it (so the caller hands the notice over).
 */
export async function markReminded(
	db: D1Database,
	visit: { requestId: string } & VisitSlot,
	notice: NoticeToKeep | null,
	at = Date.now(),
): Promise<boolean> {
	const [marked] = await db.batch([
		db
			.prepare(
				`UPDATE home_visits SET reminded_at = ? WHERE request_id = ? AND visit_date = ?
				 AND visit_from = ? AND visit_to = ? AND reminded_at IS NULL`,
			)
			.bind(at, visit.requestId, visit.date, visit.from, visit.to),
		...(notice ? [pendingNoticeStatement(db, visit.requestId, notice, at)] : []),
	]);
	return (marked?.meta.changes ?? 0) > 0;
}
