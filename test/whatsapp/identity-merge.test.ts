/**
 * One resident, one identity (issue 17): a user id (BSUID) that wrote alone first, and later
 * together with a phone number, is merged into the phone's conversation; after a number change,
 * replies still queued for the old number reach the new one. Key deliveries are raw fixtures
 * under test/fixtures/whatsapp/ in Meta's shapes.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { InboundBatch } from "../../src/channel/events";
import type { Conversation } from "../../src/conversation/conversation";
import type { Work } from "../../src/conversation/work/context";
import type { Adoption } from "../../src/conversation/work/move";
import { parseDelivery } from "../../src/whatsapp/webhook-payload";
import type { SentMessage } from "../fake-graph";
import bsuidListReply from "../fixtures/whatsapp/bsuid-only-list-reply.json?raw";
import bsuidOnly from "../fixtures/whatsapp/bsuid-only-text.json?raw";
import phoneAndBsuidLink from "../fixtures/whatsapp/phone-and-bsuid-link.json?raw";
import userChangedNumber from "../fixtures/whatsapp/user-changed-number.json?raw";
import {
	Resident,
	requestRows,
	sendFile,
	texts,
	type WireMessage,
	wire,
	withResidents,
} from "../helpers/resident";
import {
	conversation,
	freshen,
	PHONE_NUMBER_ID,
	postWebhook,
	windowClosedFor,
} from "../helpers/webhook";

const residents = withResidents("62814");

/** Posts a fixture (timestamps moved to now) and expects Meta's delivery to be acknowledged. */
async function deliver(raw: string): Promise<void> {
	const res = await postWebhook(freshen(raw));
	expect(res.status).toBe(200);
}

/** A resident without a phone number: messages carry `from_user_id` only, as in the fixtures. */
class UserIdResident extends Resident {
	override delivery(messages: WireMessage[]): { body: string; ids: string[] } {
		const { body, ids } = super.delivery(messages);
		const parsed = JSON.parse(body) as {
			entry: {
				changes: { value: { contacts: unknown[]; messages: Record<string, unknown>[] } }[];
			}[];
		};
		for (const entry of parsed.entry) {
			for (const { value } of entry.changes) {
				value.contacts = [
					{ profile: { name: "Sheena Nelson", username: "@sheena" }, user_id: this.id },
				];
				for (const message of value.messages) {
					delete message.from;
					message.from_user_id = this.id;
				}
			}
		}
		return { body: JSON.stringify(parsed), ids };
	}
}

/** Every reply went to `address` in the field Meta expects for it (`recipient` for a user id). */
function expectAddressed(replies: SentMessage[], field: "to" | "recipient", address: string) {
	expect(replies.length).toBeGreaterThan(0);
	for (const reply of replies) {
		expect(reply.body[field]).toBe(address);
		expect(reply.body[field === "to" ? "recipient" : "to"]).toBeUndefined();
	}
}

async function kvOf(residentId: string): Promise<Record<string, string>> {
	return runInDurableObject(conversation(residentId), (_i, state) =>
		Object.fromEntries(
			state.storage.sql
				.exec<{ key: string; value: string }>("SELECT key, value FROM kv")
				.toArray()
				.map((row) => [row.key, row.value]),
		),
	);
}

async function eventCount(kind: string): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM resident_events WHERE kind = ?")
		.bind(kind)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

