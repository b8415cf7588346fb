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

/** Waits (bounded) for `done`, without running the alarm: only the object's own runs act. */
async function waitFor(done: () => boolean): Promise<void> {
	const deadline = Date.now() + 5_000;
	while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(done()).toBe(true);
}

/**
 * The SQL a message costs the object (issue 15: each statement is time on the object's thread,
 * and a new object compiles each one): the receive and the run after it, as `/dev/metrics`
 * counts them. Not billed; a budget that fails when a run asks its tables again for what it knows.
 */
describe("statements per message", () => {
	async function costOf(r: ReturnType<typeof t.resident>, text: string) {
		const before = { ...counters };
		const sent = r.sent().length;
		expect((await postWebhook(r.delivery([wire.text(text)]).body)).status).toBe(200);
		await waitFor(
			() => counters.messagesHandled > before.messagesHandled && r.sent().length > sent,
		);
		// The run's last statements (the alarm's) follow its replies.
		await new Promise((resolve) => setTimeout(resolve, 100));
		return {
			statements: counters.doStatements - before.doStatements,
			rowsRead: counters.doRowsRead - before.doRowsRead,
		};
	}
	const statementsOf = async (r: ReturnType<typeof t.resident>, text: string) =>
		(await costOf(r, text)).statements;

	it("runs at most 8 statements for a new resident's first message, schema aside", async () => {
		const r = t.resident();
		expect(await statementsOf(r, "Halo")).toBeLessThanOrEqual(8);
	});

	it("runs at most 4 statements for a resident's message mid-dialogue", async () => {
		const r = t.resident();
		await statementsOf(r, "Halo");
		expect(await statementsOf(r, "halo")).toBeLessThanOrEqual(4);
	});

	it("reads as many rows for a message in a long chat as in a short one (rows read are billed)", async () => {
		const r = t.resident();
		await costOf(r, "Halo");
		const second = await costOf(r, "halo");
		for (let i = 0; i < 30; i++) await costOf(r, "halo");
		const later = await costOf(r, "halo");
		// The kv rows and the rows written (6): no scan of the inbox, which grows with the chat (kept for
		// dedupe); one scan of these 32 messages and the mark would add about 64.
		expect(later.rowsRead).toBeLessThanOrEqual(second.rowsRead);
		expect(later.rowsRead).toBeLessThanOrEqual(8);
	});
});
