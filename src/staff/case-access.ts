import { conversationName as conversationKey } from "../channel/address";
import { conversationFor } from "../conversation/address";
import { Problem } from "../http/problem";
import type { StaffPrincipal } from "./auth";

/** What the case-work routes need to know about a request. */
export interface CaseRow {
	id: string;
	ticket: string;
	status: string;
	version: number;
	channel: "whatsapp" | "kelurahan";
	business_id: string | null;
	resident_id: string | null;
	area_code: string;
	service_code: string;
	variant_code: string;
	result_kind: "pdf" | "card";
}

/**
 * Finds a request by id or ticket as `staff` may see it: a kelurahan operator gets 404 for
 * another area's request, exactly as for a missing one, so nothing is revealed.
 */
export async function loadCase(
	db: D1Database,
	idOrTicket: string,
	staff: StaffPrincipal,
): Promise<CaseRow> {
	const row = await db
		.prepare(
			`SELECT r.id, r.ticket, r.status, r.version, r.channel, r.business_id, r.resident_id, r.area_code,
			        r.service_code, r.variant_code, s.result_kind
			 FROM requests r JOIN services s ON s.code = r.service_code
			 WHERE r.id = ?1 OR r.ticket = upper(?1)`,
		)
		.bind(idOrTicket)
		.first<CaseRow>();
	return visibleTo(staff, row);
}

/**
 * The scoping rule of the staff API, in one place: a kelurahan operator sees only their own
 * area's requests, and any other answers 404 exactly like a missing one, so nothing is revealed.
 */
export function visibleTo<T extends { area_code: string }>(
	staff: StaffPrincipal,
	row: T | null,
): T {
	if (row === null || (staff.role === "kelurahan" && row.area_code !== staff.kelurahan)) {
		throw new Problem(404, "not-found", "Not found", "No request with this id or ticket.");
	}
	return row;
}

/** The resident's Conversation object, for WhatsApp requests. */
export function conversationOf(env: Env, row: CaseRow) {
	if (row.channel !== "whatsapp" || row.business_id === null || row.resident_id === null)
		return null;
	return conversationFor(env, row.business_id, row.resident_id);
}

/** The name of the resident's Conversation object, for WhatsApp requests. */
export function conversationName(row: CaseRow): string | null {
	if (row.channel !== "whatsapp" || row.business_id === null || row.resident_id === null)
		return null;
	return conversationKey(row.business_id, row.resident_id);
}
