import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DialogueState } from "../../src/conversation/dialogue";
import type { Tables } from "../../src/conversation/store/tables";
import type { Work } from "../../src/conversation/work/context";
import { BACKSTOP_MS } from "../../src/conversation/work/drain";
import { counters } from "../../src/metrics";
import { jpeg, type Resident, texts, wire, withResidents } from "../helpers/resident";
import { postWebhook } from "../helpers/webhook";

const t = withResidents("62817800");

/** Waits (bounded) for `done`, without running the alarm: only the object's own runs act. */
async function waitFor(done: () => boolean): Promise<void> {
	const deadline = Date.now() + 5_000;
	while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(done()).toBe(true);
}

const alarmOf = (r: Resident) =>
	runInDurableObject(r.stub, (_i, state) => state.storage.getAlarm());

/**
 * A message due now is handled right after the webhook's call answers, by that call's own
 * invocation, not by an alarm invocation (issue 15: each was an event of its own for the runtime
 * and a billed request); the alarm stays armed behind it, so nothing is lost if the object stops.
 * The counters are the ones `/dev/metrics` reports (the test shares the worker's isolate).
 */
describe("work handled right after the call that brought it", () => {
	it("answers a resident's message with no alarm invocation: one object request per webhook", async () => {
		const r = t.resident();
		const before = { requests: counters.doRequests, handled: counters.messagesHandled };
		expect((await postWebhook(r.delivery([wire.text("Halo")]).body)).status).toBe(200);
		await waitFor(() => r.sent().length >= 2);
		expect(texts(r.replies())).toContain("layanan");
		expect(counters.messagesHandled - before.handled).toBe(1);
		expect(counters.doRequests - before.requests).toBe(1);
		// The backstop is gone with the run: next is the dialogue's own reminder, hours away.
		expect((await alarmOf(r)) ?? Number.POSITIVE_INFINITY).toBeGreaterThan(Date.now() + 60_000);
	});

	it("handles a burst of deliveries in order, each once, and still without an alarm", async () => {
		const r = t.resident();
		await postWebhook(r.delivery([wire.text("Halo")]).body);
		await waitFor(() => r.sent().length >= 2);
		r.replies();
		const before = { requests: counters.doRequests, handled: counters.messagesHandled };
		// Three deliveries at once: the runs they queue overlap, and each message is handled once.
		const bodies = r.deliveryEach([wire.text("8"), wire.text("1674015203900001"), wire.text("x")]);
		const answers = await Promise.all(bodies.map((body) => postWebhook(body)));
		expect(answers.map((res) => res.status)).toEqual([200, 200, 200]);
		await waitFor(() => counters.messagesHandled - before.handled === 3);
		await waitFor(() => texts(r.sent()).includes("nama"));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(counters.messagesHandled - before.handled).toBe(3);
		expect(counters.doRequests - before.requests).toBe(3);
		// Legalisir (8), the NIK taken, then the name asked for: in the order they were sent.
		const said = texts(r.replies());
		expect(said.indexOf("NIK")).toBeGreaterThanOrEqual(0);
		expect(said.indexOf("NIK")).toBeLessThan(said.lastIndexOf("nama"));
	});

	it("loses nothing and says nothing twice when the object stops before that run commits", async () => {
		const r = t.resident();
		await postWebhook(r.delivery([wire.text("Halo")]).body);
		await waitFor(() => r.sent().length >= 2);
		r.replies();
		// The reply hangs, so the run is cut short by the eviction before it commits.
		t.graph.fail("messages", { kind: "timeout" });
		const armedFrom = Date.now();
		expect((await postWebhook(r.delivery([wire.text("8")]).body)).status).toBe(200);
		const backstop = await alarmOf(r);
		expect(backstop).toBeGreaterThanOrEqual(armedFrom + BACKSTOP_MS);
		expect(backstop).toBeLessThanOrEqual(Date.now() + BACKSTOP_MS);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await evictDurableObject(r.stub);
		// The backstop alarm (run now rather than in ten seconds) does the work; the reply that
		// timed out is sent again after its backoff (skipped here).
		expect(await runDurableObjectAlarm(r.stub)).toBe(true);
		await r.fastForward();
		const said = texts(r.replies());
		expect(said.split("Untuk *Legalisir*").length - 1).toBe(1);
		expect(said.split("Ketik *NIK*").length - 1).toBe(1);
		expect((await r.outbox()).every((row) => row.state === "sent")).toBe(true);
	});

	it("stores a new resident's first file once when that step fails to commit and runs again", async () => {
		const r = t.resident();
		const media = await t.graph.addMedia(jpeg(2048, 9), "image/jpeg");
		const { body, ids } = r.delivery([wire.image(media.id, media.sha256Base64)]);
		const copies = async () =>
			(await env.FILES.list({ prefix: "requests/" })).objects
				.map((object) => object.key)
				.filter((key) => key.endsWith(`/${ids[0]}`));
		// The step's commit fails once, after the file was stored ahead (as when the object stops
		// there): nothing of that step is kept, and the backstop alarm does it again.
		await runInDurableObject(r.stub, (instance) => {
			const { kv } = (instance as unknown as { tables: Tables }).tables;
			const save = kv.saveDialogueState.bind(kv);
			let failures = 1;
			kv.saveDialogueState = (...args: Parameters<typeof save>) => {
				if (failures-- > 0) throw new Error("the step's commit fails");
				return save(...args);
			};
		});
		expect((await postWebhook(body)).status).toBe(200);
		const deadline = Date.now() + 5_000;
		while ((await copies()).length === 0 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(await runDurableObjectAlarm(r.stub)).toBe(true);
		await r.fastForward();
		expect(texts(r.replies())).toContain("dokumen tambahan");
		// The step done again opened the same draft and found the file there: one copy, the draft's.
		const stored = await copies();
		expect(stored).toHaveLength(1);
		const saved = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one(),
		);
		const draft = (JSON.parse(saved.value) as DialogueState).draft;
		expect(stored[0]?.startsWith(`requests/${draft?.requestId}/`)).toBe(true);
	});

	it("comes back for a message however long D1 fails under its step, then answers it once", async () => {
		const r = t.resident();
		await postWebhook(r.delivery([wire.text("Halo")]).body);
		await waitFor(() => texts(r.sent()).includes("Layanan apa"));
		r.replies();
		// The catalog (read from D1 by every step) fails for eight runs: longer than the runtime's
		// own retries of a failing alarm (six, about two minutes) would last.
		let failures = 8;
		await runInDurableObject(r.stub, (instance) => {
			const work = (instance as unknown as { work: Work }).work;
			const catalog = work.catalog.bind(work);
			work.catalog = async () => {
				if (failures-- > 0) throw new Error("D1_ERROR: the database is unavailable");
				return catalog();
			};
		});
		expect((await postWebhook(r.delivery([wire.text("8")]).body)).status).toBe(200);
		let previousDelay = 0;
		for (let run = 0; run < 8; run++) {
			await waitFor(() => failures <= 7 - run);
			const alarm = await alarmOf(r);
			// Armed again by the failed run itself, later each time (up to the cap).
			expect(alarm).not.toBeNull();
			const delay = (alarm ?? 0) - Date.now();
			expect(delay).toBeGreaterThan(run === 0 ? BACKSTOP_MS * 0.7 : previousDelay * 0.6);
			previousDelay = delay;
			expect(r.replies()).toEqual([]);
			expect(await runDurableObjectAlarm(r.stub)).toBe(true);
		}
		await r.fastForward();
		const said = texts(r.replies());
		expect(said.split("Untuk *Legalisir*").length - 1).toBe(1);
		expect(said.split("Ketik *NIK*").length - 1).toBe(1);
	});

	it("handles a line typed before a tap but delivered while the tap is answered, once each", async () => {
		const r = t.resident();
		await postWebhook(r.delivery([wire.text("Halo")]).body);
		await waitFor(() => r.sent().length >= 2);
		r.replies();
		const service = r.options().find((o) => o.title.includes("Legalisir"));
		expect(service).toBeDefined();
		// Sent in this order; Meta delivers the tap (handled at once) first and the typed line while
		// the tap's step is still out, at its mark-read.
		const [typed, tapped] = r.deliveryEach([
			wire.text("halo"),
			wire.row(service?.id ?? "", service?.title ?? ""),
		]);
		const before = counters.messagesHandled;
		const inner = globalThis.fetch;
		let typedAnswer: Response | undefined;
		globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
			if (typedAnswer === undefined && String(init?.body).includes('"status":"read"')) {
				typedAnswer = await postWebhook(typed ?? "");
			}
			return inner(input, init);
		}) as typeof fetch;
		try {
			expect((await postWebhook(tapped ?? "")).status).toBe(200);
			await waitFor(() => counters.messagesHandled - before === 2);
		} finally {
			globalThis.fetch = inner;
		}
		expect(typedAnswer?.status).toBe(200);
		await r.settle();
		expect(counters.messagesHandled - before).toBe(2);
		const said = texts(r.replies());
		expect(said.split("Untuk *Legalisir*").length - 1).toBe(1);
	});
});
