import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_MEDIA_ATTEMPTS } from "../../src/conversation/store/jobs";
import type { Work } from "../../src/conversation/work/context";
import { MAX_SEND_ATTEMPTS, SEND_RETRY_MIN_MS } from "../../src/conversation/work/send-retry";
import {
	fillDetails,
	requestRows,
	sendFile,
	textOf,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { api } from "../helpers/staff";
import {
	envelope,
	failedStatusFor,
	PHONE_NUMBER_ID,
	postWebhook,
	windowClosedFor,
} from "../helpers/webhook";

const t = withResidents("62813000");
const resident = () => t.resident();

const HOUR = 60 * 60 * 1000;

/** Moves every outbox row's queueing time `ms` into the past (retries are capped by age too). */
async function ageOutbox(r: { stub: ReturnType<typeof resident>["stub"] }, ms: number) {
	await runInDurableObject(r.stub, (_i, state) => {
		state.storage.sql.exec("UPDATE outbox SET created_at = created_at - ?", ms);
	});
}

describe("deliveries", () => {
	it("answers a message delivered three times (at once and later) only once", async () => {
		const r = resident();
		const { body } = r.delivery([wire.text("Halo")]);
		const responses = await Promise.all([postWebhook(body), postWebhook(body), postWebhook(body)]);
		expect(responses.map((res) => res.status)).toEqual([200, 200, 200]);
		await r.settle();
		expect((await postWebhook(body)).status).toBe(200);
		await r.settle();
		const replies = r.replies();
		expect(replies).toHaveLength(2); // greeting + service list
		expect(textOf(replies[0])).toContain("selamat datang");
	});

	it("handles a batch of messages in the order they were sent, even when delivered reversed", async () => {
		const r = resident();
		const { body: first } = r.delivery([wire.text("Halo"), wire.text("8")]);
		const parsed = JSON.parse(first);
		parsed.entry[0].changes[0].value.messages.reverse();
		expect((await postWebhook(JSON.stringify(parsed))).status).toBe(200);
		await r.settle();
		const replies = r.replies();
		expect(textOf(replies[0])).toContain("selamat datang");
		expect(texts(replies)).toContain("Legalisir");
		expect(textOf(replies.at(-1))).toContain("NIK");
	});

	it("handles a message that arrives after a later one was answered, once, and never again", async () => {
		const r = resident();
		await r.say("Halo");
		const [sentFirst, sentSecond] = r.deliveryEach([wire.text("8"), wire.text("Halo")]);
		// The second message overtakes the first by more than the hold: it is answered alone.
		expect((await postWebhook(sentSecond as string)).status).toBe(200);
		await r.settle();
		const before = r.sent().length;
		expect((await postWebhook(sentFirst as string)).status).toBe(200);
		await r.settle();
		// The late "8" is still handled: Legalisir is chosen and its first question asked.
		expect(textOf(r.sent().at(-1))).toContain("NIK");
		const afterLate = r.sent().length;
		expect(afterLate).toBeGreaterThan(before);
		const rows = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ late: number; handled: number }>(
					`SELECT late, processed_at IS NOT NULL AS handled FROM inbox ORDER BY sent_at`,
				)
				.toArray(),
		);
		// Only the late one needed a mark of its own; the others are behind the state row's mark.
		expect(rows).toEqual([
			{ late: 0, handled: 0 },
			{ late: 1, handled: 1 },
			{ late: 0, handled: 0 },
		]);
		// Nothing is handled twice: not after a restart, not after Meta delivers both again.
		await evictDurableObject(r.stub);
		await postWebhook(sentFirst as string);
		await postWebhook(sentSecond as string);
		await r.fastForward();
		expect(r.sent()).toHaveLength(afterLate);
	});

	it("holds a typed line a moment for anything sent before it, but answers a tap at once", async () => {
		// Stamped a minute ahead (a phone's clock), so that the armed alarm can be read before it runs.
		const sentAt = (Math.floor(Date.now() / 1000) + 60) * 1000;
		const armedFor = async (message: ReturnType<typeof wire.text>) => {
			const r = resident().clockAt(sentAt / 1000);
			expect((await postWebhook(r.delivery([message]).body)).status).toBe(200);
			return runInDurableObject(r.stub, (_i, state) => state.storage.getAlarm());
		};
		// A tap answers the prompt on screen: due when sent.
		expect(await armedFor(wire.row("service:legalisir", "Legalisir"))).toBe(sentAt);
		// A typed line waits until it is a second old, for a line sent just before it.
		expect(await armedFor(wire.text("1674015203900001"))).toBe(sentAt + 1000);
	});

	it("resumes where it was after the object is evicted mid-dialogue", async () => {
		const r = resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		await r.say("1674015203900001");
		await evictDurableObject(r.stub);
		const afterEviction = await r.say("Dewi Lestari");
		expect(texts(afterEviction)).toContain("kecamatan");
		await r.tap("Cambai");
		await r.send(wire.row(r.options()[0]?.id ?? "", r.options()[0]?.title ?? ""));
		await sendFile(r, "pdf");
		await evictDurableObject(r.stub);
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const rows = await requestRows(r.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.resident_name).toBe("Dewi Lestari");
	});
});

