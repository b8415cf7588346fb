/**
 * Telling the resident of a request through their Conversation object.
 *
 * @module
 */

import { conversationByName } from "../../conversation/address";
import { Problem } from "../../http/problem";
import { withTries } from "../../notices/deliver";
import type { StaffNotice } from "../../requests/notices";
import type { RequestRecord } from "../../requests/record";
import { conversationOf, recipientName } from "../access";

/** The fields every notice about `record` carries. */
export function noticeBase(record: RequestRecord, noticeId: string) {
	return {
		noticeId,
		requestId: record.id,
		ticket: record.ticket,
		serviceCode: record.service_code,
		variantCode: record.variant_code,
	};
}

/**
 * Queues a notice that is kept nowhere else (a message, a pick-up notice: the caller answers 503
 * when it fails) on the object of whoever is told (the resident, or the operator who filed it
 * without the resident's number); retried a few times.
 *
 * @returns false when nobody can be told over WhatsApp or the notice could not be queued.
 */
export async function tell(env: Env, record: RequestRecord, notice: StaffNotice): Promise<boolean> {
	const recipient = await recipientName(env, record);
	if (recipient === null) return false;
	const stub = conversationByName(env, recipient);
	return withTries(3, { event: "staff.notify_failed", requestId: notice.requestId }, () =>
		stub.notify(notice),
	);
}

/** The resident's Conversation object; 409 for a request not made over WhatsApp. */
export function whatsappResident(env: Env, record: RequestRecord) {
	const stub = conversationOf(env, record);
	if (stub === null) {
		throw new Problem(
			409,
			"no-whatsapp",
			"No WhatsApp resident",
			"This request was not made over WhatsApp.",
		);
	}
	return stub;
}
