/**
 * Real WhatsApp traffic the service must not answer, or must answer differently (issue 17):
 * silent events, other business numbers, account alerts, residents known only by a user id.
 * Every delivery is a raw fixture under test/fixtures/whatsapp/, sent byte for byte.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { Conversation } from "../../src/conversation/conversation";
import { parseDelivery } from "../../src/whatsapp/webhook-payload";
import accountBan from "../fixtures/whatsapp/account-update-ban.json?raw";
import accountRestriction from "../fixtures/whatsapp/account-update-restriction.json?raw";
import accountVerified from "../fixtures/whatsapp/account-update-verified.json?raw";
import bsuidOnly from "../fixtures/whatsapp/bsuid-only-text.json?raw";
import customerChangedNumber from "../fixtures/whatsapp/customer-changed-number.json?raw";
import edit from "../fixtures/whatsapp/edit.json?raw";
import f8UnsupportedEdit from "../fixtures/whatsapp/f8-unsupported.json?raw";
import otherNumber from "../fixtures/whatsapp/other-number.json?raw";
import phoneAndBsuid from "../fixtures/whatsapp/phone-and-bsuid-text.json?raw";
import qualityFlagged from "../fixtures/whatsapp/phone-number-quality-flagged.json?raw";
import reactionAdded from "../fixtures/whatsapp/reaction-added.json?raw";
import reactionRemoved from "../fixtures/whatsapp/reaction-removed.json?raw";
import revoke from "../fixtures/whatsapp/revoke.json?raw";
import userChangedNumber from "../fixtures/whatsapp/user-changed-number.json?raw";
import userIdentityChanged from "../fixtures/whatsapp/user-identity-changed.json?raw";
import {
	fillDetails,
	Resident,
	requestRows,
	sendFile,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";
import { conversation, freshen, inboxOf, postWebhook } from "../helpers/webhook";

const residents = withResidents("62813");

/** Posts a fixture (timestamps moved to now) and expects Meta's delivery to be acknowledged. */
async function deliver(raw: string): Promise<void> {
	const res = await postWebhook(freshen(raw));
	expect(res.status).toBe(200);
}

describe("silent events", () => {
	const cases: [string, string, string][] = [
		["a removed reaction (empty emoji)", reactionRemoved, "6281300000001"],
		["an added reaction", reactionAdded, "6281300000002"],
		["a revoke", revoke, "6281300000003"],
		["an edit", edit, "6281300000004"],
		["an edit delivered as unsupported (Meta's example)", f8UnsupportedEdit, "16505551234"],
		["WhatsApp's notice that the security code changed", userIdentityChanged, "6281300000006"],
	];
	for (const [what, fixture, residentId] of cases) {
		it(`answers nothing to ${what} and records nothing`, async () => {
			await deliver(fixture);
			expect(residents.graph.sent.filter((m) => m.to === residentId)).toEqual([]);
			expect(await inboxOf(residentId)).toEqual([]);
		});
	}

	it("says nothing to a reaction in the middle of a dialogue and keeps its place", async () => {
		const r = residents.resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		const silent = await r.send({
			type: "reaction",
			reaction: { message_id: "wamid.X", emoji: "👍" },
		});
		expect(silent).toEqual([]);
		const next = await r.say("1234");
		expect(texts(next)).toContain("16 angka");
	});

	it("says nothing to a system notice mid-dialogue, and it does not move the 24-hour window", async () => {
		const r = residents.resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		const before = (await r.savedState()).lastInboundAt;
		const silent = await r.send(
			{
				type: "system",
				system: { body: "Warga Uji's security code changed.", type: "user_identity_changed" },
			},
			{ type: "system", system: { body: "Something new from WhatsApp", type: "future_notice" } },
		);
		expect(silent).toEqual([]);
		expect((await r.savedState()).lastInboundAt).toBe(before);
		expect((await inboxOf(r.id)).length).toBe(2); // "Halo" and the tap only
	});
});

describe("the office's own number", () => {
	it("acknowledges a delivery for another business number and answers nothing", async () => {
		await deliver(otherNumber);
		expect(residents.graph.sent).toEqual([]);
		expect(await inboxOf("6281300000005", "999000111222333")).toEqual([]);
		expect(await inboxOf("6281300000005")).toEqual([]);
	});
});