describe("a user id that wrote alone, later linked to a phone number", () => {
	it("merges its conversation into the phone's: draft, language, queued reply and requests", async () => {
		const userId = "US.13491208655302741920";
		const phone = "6281300000010";
		const u = new UserIdResident(userId, residents.graph);

		// Without a phone number: a request submitted, then a second draft in English.
		await deliver(bsuidOnly.replaceAll("US.13491208655302741918", userId));
		await u.settle();
		const legalisir = u.options().find((o) => o.title.includes("Legalisir"));
		expect(legalisir).toBeDefined();
		await deliver(
			bsuidListReply
				.replace("ROW_ID", legalisir?.id ?? "")
				.replace("ROW_TITLE", legalisir?.title ?? ""),
		);
		await u.settle();
		await u.say("1674015203900001");
		await u.say("Sheena Nelson");
		await u.tap("Prabumulih Barat");
		await u.tap("Gunung Kemala");
		await sendFile(u, "pdf");
		await u.tap("Lanjut");
		const ticket = /[A-Z]+-\d{6}-\d{4}/.exec(texts(await u.tap("Kirim")))?.[0];
		expect(ticket).toBeDefined();
		await u.say("Halo");
		await u.tap("Legalisir");
		// English from here; the answer cannot be sent just now: it is still queued when the link comes.
		residents.graph.fail("messages", { kind: "http", status: 429, retryAfter: 30 });
		expect(await u.say("english")).toEqual([]);
		expectAddressed(u.sent(), "recipient", userId);
		expect(await requestRows(userId)).toHaveLength(1);

		// The same person writes with phone and user id: the NIK for the draft.
		const p = new Resident(phone, residents.graph);
		await deliver(phoneAndBsuidLink);
		await p.settle();
		const replies = p.replies();
		expectAddressed(replies, "to", phone);
		// The queued answer (once: the language, the NIK prompt), then the draft goes on: the name.
		expect(texts(replies).match(/continue in English/g)).toHaveLength(1);
		expect(texts(replies).match(/Type your \*NIK\*/g)).toHaveLength(1);
		expect(texts(replies)).toContain("Type your *full name*");
		expect(texts(replies).indexOf("*NIK*")).toBeLessThan(texts(replies).indexOf("*full name*"));
		await u.settle(); // the user id's conversation has nothing left to say
		expect(u.replies()).toEqual([]);

		// D1: the request is the phone's now, and the merge is an event without numbers.
		expect(await requestRows(userId)).toEqual([]);
		const [request] = await requestRows(phone);
		expect(request).toMatchObject({ ticket, resident_id: phone, resident_phone: phone });
		expect(await eventCount("identity_merged")).toBe(1);
		const event = await env.DB.prepare(
			"SELECT detail FROM resident_events WHERE kind = 'identity_merged'",
		).first<{ detail: string }>();
		expect(JSON.parse(event?.detail ?? "{}")).toEqual({ requests: 1 });
		const old = await kvOf(userId);
		expect(old.moved_to).toBe(phone);
		expect(old.state).toBeUndefined();
		const merged = await kvOf(phone);
		expect(merged.user_id).toBe(userId);
		expect(JSON.parse(merged.identity ?? "{}")).toEqual({
			channel: "whatsapp",
			businessId: PHONE_NUMBER_ID,
			residentId: phone,
			profileName: "Sheena Nelson",
		});
		expect(JSON.parse(merged.state ?? "{}")).toMatchObject({ lang: "en" });

		// Meta redelivers the linking message: nothing moves or is said again.
		await deliver(phoneAndBsuidLink);
		await p.settle();
		await u.settle();
		expect(p.replies()).toEqual([]);
		expect(u.replies()).toEqual([]);
		expect(await eventCount("identity_merged")).toBe(1);

		// Whichever address the resident writes from, it is one conversation that knows the request.
		expect(texts(await p.say("status"))).toContain(ticket);
		await deliver(
			bsuidOnly
				.replaceAll("US.13491208655302741918", userId)
				.replace("wamid.BSUID0001", "wamid.BSUID0003")
				.replace('"body":"Halo"', '"body":"status"'),
		);
		await p.settle();
		const statusReplies = p.replies();
		expectAddressed(statusReplies, "to", phone);
		expect(texts(statusReplies)).toContain(ticket);
		expect(u.replies()).toEqual([]);
	});

	it("links a user id that never wrote alone without moving anything", async () => {
		const p = new Resident("6281400000099", residents.graph);
		const before = await eventCount("identity_merged");
		await deliver(
			phoneAndBsuidLink
				.replaceAll("6281300000010", p.id)
				.replaceAll("US.13491208655302741920", "US.13491208655302741921")
				.replace('"body":"1674015203900001"', '"body":"Halo"'),
		);
		await p.settle();
		expectAddressed(p.replies(), "to", p.id);
		expect(await eventCount("identity_merged")).toBe(before);
	});
});

/** After a move: the old number is told nothing, and the new one is asked for the NIK once. */
async function nikAskedOnceAt(moved: string, old: Resident): Promise<Resident> {
	const next = new Resident(moved, residents.graph);
	await next.settle();
	await old.settle();
	expect(old.replies()).toEqual([]);
	const replies = next.replies();
	expectAddressed(replies, "to", moved);
	expect(texts(replies).match(/Ketik \*NIK\*/g)).toHaveLength(1);
	return next;
}