describe("media failures", () => {
	it("retries a media lookup that fails twice with 500, and handles later messages after it", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		t.graph.fail("media_info", { kind: "http", status: 500 }, 2);
		const media = await t.graph.addMedia(
			new TextEncoder().encode("%PDF-1.7 isi"),
			"application/pdf",
		);
		const { body } = r.delivery([wire.document(media.id, "a.pdf"), wire.text("lanjut")]);
		expect((await postWebhook(body)).status).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]); // waiting for the download; "lanjut" waits behind it
		await r.fastForward();
		expect(r.replies()).toEqual([]);
		await r.fastForward();
		const replies = r.replies();
		expect(textOf(replies[0])).toContain("✅");
		expect(textOf(replies[1])).toContain("Sudah benar?"); // then "lanjut", in order
		expect(t.graph.calls.filter((c) => c.endpoint === "media_info")).toHaveLength(3);
	});

	it("tries again a download whose body stalls mid-way, and stores the file", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		const pdf = new TextEncoder().encode(`%PDF-1.7\n${"isi dokumen ".repeat(20_000)}`);
		const media = await t.graph.addMedia(pdf, "application/pdf");
		t.graph.fail("media_download", { kind: "stall", afterBytes: 50_000 });
		await r.send(wire.document(media.id, "a.pdf"));
		expect(r.replies()).toEqual([]); // the first try stalled, and failed
		await r.fastForward();
		expect(texts(r.replies())).toContain("✅");
		const stored = await env.FILES.list({ prefix: `requests/${await r.draftId()}/` });
		expect(stored.objects.map((o) => o.size)).toEqual([pdf.byteLength]);
	});

	it("asks for the file again when the media cannot be fetched at all", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		const replies = await r.send(wire.document("no-such-media", "a.pdf"));
		expect(texts(replies)).toContain("kirim ulang");
		const objects = await env.FILES.list({ prefix: "requests/" });
		expect(objects.objects.filter((o) => o.key.includes("no-such-media"))).toEqual([]);
	});

	it("asks for the file again after the last retry of a failing download", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		t.graph.fail("media_info", { kind: "http", status: 503 }, 10);
		const media = await t.graph.addMedia(new TextEncoder().encode("%PDF-1.7"), "application/pdf");
		await r.send(wire.document(media.id, "a.pdf"));
		for (let i = 0; i < 5; i++) await r.fastForward();
		expect(texts(r.replies())).toContain("kirim ulang");
		expect(t.graph.calls.filter((c) => c.endpoint === "media_info")).toHaveLength(5);
	});
});