describe("account alerts", () => {
	it("stores a ban, a restriction and a quality change once each, for admins only", async () => {
		for (const fixture of [accountBan, accountRestriction, qualityFlagged, accountVerified]) {
			await deliver(fixture);
			await deliver(fixture); // Meta's redelivery adds nothing.
		}
		const res = await api("GET", "/account/alerts");
		expect(res.status).toBe(200);
		const { items } = await res.json<{
			items: { field: string; event: string; accountId: string; detail: object }[];
		}>();
		expect(items.map((a) => `${a.field}:${a.event}`).sort()).toEqual([
			"account_update:ACCOUNT_RESTRICTION",
			"account_update:DISABLED_UPDATE",
			"phone_number_quality_update:FLAGGED",
		]);
		const ban = items.find((a) => a.event === "DISABLED_UPDATE");
		expect(ban?.accountId).toBe("102290129340398");
		expect(ban?.detail).toMatchObject({ ban_info: { waba_ban_state: ["DISABLE"] } });
		expect(residents.graph.sent).toEqual([]);

		const { token } = await createStaff("officer");
		expect((await api("GET", "/account/alerts", { token })).status).toBe(403);
		expect((await api("GET", "/account/alerts", { token: null })).status).toBe(401);
	});

	it("lists the route in the OpenAPI document", async () => {
		const doc = await (await api("GET", "/openapi.json", { token: null })).json<{
			paths: Record<string, unknown>;
		}>();
		expect(Object.keys(doc.paths)).toContain("/account/alerts");
	});
});

describe("residents known by a user id (BSUID)", () => {
	it("the fake Graph API refuses a user id in `to`, as Meta does, and takes it in `recipient`", async () => {
		const send = (address: Record<string, string>) =>
			fetch("https://graph.test/v25.0/106540352242922/messages", {
				method: "POST",
				headers: { authorization: "Bearer test_access_token", "content-type": "application/json" },
				body: JSON.stringify({
					messaging_product: "whatsapp",
					recipient_type: "individual",
					...address,
					type: "text",
					text: { body: "Halo" },
				}),
			});
		const refused = await send({ to: "US.13491208655302741918" });
		expect(refused.status).toBe(400);
		expect(JSON.stringify(await refused.json())).toContain("recipient");
		expect((await send({ recipient: "US.13491208655302741918" })).status).toBe(200);
		expect((await send({ recipient: "6281300000009" })).status).toBe(400);
		// What this test provoked on purpose is not a failure of the service.
		residents.graph.rejected.length = 0;
	});

	it("answers a resident without a phone number through `recipient`", async () => {
		const userId = "US.13491208655302741918";
		const r = new Resident(userId, residents.graph);
		await deliver(bsuidOnly);
		await r.settle();
		const replies = r.replies();
		expect(replies.length).toBeGreaterThan(0);
		for (const reply of replies) {
			expect(reply.body.recipient).toBe(userId);
			expect(reply.body.to).toBeUndefined();
		}
	});

	it("finds the phone's conversation when the same person later writes with the user id alone", async () => {
		const phone = "6281300000006";
		const userId = "US.13491208655302741919";
		const r = new Resident(phone, residents.graph);
		await deliver(phoneAndBsuid);
		await r.settle();
		expect(texts(r.replies())).not.toBe("");
		await r.tap("Legalisir");

		// The same person, now without a phone number: the NIK question continues.
		const later = bsuidOnly
			.replaceAll("US.13491208655302741918", userId)
			.replace("wamid.BSUID0001", "wamid.BSUID0002")
			.replace('"body":"Halo"', '"body":"1234"');
		await deliver(later);
		await r.settle();
		expect(texts(r.replies())).toContain("16 angka");
		expect(residents.graph.sent.filter((m) => m.to === userId)).toEqual([]);
		const inbox = await inboxOf(phone);
		expect(inbox.map((row) => row.message_id)).toContain("wamid.BSUID0002");
		expect(await inboxOf(userId)).toEqual([]);
		const linked = await env.DB.prepare("SELECT wa_id FROM resident_identities WHERE user_id = ?")
			.bind(userId)
			.first<{ wa_id: string }>();
		expect(linked?.wa_id).toBe(phone);
		const stored = await runInDurableObject(conversation(phone), (_i, state) =>
			state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'identity'")
				.one(),
		);
		expect(JSON.parse(stored.value)).toMatchObject({ residentId: phone });
	});
});