describe("number changes", () => {
	it("delivers replies the old number still had queued to the new number, once", async () => {
		const old = residents.resident();
		const moved = `${old.id.slice(0, -1)}9`;
		await old.say("Halo");
		residents.graph.fail("messages", { kind: "http", status: 429, retryAfter: 30 });
		expect(await old.tap("Legalisir")).toEqual([]); // the NIK prompt waits for a retry

		const notice = userChangedNumber
			.replaceAll("6281300000007", old.id)
			.replaceAll("6281300000008", moved);
		await deliver(notice);
		const next = await nikAskedOnceAt(moved, old);
		expect((await old.outbox()).filter((row) => row.state !== "sent")).toEqual([]);

		// Meta redelivers the notice: the reply is not sent again, to either number.
		await deliver(notice);
		await next.settle();
		await old.settle();
		expect(next.replies()).toEqual([]);
		expect(old.replies()).toEqual([]);
		expect(texts(await next.say("1674015203900001"))).toContain("*nama lengkap*");
	});

	it("never nudges the old number when a reply it got fails afterwards for the closed window", async () => {
		const old = residents.resident();
		const moved = `${old.id.slice(0, -1)}7`;
		await old.say("Halo");
		const greeting = old.sent()[0];
		await deliver(
			userChangedNumber.replaceAll("6281300000007", old.id).replaceAll("6281300000008", moved),
		);
		await old.settle();
		old.replies();
		// The old number may be someone else's by now: no template goes there, nothing waits.
		expect((await postWebhook(windowClosedFor(old, greeting?.id ?? ""))).status).toBe(200);
		await old.settle();
		expect(old.replies()).toEqual([]);
		expect((await old.outbox()).filter((row) => row.state === "waiting")).toEqual([]);
	});

	it("takes a handover only after the run in progress, so a step cannot save over it", async () => {
		const resident = residents.resident();
		await resident.say("Halo");
		const adoption: Adoption = {
			from: `6281498${resident.id.slice(-5)}`,
			businessId: PHONE_NUMBER_ID,
			residentId: resident.id,
			outbox: [],
			jobs: [],
			inbox: [],
		};
		await runInDurableObject(conversation(resident.id), async (instance, state) => {
			const adoptedFrom = () =>
				state.storage.sql
					.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'adopted_from'")
					.toArray()[0]?.value;
			// A run in progress: the object's chain of runs waits on it.
			let finish: () => void = () => undefined;
			const inProgress = new Promise<void>((resolve) => {
				finish = resolve;
			});
			const chain = instance as unknown as { draining: Promise<void> };
			chain.draining = chain.draining.then(() => inProgress);
			const adopting = instance.adopt(adoption);
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(adoptedFrom()).toBeUndefined();
			finish();
			expect(await adopting).toBe(true);
			expect(JSON.parse(adoptedFrom() ?? "[]")).toEqual([adoption.from]);
			// The same handover again takes nothing.
			expect(await instance.adopt(adoption)).toBe(false);
		});
	});

	it("hands the new number a message the old one received while the move was out, once", async () => {
		const old = residents.resident();
		// A number no other test moves to (the others change the last digit to 9).
		const moved = `6281499${old.id.slice(-5)}`;
		await old.say("Halo");
		// "8" (Legalisir), typed on the old number while the new conversation takes the dialogue over.
		const [typed] = parseDelivery(
			JSON.parse(old.delivery([wire.text("8")]).body),
			Date.now(),
		).batches;
		expect(typed?.messages).toHaveLength(1);
		await runInDurableObject(conversation(old.id), async (instance) => {
			const work = (instance as unknown as { work: Work }).work;
			const namespace = work.env.CONVERSATIONS;
			const getByName = namespace.getByName.bind(namespace);
			let adopting: () => void = () => undefined;
			const adoptStarted = new Promise<void>((resolve) => {
				adopting = resolve;
			});
			let release: () => void = () => undefined;
			const released = new Promise<void>((resolve) => {
				release = resolve;
			});
			// The handover waits until the message below is in; everything else goes through.
			namespace.getByName = (name: string) => {
				const stub = getByName(name);
				return {
					adopt: async (adoption: Adoption) => {
						adopting();
						await released;
						return stub.adopt(adoption);
					},
					receive: (batch: InboundBatch) => stub.receive(batch),
				} as unknown as DurableObjectStub<Conversation>;
			};
			try {
				const moving = instance.moveTo(moved);
				await adoptStarted;
				if (typed === undefined) throw new Error("no batch");
				expect(await instance.receive(typed)).toMatchObject({ accepted: 1 });
				release();
				await moving;
			} finally {
				namespace.getByName = getByName;
			}
		});
		// The draft moved at the service question; the "8" chose Legalisir there, once.
		const next = await nikAskedOnceAt(moved, old);
		expect(texts(await next.say("1674015203900001"))).toContain("*nama lengkap*");
	});
});
