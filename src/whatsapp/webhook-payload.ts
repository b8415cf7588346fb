import { z } from "zod";
import type { ChannelError, DeliveryState, DeliveryStatus, InboundBatch } from "../channel/events";
import { type AccountAlert, accountAlertOf } from "./account-events";
import { TRACK_DELIVERY } from "./outbound-messages";
import {
	errorSchema,
	messageSchema,
	toChannelError,
	toInboundMessage,
	unixSeconds,
	type WireMessage,
} from "./wire-message";

/**
 * Meta's webhook envelope, parsed layer by layer with `safeParse`, so that one malformed or
 * unknown item is skipped without losing the others in a batch. Unknown fields are dropped.
 */

const statusSchema = z.object({
	id: z.string().min(1),
	status: z.string(),
	timestamp: unixSeconds,
	recipient_id: z.string().min(1).optional(),
	recipient_user_id: z.string().min(1).optional(),
	biz_opaque_callback_data: z.string().optional(),
	errors: z.array(errorSchema).optional(),
});
type WireStatus = z.infer<typeof statusSchema>;

const contactSchema = z.object({
	wa_id: z.string().optional(),
	user_id: z.string().optional(),
	profile: z.object({ name: z.string().optional() }).optional(),
});

const changeSchema = z.object({
	field: z.string(),
	value: z.object({
		metadata: z.object({ phone_number_id: z.string().min(1) }),
		contacts: z.array(z.unknown()).optional(),
		messages: z.array(z.unknown()).optional(),
		statuses: z.array(z.unknown()).optional(),
		errors: z.array(z.unknown()).optional(),
	}),
});

const envelopeSchema = z.object({
	object: z.string(),
	entry: z.array(
		z.object({ id: z.string().default(""), changes: z.array(z.unknown()).default([]) }),
	),
});

/** Something in the delivery that was deliberately not handed on, with why (for logs). */
export interface Skipped {
	reason:
		| "not_whatsapp"
		| "bad_envelope"
		| "other_field"
		| "bad_change"
		| "bad_item"
		| "no_sender"
		| "too_old"
		| "silent";
	/** The message or status id when there is one; never personal data. */
	id?: string;
}

export interface ParsedDelivery {
	/** One batch per resident, in the order residents first appear. */
	batches: InboundBatch[];
	/** Errors Meta reported without a message (`value.errors`): logged, nothing to deliver. */
	accountErrors: ChannelError[];
	/** Errors Meta reported on a resident's message (`messages[].errors`), for the logs. */
	messageErrors: (ChannelError & { id: string })[];
	/** Bans, restrictions and quality changes of the office's account: stored and shown to admins. */
	alerts: AccountAlert[];
	skipped: Skipped[];
}

/** Meta redelivers for up to 7 days: anything older is a replay, not a late delivery. */
export const REPLAY_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Turns a verified webhook body into per-resident batches of channel-neutral events.
 * Never throws: what cannot be understood is listed in `skipped`.
 */