describe("sending", () => {
	it("waits as long as Retry-After says after a 429, then sends in order", async () => {
		const r = resident();
		t.graph.fail("messages", { kind: "http", status: 429, retryAfter: 30 });
		const { body } = r.delivery([wire.text("Halo")]);
		await postWebhook(body);
		await r.settle();
		expect(r.replies()).toEqual([]);
		const [row] = await r.outbox();
		expect(row).toMatchObject({ state: "pending", attempts: 1 });
		const nextAt = await runInDurableObject(
			r.stub,
			(_i, state) =>
				state.storage.sql
					.exec<{ next_at: number }>("SELECT next_at FROM outbox WHERE seq = 1")
					.one().next_at,
		);
		expect(nextAt - Date.now()).toBeGreaterThanOrEqual(29_000);
		await r.fastForward();
		const replies = r.replies();
		expect(replies).toHaveLength(2);
		expect(textOf(replies[0])).toContain("selamat datang");
	});

	it("tries a failing message 12 times over at least 50 minutes, then gives it up and sends the next ones", async () => {
		const r = resident();
		t.graph.fail("messages", { kind: "http", status: 500 }, MAX_SEND_ATTEMPTS + 1);
		await r.send(wire.text("Halo"));
		for (let i = 1; i < MAX_SEND_ATTEMPTS; i++) await r.fastForward();
		// Its tries made within moments (the backoff skipped): not yet 50 minutes, still in line.
		expect((await r.outbox())[0]).toMatchObject({ state: "pending", attempts: MAX_SEND_ATTEMPTS });
		expect(r.replies()).toEqual([]);
		await ageOutbox(r, SEND_RETRY_MIN_MS);
		await r.fastForward();
		const outbox = await r.outbox();
		expect(outbox[0]).toMatchObject({ state: "dead", attempts: MAX_SEND_ATTEMPTS + 1 });
		expect(outbox[1]).toMatchObject({ state: "sent" });
		expect(r.replies()).toHaveLength(1);
	});

	it("answers a 131047 refusal with the status template, and sends the message when the resident writes", async () => {
		const r = resident();
		t.graph.fail("messages", { kind: "http", status: 400, code: 131047 });
		const replies = await r.say("Halo");
		expect(replies.map((m) => m.type)).toContain("template");
		const template = replies.find((m) => m.type === "template");
		expect(template?.body.template).toMatchObject({
			name: "status_update",
			language: { code: "id" },
		});
		const outbox = await r.outbox();
		expect(outbox[0]).toMatchObject({ state: "waiting" });
		await r.say("halo lagi");
		expect(texts(r.sent())).toContain("selamat datang");
		expect((await r.outbox())[0]).toMatchObject({ state: "sent" });
	});

	it("re-sends by template when a status webhook reports 131047", async () => {
		const r = resident();
		await r.say("Halo");
		const greeting = r.sent()[0];
		const status = envelope([
			{
				statuses: [
					{
						id: greeting?.id,
						status: "failed",
						timestamp: String(Math.floor(Date.now() / 1000)),
						recipient_id: r.id,
						errors: [{ code: 131047, title: "Re-engagement message" }],
					},
				],
			},
		]);
		expect((await postWebhook(status)).status).toBe(200);
		await r.settle();
		const fresh = r.replies();
		expect(fresh.map((m) => m.type)).toContain("template");
		const rows = await r.outbox();
		expect(rows[0]).toMatchObject({ state: "waiting" });
	});

	/** Meta's status webhook for `wamid`, echoing the send's biz_opaque_callback_data if any. */
	const statusOf = (r: { id: string }, wamid: string, state: string, ts: number, echo?: unknown) =>
		envelope([
			{
				statuses: [
					{
						id: wamid,
						status: state,
						timestamp: String(ts),
						recipient_id: r.id,
						...(typeof echo === "string" ? { biz_opaque_callback_data: echo } : {}),
					},
				],
			},
		]);
	const deliveryOf = (r: { stub: DurableObjectStub }, wamid: string) =>
		runInDurableObject(r.stub, (_i, state) => ({
			delivery: state.storage.sql
				.exec<{ delivery: string | null }>("SELECT delivery FROM outbox WHERE wamid = ?", wamid)
				.one().delivery,
			statuses: state.storage.sql.exec("SELECT 1 FROM delivery_statuses").toArray().length,
		}));

	it("sends a reply again when Meta reports later that it failed for a passing reason, once per report", async () => {
		const r = resident();
		const [greeting, list] = await r.say("Halo");
		const throttled = failedStatusFor(r, greeting?.id ?? "", {
			code: 130429,
			title: "Rate limit hit",
		});
		// Meta redelivers statuses: the same failure twice is one failure.
		expect((await postWebhook(throttled)).status).toBe(200);
		expect((await postWebhook(throttled)).status).toBe(200);
		await r.settle();
		expect((await r.outbox())[0]).toMatchObject({ state: "pending", attempts: 1 });
		await r.fastForward();
		const again = r.replies();
		expect(again).toHaveLength(1);
		expect(textOf(again[0])).toBe(textOf(greeting));
		expect((await r.outbox()).map((row) => row.state)).toEqual(["sent", "sent"]);
		// A report for the first send, redelivered late, sends nothing more; nor one for a
		// message that failed for good.
		expect((await postWebhook(throttled)).status).toBe(200);
		const refused = failedStatusFor(r, list?.id ?? "", {
			code: 131026,
			title: "Message undeliverable",
		});
		expect((await postWebhook(refused)).status).toBe(200);
		await r.fastForward();
		expect(r.replies()).toEqual([]);
	});

	it("stops sending again a message whose deliveries keep failing, after its tries", async () => {
		const r = resident();
		const greeting = textOf((await r.say("Halo"))[0]);
		await ageOutbox(r, SEND_RETRY_MIN_MS);
		for (let sends = 1; sends <= MAX_SEND_ATTEMPTS; sends++) {
			const latest = r
				.sent()
				.filter((m) => textOf(m) === greeting)
				.at(-1);
			const status = failedStatusFor(r, latest?.id ?? "", {
				code: 131000,
				title: "Something went wrong",
			});
			expect((await postWebhook(status)).status).toBe(200);
			await r.fastForward();
		}
		expect(r.sent().filter((m) => textOf(m) === greeting)).toHaveLength(MAX_SEND_ATTEMPTS);
		expect((await r.outbox())[0]).toMatchObject({ state: "dead", attempts: MAX_SEND_ATTEMPTS });
	});

	it("follows the delivery of staff's message to the resident, never moving backwards", async () => {
		const r = resident();
		await r.say("Halo");
		r.replies();
		await r.stub.notify({
			noticeId: "ticks-1",
			requestId: "ticks-request",
			ticket: "PBM-261202-0001",
			serviceCode: "legalisir",
			variantCode: "umum",
			kind: "message",
			text: "Berkas Anda sudah kami terima",
		});
		await r.settle();
		const [notice] = r.replies();
		// Sent with the mark Meta echoes in its statuses, so they reach the conversation.
		expect(notice?.body.biz_opaque_callback_data).toBe("track");
		const now = Math.floor(Date.now() / 1000);
		for (const [state, ts] of [
			["sent", now - 2],
			["read", now],
			["delivered", now - 1],
		] as const) {
			const res = await postWebhook(statusOf(r, notice?.id ?? "", state, ts, "track"));
			expect(res.status).toBe(200);
		}
		expect(await deliveryOf(r, notice?.id ?? "")).toEqual({ delivery: "read", statuses: 0 });
	});

	const noticeAbout = (requestId: string, noticeId: string) => ({
		noticeId,
		requestId,
		ticket: "PBM-261202-0002",
		serviceCode: "legalisir",
		variantCode: "umum",
		kind: "message" as const,
		text: "Berkas Anda sudah kami terima",
	});

	it("shows staff a notice as read once it was re-sent and read, after its first send failed for the closed window", async () => {
		const r = resident();
		await r.say("Halo");
		r.replies();
		await r.stub.notify(noticeAbout("resend-request", "resend-1"));
		await r.settle();
		const [first] = r.replies();
		expect((await postWebhook(windowClosedFor(r, first?.id ?? ""))).status).toBe(200);
		await r.settle();
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);
		// The resident writes back: the notice goes out again, under a new id, and is read.
		const back = await r.say("halo lagi");
		const again = back.find((m) => textOf(m).includes("Berkas Anda"));
		expect(again?.id).toBeDefined();
		expect(again?.id).not.toBe(first?.id);
		const now = Math.floor(Date.now() / 1000);
		for (const [state, ts] of [
			["delivered", now - 1],
			["read", now],
		] as const) {
			expect((await postWebhook(statusOf(r, again?.id ?? "", state, ts, "track"))).status).toBe(
				200,
			);
		}
		const notice = (await r.stub.transcript("resend-request")).find(
			(entry) => entry.direction === "out" && entry.messageId === again?.id,
		);
		expect(notice).toMatchObject({ state: "sent", delivery: "read", error: null });
	});

	it("nudges once by template when both replies of a step fail for the closed window, each in its own webhook", async () => {
		const r = resident();
		const [greeting, services] = await r.say("Halo");
		for (const reply of [greeting, services]) {
			expect((await postWebhook(windowClosedFor(r, reply?.id ?? ""))).status).toBe(200);
			await r.settle();
		}
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);
		const rows = await r.outbox();
		expect(rows.slice(0, 2).map((row) => row.state)).toEqual(["waiting", "waiting"]);
		// The resident writes back: both go out, in order, before the answer to what they wrote.
		const back = await r.say("halo lagi");
		expect(textOf(back[0])).toContain("selamat datang");
	});

	/**
	 * Holds the conversation's `nth` send from now on until `release()`: before it reaches Meta, or
	 * after Meta answered and before the conversation hears the answer. `reached` resolves once it
	 * is held (meanwhile the object takes other calls, as it does while any send is on its way).
	 */
	async function holdSend(r: { stub: DurableObjectStub }, nth: number, at: "before" | "after") {
		let release = () => {};
		const held = new Promise<void>((resolve) => {
			release = resolve;
		});
		let sends = 0;
		let holding = false;
		await runInDurableObject(r.stub, (instance) => {
			const { work } = instance as unknown as { work: Work };
			const channelOf = work.channel.bind(work);
			work.channel = () => {
				const client = channelOf();
				const send = client.send.bind(client);
				client.send = async (...args) => {
					const hold = ++sends === nth;
					if (hold && at === "before") {
						holding = true;
						await held;
					}
					const result = await send(...args);
					if (hold && at === "after") {
						holding = true;
						await held;
					}
					return result;
				};
				return client;
			};
		});
		const reached = async () => {
			const deadline = Date.now() + 5_000;
			while (!holding && Date.now() < deadline) await new Promise((done) => setTimeout(done, 5));
			expect(holding).toBe(true);
		};
		return { reached, release };
	}

	it("keeps a reply for the resident's next message and nudges once, when it fails for the closed window while the step's next reply is still being sent", async () => {
		const r = resident();
		// The step's second send (the service list) waits until the test lets it go.
		const list = await holdSend(r, 2, "before");
		expect((await postWebhook(r.delivery([wire.text("Halo")]).body)).status).toBe(200);
		await list.reached();
		const [greeting] = r.replies();
		expect(textOf(greeting)).toContain("selamat datang");
		// Meta's failure for the greeting comes before the step has written its replies.
		expect((await postWebhook(windowClosedFor(r, greeting?.id ?? ""))).status).toBe(200);
		list.release();
		await r.settle();
		expect(r.replies().map((m) => m.type)).toEqual(["interactive", "template"]);
		const [row] = await r.outbox();
		expect(row).toMatchObject({ wamid: greeting?.id, state: "waiting" });
		const back = await r.say("halo lagi");
		expect(textOf(back[0])).toContain("selamat datang");
	});

	it("keeps a queued reply for the resident's next message when it fails for the closed window before its send is recorded", async () => {
		const r = resident();
		// Throttled at first: the greeting and the list are queued, and go out with the next flush.
		t.graph.fail("messages", { kind: "http", status: 429, retryAfter: 30 });
		await r.say("Halo");
		expect(r.replies()).toEqual([]);
		const greetingSend = await holdSend(r, 1, "after");
		const flushed = r.fastForward();
		await greetingSend.reached();
		const [greeting] = r.replies();
		expect(textOf(greeting)).toContain("selamat datang");
		expect((await postWebhook(windowClosedFor(r, greeting?.id ?? ""))).status).toBe(200);
		greetingSend.release();
		await flushed;
		await r.settle();
		expect(r.replies().map((m) => m.type)).toEqual(["interactive", "template"]);
		const [row] = await r.outbox();
		expect(row).toMatchObject({ wamid: greeting?.id, state: "waiting" });
	});

	it("acknowledges the ticks of the bot's ordinary replies without writing anything", async () => {
		const r = resident();
		await r.say("Halo");
		const [menu] = r.sent();
		expect(menu?.body.biz_opaque_callback_data).toBeUndefined();
		const now = Math.floor(Date.now() / 1000);
		for (const state of ["sent", "delivered", "read"]) {
			const res = await postWebhook(statusOf(r, menu?.id ?? "", state, now));
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ received: 0 });
		}
		// Even a forged mark on a status changes nothing but that message's own ticks.
		expect(await deliveryOf(r, menu?.id ?? "")).toEqual({ delivery: null, statuses: 0 });
		expect(await r.hasDueWork()).toBe(false);
	});
});

