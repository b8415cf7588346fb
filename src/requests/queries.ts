/**
 * Reads of request records for the resident's side (the `status` command): only the resident's
 * own requests, newest first.
 *
 * @module
 */

import type { RequestStatus } from "./statuses";

/** What a resident may be told about one of their requests. */
export interface ResidentRequest {
	id: string;
	ticket: string;
	status: RequestStatus;
	serviceCode: string;
	variantCode: string;
	/** Epoch milliseconds. */
	createdAt: number;
	/** Epoch milliseconds. */
	updatedAt: number;
	/** The expected completion date (office-local `YYYY-MM-DD`), when it has one. */
	dueDate: string | null;
	/**
	 * For a request not yet started (`submitted`): its place, from 1, among the requests of its
	 * service still not started in its queue day; null otherwise or without a queue date.
	 */
	waitingPosition: number | null;
}

interface ResidentRequestRow {
	id: string;
	ticket: string;
	status: RequestStatus;
	service_code: string;
	variant_code: string;
	created_at: number;
	updated_at: number;
	due_date: string | null;
	waiting_position: number | null;
}

/**
 * The columns a resident's request is read with. The waiting position counts, in the same
 * service, the requests still `submitted` ahead of this one: those queued for an earlier day (a
 * backlog staff have not reached is ahead of today's queue) and those of its own day whose
 * position is not after this one's. Requests staff already started drop out, so the place moves
 * up as the queue is worked. Read through `requests_by_status`, named: the requests not yet
 * started are the backlog, while the service's own index, which SQLite picks by itself, would
 * walk every request the service ever had queued before that day.
 */
const RESIDENT_REQUEST_COLUMNS = `r.id, r.ticket, r.status, r.service_code, r.variant_code,
	r.created_at, r.updated_at, r.due_date,
	CASE WHEN r.status = 'submitted' AND r.queue_date IS NOT NULL AND r.queue_position IS NOT NULL
		THEN (SELECT COUNT(*) FROM requests q INDEXED BY requests_by_status
			WHERE q.status = 'submitted' AND q.service_code = r.service_code
				AND (q.queue_date < r.queue_date
					OR (q.queue_date = r.queue_date AND q.queue_position <= r.queue_position)))
	END AS waiting_position`;

/** Most rows {@link residentRequests} returns, whatever the caller asks. */
export const MAX_RESIDENT_REQUESTS = 50;

function toResidentRequest(row: ResidentRequestRow): ResidentRequest {
	return {
		id: row.id,
		ticket: row.ticket,
		status: row.status,
		serviceCode: row.service_code,
		variantCode: row.variant_code,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		dueDate: row.due_date,
		waitingPosition: row.waiting_position,
	};
}

/**
 * A resident's latest requests, newest first (ties broken by id, so the order is stable).
 *
 * @param db - The D1 database.
 * @param businessId - WhatsApp phone_number_id of the office number the resident wrote to.
 * @param residentId - The resident's wa_id or business-scoped user id.
 * @param limit - How many, from 1 to {@link MAX_RESIDENT_REQUESTS}; 5 by default.
 * @throws RangeError when `limit` is out of range.
 */
export async function residentRequests(
	db: D1Database,
	businessId: string,
	residentId: string,
	limit = 5,
): Promise<ResidentRequest[]> {
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESIDENT_REQUESTS) {
		throw new RangeError(`residentRequests: limit must be 1-${MAX_RESIDENT_REQUESTS}`);
	}
	const { results } = await db
		.prepare(
			`SELECT ${RESIDENT_REQUEST_COLUMNS}
			FROM requests r
			WHERE r.business_id = ? AND r.resident_id = ?
			ORDER BY r.created_at DESC, r.id DESC
			LIMIT ?`,
		)
		.bind(businessId, residentId, limit)
		.all<ResidentRequestRow>();
	return results.map(toResidentRequest);
}

/**
 * The requests a kelurahan operator filed (`submitted_by`), newest first: what `status` lists
 * on the operator's own WhatsApp.
 */
export async function filedRequests(
	db: D1Database,
	staffId: string,
	limit = 5,
): Promise<ResidentRequest[]> {
	const { results } = await db
		.prepare(
			`SELECT ${RESIDENT_REQUEST_COLUMNS}
			FROM requests r
			WHERE r.submitted_by = ?
			ORDER BY r.created_at DESC, r.id DESC
			LIMIT ?`,
		)
		.bind(staffId, Math.min(Math.max(1, limit), MAX_RESIDENT_REQUESTS))
		.all<ResidentRequestRow>();
	return results.map(toResidentRequest);
}

/**
 * One of the resident's requests by its ticket code.
 *
 * @param ticket - The code; surrounding spaces and lower case are tolerated.
 * @returns The request, or `null` when there is no such ticket or it belongs to someone else
 *   (the two cases are indistinguishable, so nothing is revealed about others' tickets).
 */
export async function residentRequestByTicket(
	db: D1Database,
	businessId: string,
	residentId: string,
	ticket: string,
): Promise<ResidentRequest | null> {
	const row = await db
		.prepare(
			`SELECT ${RESIDENT_REQUEST_COLUMNS}
			FROM requests r
			WHERE r.ticket = ? AND r.business_id = ? AND r.resident_id = ?`,
		)
		.bind(ticket.trim().toUpperCase(), businessId, residentId)
		.first<ResidentRequestRow>();
	return row === null ? null : toResidentRequest(row);
}

/**
 * The area of each of these requests that exists (for the staff's scoping of a reply that names
 * several requests); at most 50 ids are looked up.
 */
export async function requestAreas(db: D1Database, ids: string[]): Promise<Map<string, string>> {
	const unique = [...new Set(ids)].slice(0, MAX_RESIDENT_REQUESTS);
	if (unique.length === 0) return new Map();
	const { results } = await db
		.prepare(`SELECT id, area_code FROM requests WHERE id IN (${unique.map(() => "?").join(", ")})`)
		.bind(...unique)
		.all<{ id: string; area_code: string }>();
	return new Map(results.map((row) => [row.id, row.area_code]));
}
