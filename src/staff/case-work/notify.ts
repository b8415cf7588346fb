/**
 * Telling the resident of a request through their Conversation object.
 *
 * @module
 */

import { conversationByName } from "../../conversation/address";
import { Problem } from "../../http/problem";
import { errorDetail, log } from "../../log";
import type { ResultDelivery, StaffNotice } from "../../requests/notices";
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
 * Queues a notice on the object of whoever is told (the resident, or the operator who filed it
 * without the resident's number); retried a few times, since the change is committed.
 *
 * @returns false when the request has no WhatsApp resident or the notice could not be queued.
 */
export async function tell(env: Env, record: RequestRecord, notice: StaffNotice): Promise<boolean> {
	return tellRecipient(env, await recipientName(env, record), notice);
}

/**
 * {@link tell} to a recipient already named (a `recipientName`): the one its pending notice
 * names, so that the handler's tries and the cron's redelivery reach the same chat.
 */
export async function tellRecipient(
	env: Env,
	recipient: string | null,
	notice: StaffNotice,
): Promise<boolean> {
	if (recipient === null) return false;
	const stub = conversationByName(env, recipient);
	return handOver("staff.notify_failed", notice.requestId, () => stub.notify(notice));
}

/**
 * Queues a finished document on the object of `recipient` (a `recipientName`), retried like
 * {@link tell}; a document still not queued is left to the cron, through its pending row.
 *
 * @returns false when it could not be queued.
 */
export async function sendResultTo(
	env: Env,
	recipient: string,
	result: ResultDelivery,
): Promise<boolean> {
	const stub = conversationByName(env, recipient);
	return handOver("staff.result_queue_failed", result.requestId, () => stub.sendResult(result));
}

/** Tries a hand-over to an object 3 times, logging each failure; true once one succeeded. */
async function handOver(event: string, requestId: string, call: () => Promise<void>) {
	for (let attempt = 1; attempt <= 3; attempt++) {
		try {
			await call();
			return true;
		} catch (error) {
			log.error(event, { requestId, attempt, error: errorDetail(error) });
		}
	}
	return false;
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
