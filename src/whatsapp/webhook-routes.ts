import { Hono } from "hono";
import { type InboundBatch, statusNeedsConversation } from "../channel/events";
import { conversationFor } from "../conversation/address";
import type { ReceiveResult } from "../conversation/conversation";
import { secretEquals } from "../crypto";
import { type AppEnv, settingsOf } from "../env";
import { capBody } from "../http/body";
import { Problem } from "../http/problem";
import { log, maskId } from "../log";
import { phoneOfUser } from "../residents/identities";
import { recordAccountAlerts } from "./account-alerts";
import { verifySignature } from "./signature";
import { parseDelivery } from "./webhook-payload";

/** Meta: "Webhook payloads can be up to 3 MB". */
export const MAX_WEBHOOK_BYTES = 3 * 1024 * 1024;

export const whatsappWebhook = new Hono<AppEnv>();

/** The subscription handshake Meta runs when the callback URL is set. No signature on this GET. */
whatsappWebhook.get("/", async (c) => {
	const expected = settingsOf(c.env).get("WHATSAPP_VERIFY_TOKEN");
	const mode = c.req.query("hub.mode");
	const token = c.req.query("hub.verify_token") ?? "";
	const challenge = c.req.query("hub.challenge") ?? "";
	if (mode !== "subscribe" || !(await secretEquals(token, expected))) {
		log.warn("webhook.verify_refused", { mode: mode ?? null });
		throw new Problem(403, "verification-failed", "Verification failed", "Wrong mode or token.");
	}
	return c.text(challenge, 200);
});

/**
 * Inbound messages and delivery statuses. Answers 200 only once every resident's Conversation
 * has durably recorded its share; otherwise 503 so that Meta redelivers (objects dedupe by id).
 */
whatsappWebhook.post("/", capBody(MAX_WEBHOOK_BYTES), async (c) => {
	const secret = settingsOf(c.env).get("WHATSAPP_APP_SECRET");
	const body = new Uint8Array(await c.req.arrayBuffer());
	if (!(await verifySignature(secret, body, c.req.header("x-hub-signature-256")))) {
		log.warn("webhook.bad_signature", { bytes: body.byteLength });
		throw new Problem(
			401,
			"invalid-signature",
			"Invalid signature",
			"X-Hub-Signature-256 does not match the body.",
		);
	}

	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(body));
	} catch {
		throw new Problem(400, "invalid-json", "Invalid JSON", "The signed body is not JSON.");
	}

	const ownNumber = settingsOf(c.env).get("WHATSAPP_PHONE_NUMBER_ID");
	const delivery = parseDelivery(json, Date.now());
	for (const skipped of delivery.skipped) {
		log.info("webhook.skipped", { reason: skipped.reason, id: skipped.id });
	}
	for (const error of delivery.accountErrors) {
		log.warn("webhook.account_error", { code: error.code, title: error.title });
	}
	for (const error of delivery.messageErrors) {
		log.warn("webhook.message_error", { id: error.id, code: error.code, title: error.title });
	}
	for (const alert of delivery.alerts) {
		log.error("webhook.account_alert", { field: alert.field, alert: alert.event });
	}
	await recordAccountAlerts(c.env.DB, delivery.alerts, Date.now());

	const ours = delivery.batches.filter((batch) => {
		if (batch.businessId === ownNumber) return true;
		// Another business number on the same app: not this office's to answer.
		log.warn("webhook.other_number", {
			number: maskId(batch.businessId),
			messages: batch.messages.length,
			statuses: batch.statuses.length,
		});
		return false;
	});
	const batches = await Promise.all(
		ours.flatMap(forConversation).map((batch) => withKnownPhone(c.env.DB, batch)),
	);
	const results = await Promise.allSettled(batches.map((batch) => handOver(c.env, batch)));
	const failed = results.flatMap((result, index) =>
		result.status === "rejected" ? [{ batch: batches[index], error: result.reason }] : [],
	);
	for (const { batch, error } of failed) {
		log.error("webhook.handoff_failed", {
			resident: batch ? maskId(batch.residentId) : null,
			error: error instanceof Error ? error.message : String(error),
		});
	}
	if (failed.length > 0) {
		throw new Problem(503, "handoff-failed", "Try again", "Some messages could not be recorded.", {
			headers: { "retry-after": "5" },
		});
	}
	let accepted = 0;
	for (const result of results)
		if (result.status === "fulfilled") accepted += result.value.accepted;
	return c.json({ received: accepted });
});

/**
 * A batch without what its Conversation must see: statuses that need no action (the ticks of the
 * bot's ordinary replies) are acknowledged here, and a batch left with nothing goes nowhere.
 */
function forConversation(batch: InboundBatch): InboundBatch[] {
	const statuses = batch.statuses.filter(statusNeedsConversation);
	if (batch.messages.length === 0 && statuses.length === 0 && batch.newResidentId === undefined) {
		return [];
	}
	return [statuses.length === batch.statuses.length ? batch : { ...batch, statuses }];
}

/**
 * Gives a resident's Conversation its share, then, when Meta said the resident changed number,
 * moves the conversation to the new one (after the receive, so nothing recorded is left behind).
 */
async function handOver(env: Env, batch: InboundBatch): Promise<ReceiveResult> {
	const stub = conversationFor(env, batch.businessId, batch.residentId);
	const result = await stub.receive(batch);
	if (batch.newResidentId !== undefined) await stub.moveTo(batch.newResidentId);
	return result;
}

/**
 * A batch from a resident known here only by a user id (no `from`) goes to the conversation of the
 * phone number that id was linked to, if any. The only D1 read of the path, and only for those.
 */
async function withKnownPhone(db: D1Database, batch: InboundBatch): Promise<InboundBatch> {
	if (batch.userId === undefined || batch.userId !== batch.residentId) return batch;
	const phone = await phoneOfUser(db, batch.businessId, batch.userId);
	return phone === undefined ? batch : { ...batch, residentId: phone };
}