describe("number changes", () => {
	it("moves the dialogue, the requests and the notices to the new number, silently", async () => {
		const old = residents.resident();
		const moved = `${old.id.slice(0, -1)}9`;
		await fillDetails(old, { service: "Legalisir" });
		await sendFile(old, "pdf");
		await old.tap("Lanjut");
		const ticket = /[A-Z]+-\d{6}-\d{4}/.exec(texts(await old.tap("Kirim")))?.[0];
		expect(ticket).toBeDefined();
		await old.say("Halo");
		await old.tap("Legalisir"); // a second draft, waiting for the NIK

		await deliver(
			userChangedNumber.replaceAll("6281300000007", old.id).replaceAll("6281300000008", moved),
		);
		await old.settle();
		expect(old.replies()).toEqual([]);
		expect(residents.graph.sent.filter((m) => m.to === moved)).toEqual([]);

		expect(await requestRows(old.id)).toEqual([]);
		const [request] = await requestRows(moved);
		expect(request).toMatchObject({ ticket, resident_id: moved, resident_phone: moved });
		const event = await env.DB.prepare(
			"SELECT kind, detail FROM resident_events WHERE kind = 'number_changed' ORDER BY id DESC",
		).first<{ kind: string; detail: string }>();
		expect(JSON.parse(event?.detail ?? "{}")).toEqual({ requests: 1 });

		// Meta redelivers the notice: nothing moves twice.
		await deliver(
			userChangedNumber.replaceAll("6281300000007", old.id).replaceAll("6281300000008", moved),
		);
		const { count } = (await env.DB.prepare(
			"SELECT count(*) AS count FROM resident_events WHERE kind = 'number_changed'",
		).first<{ count: number }>()) ?? { count: 0 };
		expect(count).toBe(1);

		// The new number continues the draft where it was (the NIK question) and finds the request.
		const next = new Resident(moved, residents.graph);
		const afterNik = await next.say("1674015203900001");
		expect(texts(afterNik)).toMatch(/nama/i);
		expect(texts(await next.say("status"))).toContain(ticket);

		// Staff read the whole exchange about the request: the ticket's receipt, sent to the old
		// number, and the status asked from the new one, each once, oldest first.
		const transcript = async () => {
			const res = await api("GET", `/requests/${request?.id}/messages`);
			expect(res.status).toBe(200);
			return (
				await res.json<{ messages: { direction: string; text: string | null; at: number }[] }>()
			).messages;
		};
		const whole = await transcript();
		const receipts = whole.filter((m) => m.direction === "out" && m.text?.includes(`*${ticket}*`));
		expect(receipts.length).toBeGreaterThanOrEqual(2); // the receipt (old) and the status (new)
		expect(whole.some((m) => m.direction === "in" && m.text === "Kirim")).toBe(true);
		expect(whole.map((m) => m.at)).toEqual([...whole.map((m) => m.at)].sort((a, b) => a - b));
		expect(new Set(whole.map((m) => `${m.direction}${m.at}${m.text}`)).size).toBe(whole.length);

		// The old conversation failing to answer costs staff its part only, not the transcript.
		// (Only earlier conversations are asked for their part: the new one reads its own tables.)
		const failing = vi
			.spyOn(Conversation.prototype, "transcriptHere")
			.mockRejectedValue(new Error("storage unavailable"));
		const without = await transcript();
		expect(failing).toHaveBeenCalledTimes(1);
		expect(without.length).toBeGreaterThan(0);
		expect(without.length).toBeLessThan(whole.length);
		expect(without.some((m) => m.direction === "in" && m.text === "Kirim")).toBe(false);
		failing.mockRestore();

		// The old conversation keeps none of the request's messages past 30 quiet days: the new
		// one's transcript and the retention purge never come here. The request's files stay.
		const rows = async () =>
			runInDurableObject(
				old.stub,
				(_i, state) =>
					state.storage.sql
						.exec<{ n: number }>(
							"SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox) AS n",
						)
						.one().n,
			);
		expect(await rows()).toBeGreaterThan(0);
		await old.quietFor(31 * 24 * 60 * 60 * 1000);
		await runDurableObjectAlarm(old.stub);
		expect(await rows()).toBe(0);
		expect((await env.FILES.list({ prefix: `requests/${request?.id}/` })).objects.length).toBe(1);
		// The old conversation swept, staff read what the new one keeps.
		expect((await transcript()).length).toBeLessThan(whole.length);

		// The resident changes back: each conversation is read once, and the call ends.
		await deliver(
			userChangedNumber.replaceAll("6281300000007", moved).replaceAll("6281300000008", old.id),
		);
		await next.settle();
		expect((await transcript()).length).toBeGreaterThan(0);
	});

	it("understands the older shape of the notice (customer_changed_number, new_wa_id)", async () => {
		const old = residents.resident();
		const moved = "6281300000998";
		await old.say("Halo");
		await old.tap("Legalisir");
		await deliver(
			customerChangedNumber.replaceAll("6281300000009", old.id).replaceAll("6281300000010", moved),
		);
		await old.settle();
		expect(old.replies()).toEqual([]);
		// The new number continues the draft at the NIK question.
		const next = new Resident(moved, residents.graph);
		expect(texts(await next.say("1674015203900001"))).toMatch(/nama/i);
	});
});

describe("errors on a resident's message", () => {
	it("names Meta's code for the logs and tells the dialogue which file problem it was", () => {
		const r = residents.resident();
		const parsed = parseDelivery(
			JSON.parse(r.delivery([wire.fileError(131052), wire.fileError(131053, "image")]).body),
			Date.now(),
		);
		expect(parsed.messageErrors.map((error) => error.code)).toEqual([131052, 131053]);
		expect(parsed.batches[0]?.messages.map((message) => message.content)).toEqual([
			{ kind: "unsupported", detail: "unknown", problem: "too_large" },
			{ kind: "unsupported", detail: "image", problem: "not_received" },
		]);
		// Meta's unsupported type (131051) stays what it was: no file problem.
		const f8 = parseDelivery(JSON.parse(freshen(f8UnsupportedEdit)), Date.now());
		expect(f8.messageErrors.map((error) => error.code)).toEqual([131051]);
	});
});
