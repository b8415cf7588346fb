/**
 * Who is told about a request over WhatsApp, named as their Conversation object: the staff
 * API's notices and documents and the cron's visit reminders ask here, so they reach the same
 * chat (a pending notice stores the name, and the redelivery goes where the first try went).
 *
 * @module
 */

import { conversationName } from "../channel/address";
import { activeOperatorPhone } from "./operator-identity";

/** What of a request decides who is told about it. */
export interface RecipientFields {
	channel: string;
	submittedBy: string | null;
	businessId: string | null;
	residentId: string | null;
}

/**
 * The resident's chat when there is one (a request made over WhatsApp, or filed by the kelurahan
 * with the resident's number); else, for a request the kelurahan filed without it, the filing
 * operator's own number (if their account has one and is still active at `now`), so they can
 * tell the resident and hand over the paper. Null when nobody can be told over WhatsApp. An erased
 * request's chat ids are empty strings (./erasure.ts): it has no resident any more.
 */
export async function recipientOf(
	db: D1Database,
	officeNumber: string,
	request: RecipientFields,
	now: number,
): Promise<string | null> {
	if (request.businessId && request.residentId) {
		return conversationName(request.businessId, request.residentId);
	}
	if (request.channel !== "kelurahan" || request.submittedBy === null) return null;
	const phone = await activeOperatorPhone(db, request.submittedBy, now);
	return phone === null ? null : conversationName(officeNumber, phone);
}