describe("an expired access token (Meta's 190)", () => {
	it("holds every reply until the token is replaced, then sends them in order, none lost", async () => {
		const r = resident();
		t.graph.expireToken();
		await r.say("Halo");
		// Longer than any retry cap: the replies are not the ones at fault.
		for (let i = 0; i < 15; i++) await r.fastForward();
		expect(r.replies()).toEqual([]);
		const rows = await r.outbox();
		expect(rows.map((row) => [row.state, row.attempts])).toEqual([
			["pending", 0],
			["pending", 0],
		]);
		// Tried again within minutes, not seconds, and never more than 10 minutes apart.
		const wait = await runInDurableObject(
			r.stub,
			(_i, state) =>
				state.storage.sql
					.exec<{ next_at: number }>("SELECT next_at FROM outbox ORDER BY seq LIMIT 1")
					.one().next_at - Date.now(),
		);
		expect(wait).toBeGreaterThan(45_000);
		expect(wait).toBeLessThanOrEqual(12 * 60_000);

		t.graph.renewToken();
		await r.fastForward();
		const replies = r.replies();
		expect(replies).toHaveLength(2);
		expect(textOf(replies[0])).toContain("selamat datang");
		expect((await r.outbox()).map((row) => row.state)).toEqual(["sent", "sent"]);
	});

	it("tells admins in the account's alerts, once an hour however many calls meet it", async () => {
		// The other tests of this file met the refused token this hour too.
		await env.DB.prepare("DELETE FROM account_alerts WHERE event = 'TOKEN_REFUSED'").run();
		const r = resident();
		const other = resident();
		t.graph.expireToken();
		await r.say("Halo");
		await other.say("Halo");
		for (let i = 0; i < 3; i++) {
			await r.fastForward();
			await other.fastForward();
		}
		const refused = t.graph.calls.filter((c) => c.endpoint === "messages").length;
		expect(refused).toBeGreaterThanOrEqual(4);
		const res = await api("GET", "/account/alerts");
		expect(res.status).toBe(200);
		const { items } = await res.json<{
			items: { field: string; event: string; accountId: string; detail: { code: number } }[];
		}>();
		const alerts = items.filter((a) => a.event === "TOKEN_REFUSED");
		// One row for the hour (two if the run crossed an hour's edge), not one a refused call.
		expect(alerts.length).toBeGreaterThanOrEqual(1);
		expect(alerts.length).toBeLessThanOrEqual(2);
		expect(alerts[0]).toMatchObject({
			field: "access_token",
			accountId: PHONE_NUMBER_ID,
			detail: { code: 190 },
		});
		t.graph.renewToken();
		await r.fastForward();
		await other.fastForward();
	});

	it("keeps a resident's file waiting until the token is replaced, then stores it (no request to resend)", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		t.graph.expireToken();
		const media = await t.graph.addMedia(
			new TextEncoder().encode("%PDF-1.7 isi"),
			"application/pdf",
		);
		await r.send(wire.document(media.id, "a.pdf"));
		for (let i = 0; i < 8; i++) await r.fastForward();
		expect(r.replies()).toEqual([]);
		t.graph.renewToken();
		await r.fastForward();
		const replies = texts(r.replies());
		expect(replies).toContain("✅");
		expect(replies).not.toContain("kirim ulang");
		const stored = await env.FILES.list({ prefix: `requests/${await r.draftId()}/` });
		expect(stored.objects).toHaveLength(1);
	});

	/**
	 * The resident's file sent while the token is refused, held through an outage of `ms`
	 * (longer than a download's cap: its job is moved that far into the past), then the token
	 * replaced.
	 */
	async function fileHeldThrough(ms: number) {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		r.replies();
		t.graph.expireToken();
		const media = await t.graph.addMedia(
			new TextEncoder().encode("%PDF-1.7 isi"),
			"application/pdf",
		);
		await r.send(wire.document(media.id, "a.pdf"));
		for (let i = 0; i < 4; i++) await r.fastForward();
		await runInDurableObject(r.stub, (_i, state) => {
			state.storage.sql.exec("UPDATE jobs SET created_at = created_at - ?", ms);
		});
		for (let i = 0; i < 4; i++) await r.fastForward();
		const held = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ kind: string; attempts: number }>("SELECT kind, attempts FROM jobs")
				.toArray(),
		);
		// Waiting, not failing: no try spent, and the resident told nothing yet.
		expect(held).toEqual([{ kind: "download", attempts: 0 }]);
		expect(r.replies()).toEqual([]);
		t.graph.renewToken();
		return r;
	}

	it("stores a file held through an outage longer than a download's cap, as if it had just come, once", async () => {
		const r = await fileHeldThrough(3 * HOUR);
		// Meta's passing trouble right after the token is replaced: one more try, not a give-up.
		t.graph.fail("media_info", { kind: "http", status: 500 });
		await r.fastForward();
		await r.fastForward();
		await r.fastForward();
		const replies = r.replies();
		expect(replies).toHaveLength(1);
		expect(textOf(replies[0])).toContain("✅");
		expect(texts(replies)).not.toContain("kirim ulang");
		const stored = await env.FILES.list({ prefix: `requests/${await r.draftId()}/` });
		expect(stored.objects).toHaveLength(1);
		const draft = (await r.savedState()).draft;
		expect(draft?.files.map((file) => file.status)).toEqual(["stored"]);
		// Nothing left to try, nothing dead, and nothing said twice.
		expect(await r.hasDueWork()).toBe(false);
		const dead = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql.exec("SELECT 1 FROM dead_jobs").toArray(),
		);
		expect(dead).toEqual([]);
		await r.fastForward();
		expect(r.replies()).toEqual([]);
	});

	it("still gives up on a file Meta no longer serves after the outage, within the download's tries", async () => {
		const r = await fileHeldThrough(3 * HOUR);
		// The URL's 404 on each of the download's tries (a sixth would be served).
		t.graph.fail("media_download", { kind: "http", status: 404 }, MAX_MEDIA_ATTEMPTS);
		for (let i = 0; i < MAX_MEDIA_ATTEMPTS + 2; i++) await r.fastForward();
		const asked = texts(r.replies());
		expect(asked.split("kirim ulang").length - 1).toBe(1);
		expect((await env.FILES.list({ prefix: `requests/${await r.draftId()}/` })).objects).toEqual(
			[],
		);
	});
});

