/**
 * The one loader of a request for the staff API: the `requests` row with the names its codes
 * stand for. Scoping (who may see it) is the caller's rule, not this module's.
 *
 * @module
 */

import type { SubjectKind } from "../catalog/catalog";
import type { RequestStatus } from "./statuses";
import { parseTicket } from "./tickets";

/** A `requests` row with the names its codes stand for (from the catalog and area tables). */
export interface RequestRecord {
	id: string;
	ticket: string;
	channel: "whatsapp" | "kelurahan";
	business_id: string | null;
	resident_id: string | null;
	resident_phone: string | null;
	resident_name: string;
	nik: string;
	/** JSON array of NIK warnings. */
	nik_warnings: string;
	service_code: string;
	variant_code: string;
	area_code: string;
	status: RequestStatus;
	version: number;
	language: "id" | "en";
	submitted_by: string | null;
	created_at: number;
	updated_at: number;
	closed_at: number | null;
	/** Office-local dates (service standards); null for requests filed before them. */
	queue_date: string | null;
	queue_position: number | null;
	due_date: string | null;
	/** Whom it is about when not the applicant (migration 0025); null for the applicant's own. */
	subject_kind: SubjectKind | null;
	subject_nik: string | null;
	subject_text: string | null;
	/** When the retention purge deleted its files; null while they are kept. */
	purged_at: number | null;
	/** Null only when the catalog no longer has the service (or variant, or area). */
	service_label_id: string | null;
	service_label_en: string | null;
	result_kind: "pdf" | "card" | null;
	variant_label_id: string | null;
	variant_label_en: string | null;
	area_name: string | null;
	kecamatan_code: string | null;
	kecamatan_name: string | null;
}

const RECORD_SELECT = `SELECT r.*,
		s.label_id AS service_label_id, s.label_en AS service_label_en, s.result_kind,
		v.label_id AS variant_label_id, v.label_en AS variant_label_en,
		a.name AS area_name, k.code AS kecamatan_code, k.name AS kecamatan_name
	FROM requests r
	LEFT JOIN services s ON s.code = r.service_code
	LEFT JOIN service_variants v ON v.service_code = r.service_code AND v.code = r.variant_code
	LEFT JOIN areas a ON a.code = r.area_code
	LEFT JOIN kecamatan k ON k.code = a.kecamatan_code`;

/**
 * A request by its id or its ticket code (tolerating lower case and spaces in a ticket), with the
 * names of its service, variant, area and kecamatan.
 *
 * @returns null when there is no such request.
 */
export async function findRequest(
	db: D1Database,
	idOrTicket: string,
): Promise<RequestRecord | null> {
	const ticket = parseTicket(idOrTicket);
	const statement =
		ticket === null
			? db.prepare(`${RECORD_SELECT} WHERE r.id = ?`).bind(idOrTicket)
			: db.prepare(`${RECORD_SELECT} WHERE r.ticket = ?`).bind(ticket);
	return statement.first<RequestRecord>();
}
