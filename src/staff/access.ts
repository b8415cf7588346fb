/**
 * How staff handlers reach a request: the scoping rule, and the resident's Conversation object.
 *
 * @module
 */

import { conversationName as nameOf } from "../channel/address";
import { conversationFor } from "../conversation/address";
import { settingsOf } from "../env";
import { fieldProblem, Problem } from "../http/problem";
import { type Cursor, decodeCursor } from "../requests/cursor";
import { requestAreas } from "../requests/queries";
import { recipientOf } from "../requests/recipients";
import { findRequest, type RequestRecord } from "../requests/record";
import { Denied } from "./auth";
import { type StaffPrincipal, servesArea } from "./types";

/**
 * The scoping rule of the staff API, in one place: a kelurahan operator sees only their own
 * areas' requests, and any other answers 404 exactly like a missing one, so nothing is revealed.
 */
export function visibleTo<T extends { id: string; area_code: string }>(
	staff: StaffPrincipal,
	row: T | null,
): T {
	const notFound = new Problem(404, "not-found", "Not found", "No request with this id or ticket.");
	if (row === null) throw notFound;
	// The same answer as a missing request, but audited as `denied` (the request exists).
	if (!servesArea(staff, row.area_code)) {
		throw new Denied(notFound, row.id);
	}
	return row;
}

/** The request with this id or ticket, if `staff` may see it; else 404 (see {@link visibleTo}). */
export async function visibleRequest(
	db: D1Database,
	staff: StaffPrincipal,
	idOrTicket: string,
): Promise<RequestRecord> {
	return visibleTo(staff, await findRequest(db, idOrTicket));
}

/**
 * The scoping rule for a message that names several requests (a resident's status list): `staff`
 * may read it only if they may see every request it names; a missing one counts as not visible.
 */
export async function mayReadAll(
	db: D1Database,
	staff: StaffPrincipal,
	mentions: string[][],
): Promise<boolean[]> {
	if (staff.role !== "kelurahan") return mentions.map(() => true);
	const areas = await requestAreas(db, mentions.flat());
	return mentions.map((ids) =>
		ids.every((id) => {
			const area = areas.get(id);
			return area !== undefined && servesArea(staff, area);
		}),
	);
}

/**
 * The resident's chat, so that there is someone to tell: a request made over WhatsApp, or one
 * the kelurahan filed with the resident's number (linked to that number's chat). An erased
 * request's chat ids are empty strings (src/requests/erasure.ts): it has no resident any more.
 */
function residentOf(record: RequestRecord): { businessId: string; residentId: string } | null {
	if (!record.business_id || !record.resident_id) return null;
	return { businessId: record.business_id, residentId: record.resident_id };
}

/**
 * Whose WhatsApp is told about the request, as the name of their Conversation object: the
 * resident's chat, else the filing operator's (see `recipientOf`). Null when there is nobody to
 * tell over WhatsApp (the API and console then show it).
 */
export async function recipientName(env: Env, record: RequestRecord): Promise<string | null> {
	return recipientOf(
		env.DB,
		settingsOf(env).get("WHATSAPP_PHONE_NUMBER_ID"),
		{
			channel: record.channel,
			submittedBy: record.submitted_by,
			businessId: record.business_id,
			residentId: record.resident_id,
		},
		Date.now(),
	);
}

/** The resident's Conversation object, for a request that came over WhatsApp; else null. */
export function conversationOf(env: Env, record: RequestRecord) {
	const resident = residentOf(record);
	return resident === null ? null : conversationFor(env, resident.businessId, resident.residentId);
}

/** The name of the resident's Conversation object, for a request that came over WhatsApp. */
export function conversationName(record: RequestRecord): string | null {
	const resident = residentOf(record);
	return resident === null ? null : nameOf(resident.businessId, resident.residentId);
}

/**
 * A `cursor` query parameter read back; 400 naming `query.cursor` when the API did not give it
 * out (or, with `id`, when its id is not of that shape).
 */
export function cursorParam(cursor: string | undefined, id?: RegExp): Cursor | undefined {
	if (cursor === undefined) return undefined;
	const decoded = decodeCursor(cursor);
	if (decoded === null || (id !== undefined && !id.test(decoded.id))) {
		throw fieldProblem("query.cursor", "is not a cursor this API gave out");
	}
	return decoded;
}

/**
 * The areas whose figures a staff member's reports cover: a kelurahan operator's (every area
 * they serve), null for the whole office. An operator without areas (never created so) gets an
 * empty list, which matches nothing, never the whole office.
 */
export function reportAreas(staff: StaffPrincipal): string[] | null {
	return staff.role === "kelurahan" ? staff.areas : null;
}
