import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counters } from "../../src/metrics";
import { signBody } from "../../src/whatsapp/signature";
import { FakeGraph } from "../fake-graph";
import { Resident, texts, wire } from "../helpers/resident";
import { APP_SECRET, inboxOf, postWebhook, textDelivery } from "../helpers/webhook";

let graph: FakeGraph;
let restore: () => void;
beforeAll(() => {
	graph = new FakeGraph();
	restore = graph.install();
});
afterAll(() => restore());

const encoder = new TextEncoder();
let residents = 0;
const nextResident = () => `62819${String(++residents).padStart(8, "0")}`;

describe("signature (property)", () => {
	it("answers 401 and stores nothing for any single changed byte of the body", async () => {
		const resident = nextResident();
		const body = encoder.encode(textDelivery(resident, [{ id: "wamid.PROP1", text: "Halo" }]));
		const signature = await signBody(APP_SECRET, body);
		const objectsBefore = (await listDurableObjectIds(env.CONVERSATIONS)).length;
		await fc.assert(
			fc.asyncProperty(
				fc.nat(body.length - 1),
				fc.integer({ min: 1, max: 255 }),
				async (index, flip) => {
					const tampered = body.slice();
					tampered[index] = (tampered[index] ?? 0) ^ flip;
					const res = await postWebhook(tampered, { signature });
					expect(res.status).toBe(401);
				},
			),
			{ numRuns: 150 },
		);
		expect(await inboxOf(resident)).toEqual([]);
		expect((await listDurableObjectIds(env.CONVERSATIONS)).length).toBe(objectsBefore + 1); // only inboxOf's
	});

	it("answers 401 for any single changed character of the signature header", async () => {
		const resident = nextResident();
		const body = textDelivery(resident, [{ id: "wamid.PROP2", text: "Halo" }]);
		const signature = await signBody(APP_SECRET, body);
		await fc.assert(
			fc.asyncProperty(
				fc.nat(signature.length - 1),
				fc.constantFrom(..."0123456789abcdefxyzABCDEF=-"),
				async (index, replacement) => {
					fc.pre(signature[index]?.toLowerCase() !== replacement.toLowerCase());
					const header = signature.slice(0, index) + replacement + signature.slice(index + 1);
					expect((await postWebhook(body, { signature: header })).status).toBe(401);
				},
			),
			{ numRuns: 150 },
		);
		expect(await inboxOf(resident)).toEqual([]);
	});
});

