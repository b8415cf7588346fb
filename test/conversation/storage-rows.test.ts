import { describe, expect, it } from "vitest";
import { counters } from "../../src/metrics";
import { fillDetails, sendFile, texts, wire, withResidents } from "../helpers/resident";
import { postWebhook } from "../helpers/webhook";

const t = withResidents("62813900");

/**
 * Issue 15's budget of Durable Object rows (each billed): the request `npm run bench` files. The
 * counters are the ones `/dev/metrics` reports (the test shares the worker's isolate).
 */
describe("object rows written", () => {
	it("files the bench's Legalisir request (11 messages, three PDFs) in at most 38 rows", async () => {
		const r = t.resident();
		const before = counters.doRowsWritten;
		await fillDetails(r, { service: "Legalisir" });
		for (let i = 0; i < 3; i++) await sendFile(r, "pdf");
		await r.say("lanjut");
		const done = await r.say("kirim");
		expect(texts(done)).toMatch(/PBM-\d{6}-\d{4}/);
		expect(counters.doRowsWritten - before).toBeLessThanOrEqual(38);
	});

	it("counts each message handled once, however often Meta delivers it (the bench waits for these)", async () => {
		const r = t.resident();
		const before = counters.messagesHandled;
		const { body } = r.delivery([wire.text("Halo"), wire.text("8")]);
		expect((await postWebhook(body)).status).toBe(200);
		expect((await postWebhook(body)).status).toBe(200);
		await r.settle();
		expect(counters.messagesHandled - before).toBe(2);
		await r.say("1674015203900001");
		expect(counters.messagesHandled - before).toBe(3);
	});

	it("writes a reply sent at once as one row, already sent, with its message id", async () => {
		const r = t.resident();
		const replies = await r.say("Halo");
		const outbox = await r.outbox();
		expect(outbox).toHaveLength(replies.length);
		for (const row of outbox) {
			expect(row).toMatchObject({ state: "sent", attempts: 1 });
			expect(row.wamid).toMatch(/^wamid\./);
		}
	});
});
