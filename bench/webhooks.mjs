/** Meta's webhooks as WhatsApp delivers them: the envelope, messages, statuses, signed. */
import { createHmac } from "node:crypto";
import { DISPLAY_NUMBER, PHONE_NUMBER_ID, WABA_ID } from "./settings.mjs";
import { bench } from "./state.mjs";

let wamidCounter = 0;

/** `X-Hub-Signature-256` exactly as Meta computes it: HMAC-SHA256 of the raw body bytes. */
export function signature(body) {
	return `sha256=${createHmac("sha256", bench.appSecret).update(body).digest("hex")}`;
}

export function envelope(value) {
	return {
		object: "whatsapp_business_account",
		entry: [
			{
				id: WABA_ID,
				changes: [
					{
						field: "messages",
						value: {
							messaging_product: "whatsapp",
							metadata: { display_phone_number: DISPLAY_NUMBER, phone_number_id: PHONE_NUMBER_ID },
							...value,
						},
					},
				],
			},
		],
	};
}

/** A signed delivery of one message from `from`; `timestamp` in Unix seconds. */
export function messageWebhook(from, message, timestamp) {
	wamidCounter++;
	const id = `wamid.BENCH${from}.${wamidCounter}`;
	bench.fake?.inbound(from, id, timestamp);
	const body = Buffer.from(
		JSON.stringify(
			envelope({
				contacts: [{ profile: { name: "Warga Bench" }, wa_id: from }],
				messages: [{ from, id, timestamp: String(timestamp), ...message }],
			}),
		),
	);
	return { id, body, headers: webhookHeaders(body) };
}

export function statusWebhook(recipient, wamid, status, timestamp, callbackData) {
	const body = Buffer.from(
		JSON.stringify(
			envelope({
				statuses: [
					{
						id: wamid,
						status,
						timestamp: String(timestamp),
						recipient_id: recipient,
						...(callbackData === undefined ? {} : { biz_opaque_callback_data: callbackData }),
						...(status === "delivered"
							? {
									pricing: {
										billable: false,
										pricing_model: "PMP",
										type: "free_customer_service",
										category: "service",
									},
								}
							: {}),
					},
				],
			}),
		),
	);
	return { body, headers: webhookHeaders(body) };
}

export function webhookHeaders(body) {
	return {
		"content-type": "application/json",
		"x-hub-signature-256": signature(body),
		"user-agent": "facebookexternalua",
	};
}

export const text = (body) => ({ type: "text", text: { body } });
export const pdfDocument = (media, filename) => ({
	type: "document",
	document: {
		filename,
		mime_type: "application/pdf",
		sha256: media.sha256Base64,
		id: media.id,
	},
});

/** A message timestamp 2 s in the past (the inbox holds messages younger than 1 s). */
export const pastSeconds = () => Math.floor(Date.now() / 1000) - 2;

export const webhookRequest = (hook) => ({
	method: "POST",
	path: "/webhooks/whatsapp",
	headers: hook.headers,
	body: hook.body,
});