export function parseDelivery(body: unknown, now: number): ParsedDelivery {
	const result: ParsedDelivery = {
		batches: [],
		accountErrors: [],
		messageErrors: [],
		alerts: [],
		skipped: [],
	};
	const envelope = envelopeSchema.safeParse(body);
	if (!envelope.success) {
		result.skipped.push({ reason: "bad_envelope" });
		return result;
	}
	if (envelope.data.object !== "whatsapp_business_account") {
		result.skipped.push({ reason: "not_whatsapp" });
		return result;
	}
	const byResident = new Map<string, InboundBatch>();
	const batchFor = (businessId: string, residentId: string): InboundBatch => {
		const key = `${businessId}:${residentId}`;
		let batch = byResident.get(key);
		if (batch === undefined) {
			batch = { channel: "whatsapp", businessId, residentId, messages: [], statuses: [] };
			byResident.set(key, batch);
		}
		return batch;
	};

	for (const entry of envelope.data.entry) {
		for (const rawChange of entry.changes) {
			const alert = accountAlertOf(entry.id, rawChange);
			if (alert !== undefined) {
				result.alerts.push(alert);
				continue;
			}
			const change = changeSchema.safeParse(rawChange);
			if (!change.success) {
				const field = (rawChange as { field?: unknown } | null)?.field;
				result.skipped.push({ reason: field === "messages" ? "bad_change" : "other_field" });
				continue;
			}
			if (change.data.field !== "messages") {
				result.skipped.push({ reason: "other_field" });
				continue;
			}
			const value = change.data.value;
			const businessId = value.metadata.phone_number_id;
			const names = profileNames(value.contacts ?? []);

			for (const raw of value.messages ?? []) {
				const parsed = messageSchema.safeParse(raw);
				if (!parsed.success) {
					result.skipped.push({ reason: "bad_item", id: idOf(raw) });
					continue;
				}
				const message = parsed.data;
				for (const error of message.errors ?? []) {
					result.messageErrors.push({ id: message.id, ...toChannelError(error) });
				}
				const residentId = message.from ?? message.from_user_id;
				if (residentId === undefined) {
					result.skipped.push({ reason: "no_sender", id: message.id });
					continue;
				}
				if (isSilent(message)) {
					result.skipped.push({ reason: "silent", id: message.id });
					continue;
				}
				const sentAt = message.timestamp * 1000;
				if (now - sentAt > REPLAY_HORIZON_MS) {
					result.skipped.push({ reason: "too_old", id: message.id });
					continue;
				}
				const batch = batchFor(businessId, residentId);
				const name = names.get(residentId);
				if (name !== undefined) batch.profileName = name;
				if (message.from_user_id !== undefined) batch.userId = message.from_user_id;
				const newNumber = changedNumberOf(message);
				if (newNumber !== undefined) {
					batch.newResidentId = newNumber;
					continue;
				}
				batch.messages.push(toInboundMessage(message, sentAt));
			}

			for (const raw of value.statuses ?? []) {
				const parsed = statusSchema.safeParse(raw);
				if (!parsed.success) {
					result.skipped.push({ reason: "bad_item", id: idOf(raw) });
					continue;
				}
				const status = parsed.data;
				const residentId = status.recipient_id ?? status.recipient_user_id;
				if (residentId === undefined) {
					result.skipped.push({ reason: "no_sender", id: status.id });
					continue;
				}
				const at = status.timestamp * 1000;
				if (now - at > REPLAY_HORIZON_MS) {
					result.skipped.push({ reason: "too_old", id: status.id });
					continue;
				}
				batchFor(businessId, residentId).statuses.push(toDeliveryStatus(status, at));
			}

			for (const raw of value.errors ?? []) {
				const parsed = errorSchema.safeParse(raw);
				if (parsed.success) result.accountErrors.push(toChannelError(parsed.data));
				else result.skipped.push({ reason: "bad_item" });
			}
		}
	}
	result.batches = [...byResident.values()];
	return result;
}

/**
 * Events that call for no answer: a reaction (added or removed), an edit and a revoke (Meta sends
 * these as their own types, or as `unsupported` with that type). An edit is ignored, not taken as
 * a new answer: the dialogue has moved on since the original, and a silent change would surprise.
 * A system notice other than a number change (such as `user_identity_changed`, the resident's
 * security code changed) is WhatsApp speaking, not the resident: no answer, and it must not
 * open the 24-hour window, which only the resident's own messages do.
 */
function isSilent(message: WireMessage): boolean {
	if (SILENT_TYPES.has(message.type)) return true;
	if (message.type === "system") return changedNumberOf(message) === undefined;
	return message.type === "unsupported" && SILENT_TYPES.has(message.unsupported?.type ?? "");
}
const SILENT_TYPES = new Set(["reaction", "edit", "revoke"]);

/**
 * Meta's notices of a number change: `user_changed_number` with `wa_id` today,
 * `customer_changed_number` with `new_wa_id` in the older (still documented by BSPs) shape.
 */
const NUMBER_CHANGES = new Set(["user_changed_number", "customer_changed_number"]);

/** The resident's new number when the message is Meta's notice of a number change. */
function changedNumberOf(message: WireMessage): string | undefined {
	if (message.type !== "system" || !NUMBER_CHANGES.has(message.system?.type ?? "")) {
		return undefined;
	}
	return message.system?.wa_id ?? message.system?.new_wa_id;
}

function idOf(raw: unknown): string | undefined {
	const id = (raw as { id?: unknown } | null)?.id;
	return typeof id === "string" ? id : undefined;
}

function profileNames(contacts: unknown[]): Map<string, string> {
	const names = new Map<string, string>();
	for (const raw of contacts) {
		const contact = contactSchema.safeParse(raw);
		if (!contact.success) continue;
		const name = contact.data.profile?.name;
		if (name === undefined) continue;
		for (const id of [contact.data.wa_id, contact.data.user_id]) {
			if (id !== undefined) names.set(id, name);
		}
	}
	return names;
}

const KNOWN_STATES: readonly DeliveryState[] = ["sent", "delivered", "read", "failed"];

function toDeliveryStatus(status: WireStatus, at: number): DeliveryStatus {
	const state = (KNOWN_STATES as readonly string[]).includes(status.status)
		? (status.status as DeliveryState)
		: "other";
	return {
		messageId: status.id,
		state,
		at,
		errors: (status.errors ?? []).map(toChannelError),
		tracked: status.biz_opaque_callback_data === TRACK_DELIVERY,
	};
}
