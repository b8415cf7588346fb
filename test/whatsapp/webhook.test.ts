import {
	createExecutionContext,
	listDurableObjectIds,
	runDurableObjectAlarm,
	runInDurableObject,
} from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../src/index";
import { signBody, verifySignature } from "../../src/whatsapp/signature";
import { FakeGraph } from "../fake-graph";
import f1 from "../fixtures/whatsapp/f1-text-signed.json?raw";
import f2 from "../fixtures/whatsapp/f2-image.json?raw";
import f3 from "../fixtures/whatsapp/f3-document.json?raw";
import f4 from "../fixtures/whatsapp/f4-list-reply.json?raw";
import f5 from "../fixtures/whatsapp/f5-status-delivered.json?raw";
import f6 from "../fixtures/whatsapp/f6-status-failed-131047.json?raw";
import f7 from "../fixtures/whatsapp/f7-batch.json?raw";
import f8 from "../fixtures/whatsapp/f8-unsupported.json?raw";
import {
	APP_SECRET,
	conversation,
	envelope,
	freshen,
	inboxOf,
	PHONE_NUMBER_ID,
	postWebhook,
	statusesOf,
	textDelivery,
} from "../helpers/webhook";

// Conversations answer in the background (their alarm is set for "now"): give them a Graph API.
let restoreFetch: () => void;
beforeAll(() => {
	restoreFetch = new FakeGraph().install();
});
afterAll(async () => {
	// Conversations answer in the background, and one whose sends failed retries later by alarm:
	// those alarms go before the fake Graph API does, so nothing runs (and logs) after this file.
	for (const id of await listDurableObjectIds(env.CONVERSATIONS)) {
		await runInDurableObject(env.CONVERSATIONS.get(id), (_i, state) => state.storage.deleteAlarm());
	}
	restoreFetch();
});

const F1_SIGNATURE = "sha256=3d191b9f3deaa4f8486be2eaa084101d32c8386ec79a12cbd1f09cc9969114bf";
const encoder = new TextEncoder();

/** Re-targets a fixture at another resident so tests never share a Conversation. */
function asResident(raw: string, residentId: string): string {
	return raw.replaceAll("16505551234", residentId);
}

describe("GET /webhooks/whatsapp (subscription handshake)", () => {
	const verify = (query: string) =>
		exports.default.fetch(`https://worker.test/webhooks/whatsapp?${query}`);

	it("echoes the challenge as plain text when mode and token match", async () => {
		const res = await verify(
			"hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=test_verify_token",
		);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
		expect(await res.text()).toBe("1158201444");
	});

	it("answers 403 problem+json for a wrong token or mode", async () => {
		for (const query of [
			"hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
			"hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=test_verify_token",
			"hub.challenge=1",
		]) {
			const res = await verify(query);
			expect(res.status).toBe(403);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			expect(await res.text()).not.toContain("1158201444");
		}
	});
});