describe("arbitrary signed bodies (property)", () => {
	const envelopeLike = fc.record({
		object: fc.oneof(fc.constant("whatsapp_business_account"), fc.string()),
		entry: fc.array(
			fc.record({
				id: fc.string(),
				changes: fc.array(
					fc.record({
						field: fc.oneof(fc.constant("messages"), fc.string()),
						value: fc.oneof(
							fc.jsonValue(),
							fc.record({
								metadata: fc.record({
									phone_number_id: fc.oneof(fc.string({ minLength: 1 }), fc.jsonValue()),
								}),
								messages: fc.array(
									fc.record({
										from: fc.oneof(fc.string({ minLength: 1, maxLength: 15 }), fc.jsonValue()),
										id: fc.oneof(fc.string({ minLength: 1 }), fc.jsonValue()),
										timestamp: fc.oneof(
											fc.constant(String(Math.floor(Date.now() / 1000))),
											fc.string(),
											fc.integer(),
										),
										type: fc.oneof(
											fc.constantFrom("text", "image", "document", "interactive", "audio"),
											fc.string(),
										),
										text: fc.jsonValue(),
										image: fc.jsonValue(),
										interactive: fc.jsonValue(),
									}),
									{ maxLength: 3 },
								),
								statuses: fc.array(fc.jsonValue(), { maxLength: 2 }),
							}),
						),
					}),
					{ maxLength: 3 },
				),
			}),
			{ maxLength: 3 },
		),
	});

	it("never answers 5xx to any signed JSON, envelope-like or not", async () => {
		await fc.assert(
			fc.asyncProperty(fc.oneof(fc.jsonValue(), envelopeLike), async (value) => {
				const res = await postWebhook(JSON.stringify(value));
				expect(res.status).toBeLessThan(500);
				expect([200, 400]).toContain(res.status);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("redelivery and reordering (property)", () => {
	/** The resident's messages of a short dialogue, each its own delivery. */
	const script = [
		wire.text("Halo"),
		wire.text("8"),
		wire.text("1674015203900001"),
		wire.text("Ani Suryani"),
		wire.text("3"),
	];

	async function finalState(r: Resident) {
		return runInDurableObject(r.stub, (_i, state) => {
			const saved = JSON.parse(
				state.storage.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'").one()
					.value,
			) as Record<string, unknown> & { draft: Record<string, unknown> | null };
			const processed = state.storage.sql
				.exec<{ n: number }>(
					"SELECT (SELECT count(*) FROM inbox) - (SELECT count(*) FROM unhandled_inbox) AS n",
				)
				.one().n;
			return {
				phase: saved.phase,
				draft: { ...saved.draft, requestId: "x", startedAt: 0 },
				processed,
			};
		});
	}

	it("handles each message once and ends in the same state, whatever duplicates and order", async () => {
		// The reference: each delivery once, in order.
		const reference = new Resident(nextResident(), graph);
		const referenceBodies = reference.deliveryEach(script);
		for (const body of referenceBodies) expect((await postWebhook(body)).status).toBe(200);
		await reference.settle();
		const expected = await finalState(reference);
		const expectedReplies = texts(reference.sent());
		expect(expected.processed).toBe(script.length);

		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.nat(script.length - 1), { maxLength: 4 }),
				fc.infiniteStream(fc.nat()),
				async (extra, randomness) => {
					// Sent "now": the object holds fresh messages a moment, so late ones can overtake.
					const r = new Resident(nextResident(), graph).clockAt(Math.floor(Date.now() / 1000));
					const bodies = r.deliveryEach(script);
					const order = [...bodies.keys(), ...extra];
					const keys = order.map(() => randomness.next().value ?? 0);
					const shuffled = order
						.map((index, i) => ({ index, key: keys[i] ?? 0 }))
						.sort((a, b) => a.key - b.key);
					for (const { index } of shuffled) {
						expect((await postWebhook(bodies[index] ?? "")).status).toBe(200);
					}
					await r.settle();
					expect(await finalState(r)).toEqual(expected);
					expect(texts(r.sent())).toEqual(expectedReplies);
				},
			),
			// Each run waits for the hold (about 3 s): few runs, each a different shuffle.
			{ numRuns: 4 },
		);
	}, 60_000);

	it("handles every message once when deliveries arrive together, in any order, during steps", async () => {
		// Taps and typed lines, all due at once: each delivery's call lands while earlier ones'
		// steps are out (sending, marking read), so a message sent earlier can arrive mid-step.
		const mixed = [
			wire.text("Halo"),
			wire.button("x1", "Satu"),
			wire.text("a"),
			wire.button("x2", "Dua"),
			wire.text("b"),
			wire.button("x3", "Tiga"),
		];
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.nat(mixed.length - 1), { maxLength: 3 }),
				fc.infiniteStream(fc.nat()),
				async (extra, randomness) => {
					const r = new Resident(nextResident(), graph);
					const bodies = r.deliveryEach(mixed);
					const order = [...bodies.keys(), ...extra]
						.map((index) => ({ index, key: randomness.next().value ?? 0 }))
						.sort((a, b) => a.key - b.key);
					const before = counters.messagesHandled;
					const answers = await Promise.all(
						order.map(({ index }) => postWebhook(bodies[index] ?? "")),
					);
					expect(answers.map((res) => res.status)).toEqual(order.map(() => 200));
					await r.settle();
					expect(counters.messagesHandled - before).toBe(mixed.length);
					const unhandled = await runInDurableObject(r.stub, (_i, state) =>
						state.storage.sql
							.exec<{ n: number }>("SELECT count(*) AS n FROM unhandled_inbox")
							.one(),
					);
					expect(unhandled.n).toBe(0);
				},
			),
			{ numRuns: 8 },
		);
	}, 60_000);
});
