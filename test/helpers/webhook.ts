import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { conversationFor } from "../../src/conversation/address";
import { signBody } from "../../src/whatsapp/signature";

export const APP_SECRET = "test_app_secret";
export const PHONE_NUMBER_ID = "106540352242922";

/**
 * Moves a fixture's timestamps to just before `now`, keeping their spacing, by editing the raw
 * text (never re-serialising: the escaped characters must stay byte for byte).
 */
export function freshen(raw: string, now = Date.now()): string {
	const stamps = [...raw.matchAll(/"timestamp":"(\d+)"/g)].map((m) => Number(m[1]));
	if (stamps.length === 0) return raw;
	const shift = Math.floor(now / 1000) - 60 - Math.max(...stamps);
	return raw.replace(
		/"timestamp":"(\d+)"/g,
		(_, s: string) => `"timestamp":"${Number(s) + shift}"`,
	);
}

export async function postWebhook(
	body: string | Uint8Array<ArrayBuffer>,
	options: { signature?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
	const signature =
		options.signature === undefined ? await signBody(APP_SECRET, body) : options.signature;
	const headers: Record<string, string> = {
		"content-type": "application/json",
		...options.headers,
	};
	if (signature !== null) headers["x-hub-signature-256"] = signature;
	return exports.default.fetch("https://worker.test/webhooks/whatsapp", {
		method: "POST",
		headers,
		body,
	});
}

export function conversation(residentId: string, businessId = PHONE_NUMBER_ID) {
	return conversationFor(env, businessId, residentId);
}

export interface InboxRow {
	message_id: string;
	sent_at: number;
	event: string;
	processed_at: number | null;
}

/** The inbox rows of a resident's Conversation, read from its own SQLite storage. */
export async function inboxOf(
	residentId: string,
	businessId = PHONE_NUMBER_ID,
): Promise<InboxRow[]> {
	return runInDurableObject(conversation(residentId, businessId), (_instance, state) =>
		state.storage.sql
			.exec<Record<string, SqlStorageValue>>(
				"SELECT * FROM inbox ORDER BY sent_at, arrival, message_id",
			)
			.toArray()
			.map((row) => row as unknown as InboxRow),
	);
}

export async function statusesOf(residentId: string, businessId = PHONE_NUMBER_ID) {
	return runInDurableObject(conversation(residentId, businessId), (_instance, state) =>
		state.storage.sql
			.exec<{ message_id: string; state: string; errors: string }>(
				"SELECT message_id, state, errors FROM delivery_statuses ORDER BY received_at, message_id",
			)
			.toArray(),
	);
}

/**
 * A delivery as Meta sends it: one entry per `value` (a change of field `messages`), each value
 * given its `messaging_product` and `metadata` (the office's number).
 */
export function envelope(values: Record<string, unknown>[], businessId = PHONE_NUMBER_ID): string {
	return JSON.stringify({
		object: "whatsapp_business_account",
		entry: values.map((value) => ({
			id: "102290129340398",
			changes: [
				{
					field: "messages",
					value: {
						messaging_product: "whatsapp",
						metadata: { display_phone_number: "15550783881", phone_number_id: businessId },
						...value,
					},
				},
			],
		})),
	});
}

/** Meta's status webhook saying `wamid` failed with error `code`. */
export function failedStatusFor(
	r: { id: string },
	wamid: string,
	error: { code: number; title: string },
): string {
	return envelope([
		{
			statuses: [
				{
					id: wamid,
					status: "failed",
					timestamp: String(Math.floor(Date.now() / 1000)),
					recipient_id: r.id,
					errors: [error],
				},
			],
		},
	]);
}

/** Meta's status webhook saying `wamid` failed: the 24-hour window had closed (131047). */
export function windowClosedFor(r: { id: string }, wamid: string): string {
	return failedStatusFor(r, wamid, { code: 131047, title: "Re-engagement message" });
}

/** A minimal, valid text-message delivery for one resident. */
export function textDelivery(
	residentId: string,
	messages: { id: string; text: string; at?: number }[],
	businessId = PHONE_NUMBER_ID,
): string {
	const now = Math.floor(Date.now() / 1000);
	return envelope(
		[
			{
				contacts: [{ profile: { name: "Warga" }, wa_id: residentId }],
				messages: messages.map((m) => ({
					from: residentId,
					id: m.id,
					timestamp: String(m.at ?? now),
					type: "text",
					text: { body: m.text },
				})),
			},
		],
		businessId,
	);
}