describe("signature", () => {
	it("verifies the reference vector over the exact bytes (escaped unicode kept)", async () => {
		const bytes = encoder.encode(f1);
		expect(bytes.byteLength).toBe(434);
		expect(await verifySignature(APP_SECRET, bytes, F1_SIGNATURE)).toBe(true);
		expect(await signBody(APP_SECRET, bytes)).toBe(F1_SIGNATURE);
		const reserialised = encoder.encode(JSON.stringify(JSON.parse(f1)));
		expect(await verifySignature(APP_SECRET, reserialised, F1_SIGNATURE)).toBe(false);
	});

	it("accepts the reference delivery with Meta's own header", async () => {
		const res = await postWebhook(f1, { signature: F1_SIGNATURE });
		expect(res.status).toBe(200);
		// Its timestamp is from 2025: past the 7-day redelivery horizon, so it is not stored.
		expect(await inboxOf("16505551234")).toEqual([]);
	});

	it("rejects any single changed byte of the body", async () => {
		const bytes = encoder.encode(f1);
		for (let i = 0; i < bytes.length; i++) {
			const tampered = bytes.slice();
			tampered[i] = (tampered[i] ?? 0) ^ 0x01;
			expect(await verifySignature(APP_SECRET, tampered, F1_SIGNATURE)).toBe(false);
		}
	});

	it("rejects any single changed character of the header", async () => {
		for (let i = 0; i < F1_SIGNATURE.length; i++) {
			const c = F1_SIGNATURE[i];
			const swapped = i < "sha256=".length ? "x" : c === "0" ? "1" : "0";
			const header = F1_SIGNATURE.slice(0, i) + swapped + F1_SIGNATURE.slice(i + 1);
			expect(await verifySignature(APP_SECRET, encoder.encode(f1), header)).toBe(false);
		}
	});

	it("answers 401 and stores nothing for a tampered, missing or malformed signature", async () => {
		const resident = "6281100000001";
		const body = textDelivery(resident, [{ id: "wamid.SIG1", text: "Halo" }]);
		const good = await signBody(APP_SECRET, body);
		const tamperedBody = body.replace("Halo", "Hala");
		const cases: [string, string | null][] = [
			[tamperedBody, good],
			[body, `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`],
			[body, null],
			[body, "sha1=abc"],
			[body, `sha256=${"z".repeat(64)}`],
			[body, await signBody("another_secret", body)],
		];
		for (const [payload, signature] of cases) {
			const res = await postWebhook(payload, { signature });
			expect(res.status).toBe(401);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		expect(await inboxOf(resident)).toEqual([]);
	});
});

describe("POST /webhooks/whatsapp", () => {
	it("stores every kind of fixture message and answers 200", async () => {
		const cases: [string, string, string][] = [
			[f2, "6281200000002", '"kind":"media"'],
			[f3, "6281200000003", '"media":"document"'],
			[f4, "6281200000004", '"kind":"choice"'],
			// F8 is an edit, which is now left out (test/whatsapp/traffic.test.ts); as a poll it is stored.
			[
				f8.replace('"type":"edit"', '"type":"poll_creation"'),
				"6281200000008",
				'"kind":"unsupported"',
			],
		];
		for (const [fixture, resident, expected] of cases) {
			const res = await postWebhook(freshen(asResident(fixture, resident)));
			expect(res.status).toBe(200);
			const inbox = await inboxOf(resident);
			expect(inbox).toHaveLength(1);
			expect(inbox[0]?.event).toContain(expected);
		}
	});

	it("keeps the image's id, type and announced hash for the download", async () => {
		const resident = "6281200000012";
		await postWebhook(freshen(asResident(f2, resident)));
		const [row] = await inboxOf(resident);
		expect(JSON.parse(row?.event ?? "{}")).toEqual({
			kind: "media",
			media: "image",
			mediaId: "2754859441498128",
			mimeType: "image/jpeg",
			sha256: "gT8lqS2V1mWcJb3oQyR0n5x7Zc2kY9pA1sE4uF6hI8M=",
			caption: "Foto de mi cédula",
		});
	});

	it("keeps what staff need of a voice note, a video, a place and a contact card (Meta's own examples)", async () => {
		const resident = "6281200000013";
		// Sent "a minute from now": the object holds each message until it is a second old, so
		// none is handled (which keeps only a place's or a card's kind) before the inbox is read
		// here, however slow the machine.
		const now = String(Math.floor(Date.now() / 1000) + 60);
		const message = (id: string, rest: Record<string, unknown>) => ({
			from: resident,
			id,
			timestamp: now,
			...rest,
		});
		const body = envelope([
			{
				contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: resident }],
				messages: [
					message("wamid.K1", {
						type: "audio",
						audio: {
							mime_type: "audio/ogg; codecs=opus",
							sha256: "m04p",
							id: "1234567890987654321",
							voice: true,
						},
					}),
					message("wamid.K2", {
						type: "video",
						video: { caption: "caption", mime_type: "video/mp4", sha256: "Jh+2", id: "765756756" },
					}),
					message("wamid.K3", {
						type: "location",
						location: {
							latitude: 37.4611978,
							longitude: -122.2164385,
							name: "Facebook HQ",
							address: "1 Hacker Way, Menlo Park, CA 94025",
							url: "https://maps.google.com/?cid=1",
						},
					}),
					message("wamid.K4", {
						type: "contacts",
						contacts: [
							{
								name: {
									first_name: "Chandler",
									last_name: "Bing",
									formatted_name: "Chandler Bing",
								},
								phones: [{ phone: "+1 555-555-5555", wa_id: "972987654321", type: "CELL" }],
							},
						],
					}),
					// A place Meta described in a shape not known here still comes through, as its kind.
					message("wamid.K5", { type: "location", location: { latitude: "north" } }),
				],
			},
		]);
		expect((await postWebhook(body)).status).toBe(200);
		const events = (await inboxOf(resident)).map((row) => JSON.parse(row.event));
		expect(events).toEqual([
			{
				kind: "voice",
				mediaId: "1234567890987654321",
				mimeType: "audio/ogg; codecs=opus",
				sha256: "m04p",
			},
			{
				kind: "video",
				mediaId: "765756756",
				mimeType: "video/mp4",
				sha256: "Jh+2",
				caption: "caption",
			},
			{
				kind: "location",
				latitude: 37.4611978,
				longitude: -122.2164385,
				name: "Facebook HQ",
				address: "1 Hacker Way, Menlo Park, CA 94025",
			},
			{ kind: "contacts", cards: [{ name: "Chandler Bing", phones: ["+1 555-555-5555"] }] },
			{ kind: "location" },
		]);
		// Nothing of this test is left to run after it.
		await runInDurableObject(conversation(resident), (_instance, state) =>
			state.storage.deleteAlarm(),
		);
	});

	it("keeps a failure with its errors, even for a message it never sent, for 30 quiet days", async () => {
		const res = await postWebhook(freshen(asResident(f6, "6281300000006")));
		expect(res.status).toBe(200);
		const statuses = await statusesOf("6281300000006");
		expect(statuses.map((s) => s.state)).toEqual(["failed"]);
		expect(JSON.parse(statuses[0]?.errors ?? "[]")[0]).toMatchObject({ code: 131047 });
		// Its message id holds the number: the object's own sweep comes for it, and the number.
		const stub = conversation("6281300000006");
		await runInDurableObject(stub, (_i, state) => {
			state.storage.sql.exec(
				"UPDATE delivery_statuses SET received_at = received_at - ?",
				31 * 24 * 60 * 60 * 1000,
			);
		});
		expect(await runDurableObjectAlarm(stub)).toBe(true);
		expect(await statusesOf("6281300000006")).toEqual([]);
		const kept = await runInDurableObject(stub, (_i, state) =>
			state.storage.sql.exec("SELECT key FROM kv WHERE key <> 'schema_version'").toArray(),
		);
		expect(kept).toEqual([]);
	});

	it("acknowledges a delivered status of a message staff do not follow without keeping it", async () => {
		const res = await postWebhook(freshen(asResident(f5, "6281300000005")));
		expect(res.status).toBe(200);
		expect(await statusesOf("6281300000005")).toEqual([]);
	});

	it("stores both messages of a batch, in order", async () => {
		const resident = "6281400000007";
		const res = await postWebhook(freshen(asResident(f7, resident)));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ received: 2 });
		expect((await inboxOf(resident)).map((r) => r.message_id)).toEqual([
			"wamid.B0001",
			"wamid.B0002",
		]);
	});

	it("stores a delivery sent three times at once only once", async () => {
		const resident = "6281400000008";
		const body = textDelivery(resident, [
			{ id: "wamid.DUP1", text: "satu" },
			{ id: "wamid.DUP2", text: "dua" },
		]);
		const responses = await Promise.all([postWebhook(body), postWebhook(body), postWebhook(body)]);
		expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
		const received = await Promise.all(responses.map((r) => r.json<{ received: number }>()));
		expect(received.reduce((sum, r) => sum + r.received, 0)).toBe(2);
		expect((await inboxOf(resident)).map((r) => r.message_id)).toEqual([
			"wamid.DUP1",
			"wamid.DUP2",
		]);
	});

	it("stores a message repeated inside one delivery once", async () => {
		const resident = "6281400000009";
		const body = textDelivery(resident, [
			{ id: "wamid.SAME", text: "a" },
			{ id: "wamid.SAME", text: "a" },
		]);
		expect((await postWebhook(body)).status).toBe(200);
		expect(await inboxOf(resident)).toHaveLength(1);
	});

	it("routes each resident of a mixed delivery to their own conversation", async () => {
		const a = "6281500000001";
		const b = "6281500000002";
		const now = Math.floor(Date.now() / 1000);
		const message = (from: string, id: string) => ({
			from,
			id,
			timestamp: String(now),
			type: "text",
			text: { body: "hi" },
		});
		const body = envelope([
			{ messages: [message(a, "wamid.MIX1"), message(b, "wamid.MIX2")] },
			{ messages: [message(a, "wamid.MIX3")] },
		]);
		expect((await postWebhook(body)).status).toBe(200);
		expect((await inboxOf(a)).map((r) => r.message_id)).toEqual(["wamid.MIX1", "wamid.MIX3"]);
		expect((await inboxOf(b)).map((r) => r.message_id)).toEqual(["wamid.MIX2"]);
	});

	it("keys a username user without a phone number by their user id", async () => {
		const userId = "ID.13491208655302741918";
		const body = envelope([
			{
				contacts: [{ profile: { name: "Rina", username: "rina" }, user_id: userId }],
				messages: [
					{
						from_user_id: userId,
						id: "wamid.BSUID1",
						timestamp: String(Math.floor(Date.now() / 1000)),
						type: "text",
						text: { body: "halo" },
					},
				],
			},
		]);
		expect((await postWebhook(body)).status).toBe(200);
		expect(await inboxOf(userId)).toHaveLength(1);
	});

	it("answers 200 to unknown message types, fields and change kinds, and keeps the rest", async () => {
		const resident = "6281600000001";
		const now = String(Math.floor(Date.now() / 1000));
		const body = JSON.stringify({
			object: "whatsapp_business_account",
			new_top_level: true,
			entry: [
				{
					id: "1",
					changes: [
						{ field: "message_template_status_update", value: { event: "APPROVED" } },
						{ field: "account_update", value: { phone_number: "x" } },
						{
							field: "messages",
							value: {
								metadata: { phone_number_id: PHONE_NUMBER_ID, brand_new: 1 },
								messages: [
									{
										from: resident,
										id: "wamid.U1",
										timestamp: now,
										type: "hologram",
										hologram: {},
									},
									{
										from: resident,
										id: "wamid.U2",
										timestamp: now,
										type: "text",
										text: { body: "ok", extra: 1 },
										surprise: { nested: [1, 2] },
									},
									{ id: "wamid.U3", type: "text" },
									"not an object",
								],
								errors: [{ code: 0, title: "We were unable to authenticate the app user" }],
							},
						},
					],
				},
			],
		});
		const res = await postWebhook(body);
		expect(res.status).toBe(200);
		const inbox = await inboxOf(resident);
		expect(inbox.map((r) => r.message_id)).toEqual(["wamid.U1", "wamid.U2"]);
		expect(JSON.parse(inbox[0]?.event ?? "{}")).toEqual({
			kind: "unsupported",
			detail: "hologram",
		});
	});

	it("answers 200 to a delivery for another kind of object and stores nothing", async () => {
		const res = await postWebhook(JSON.stringify({ object: "page", entry: [] }));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ received: 0 });
	});

	it("ignores a message older than Meta's 7-day redelivery horizon", async () => {
		const resident = "6281700000001";
		const eightDaysAgo = Math.floor(Date.now() / 1000) - 8 * 24 * 3600;
		const body = textDelivery(resident, [
			{ id: "wamid.OLD", text: "lama", at: eightDaysAgo },
			{ id: "wamid.NEW", text: "baru" },
		]);
		expect((await postWebhook(body)).status).toBe(200);
		expect((await inboxOf(resident)).map((r) => r.message_id)).toEqual(["wamid.NEW"]);
	});

	it("answers 400 problem+json to a signed body that is not JSON", async () => {
		const res = await postWebhook("not json at all");
		expect(res.status).toBe(400);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
	});

	it("answers 413 to a body over 3 MB, declared or not", async () => {
		const big = "x".repeat(3 * 1024 * 1024 + 1);
		const res = await postWebhook(big);
		expect(res.status).toBe(413);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
		const chunked = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(1024 * 1024));
				controller.close();
			},
		});
		const streamed = await exports.default.fetch("https://worker.test/webhooks/whatsapp", {
			method: "POST",
			headers: { "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
			body: chunked,
			// @ts-expect-error: workerd's RequestInit accepts duplex for streamed bodies
			duplex: "half",
		});
		expect(streamed.status).toBe(413);
	});

	it("answers 503 so that Meta redelivers when a conversation cannot record its messages", async () => {
		const failing = {
			...env,
			CONVERSATIONS: {
				getByName: () => ({ receive: () => Promise.reject(new Error("object overloaded")) }),
			},
		} as unknown as Env;
		const body = textDelivery("6281800000001", [{ id: "wamid.FAIL", text: "x" }]);
		const request = new Request("https://worker.test/webhooks/whatsapp", {
			method: "POST",
			headers: { "x-hub-signature-256": await signBody(APP_SECRET, body) },
			body,
		});
		const res = await app.fetch(request, failing, createExecutionContext());
		expect(res.status).toBe(503);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
	});

	it("answers 500 (naming no setting: the caller is not authenticated) when the app secret is missing, and accepts nothing", async () => {
		const broken = { ...env, WHATSAPP_APP_SECRET: "" } as Env;
		const body = textDelivery("6281800000002", [{ id: "wamid.CFG", text: "x" }]);
		const request = new Request("https://worker.test/webhooks/whatsapp", {
			method: "POST",
			headers: { "x-hub-signature-256": await signBody("some_other_secret", body) },
			body,
		});
		const res = await app.fetch(request, broken, createExecutionContext());
		expect(res.status).toBe(500);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
		const problem = await res.json<Record<string, unknown>>();
		expect(problem).toMatchObject({ type: "urn:disdukcapil:problem:configuration" });
		expect(JSON.stringify(problem)).not.toContain("WHATSAPP_APP_SECRET");
		expect(await inboxOf("6281800000002")).toEqual([]);
	});
});

describe("errors", () => {
	it("answers unknown routes with a 404 problem", async () => {
		const res = await exports.default.fetch("https://worker.test/nowhere");
		expect(res.status).toBe(404);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
		expect(await res.json()).toMatchObject({ status: 404, title: "Not found" });
	});

	it("answers /health with JSON", async () => {
		const res = await exports.default.fetch("https://worker.test/health");
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ status: "ok" });
	});
});