describe("the clock", () => {
	it("reminds once after 23 idle hours, inside the window", async () => {
		const r = resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		r.replies();
		await r.age(23 * HOUR + 60_000);
		expect(await runDurableObjectAlarm(r.stub)).toBe(true);
		await r.settle();
		const reminder = r.replies();
		expect(textOf(reminder[0])).toContain("belum selesai");
		expect(textOf(reminder[1])).toContain("NIK");
		expect(reminder.every((m) => m.type !== "template")).toBe(true);
	});

	it("deletes an idle draft and its files after 7 days and tells the resident by template", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "pdf");
		const before = (await env.FILES.list({ prefix: "requests/" })).objects.length;
		await r.age(23 * HOUR + 60_000);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		r.replies();
		await r.age(7 * 24 * HOUR);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		const replies = r.replies();
		expect(replies.map((m) => m.type)).toEqual(["template"]);
		expect((await env.FILES.list({ prefix: "requests/" })).objects.length).toBe(before - 1);
		const waiting = (await r.outbox()).filter((row) => row.state === "waiting");
		expect(waiting.map((row) => row.payload).join()).toContain("7 hari");
		// The resident writes back: the notice goes out, and a fresh dialogue starts.
		const back = await r.say("halo");
		expect(texts(back)).toContain("7 hari");
	});
});
