import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { textOf, texts, wire, withResidents } from "../helpers/resident";

const t = withResidents("62813700");
const resident = () => t.resident();

// Meta: "When you mark a message as read, the API also marks earlier messages in the
// conversation as read." One mark for a burst, for its latest message, turns them all blue.
describe("blue ticks", () => {
	it("turns a burst of messages blue with one mark for the latest, and answers each", async () => {
		const r = resident();
		const replies = await r.send(wire.text("Halo"), wire.text("8"));
		expect(textOf(replies[0])).toContain("selamat datang");
		expect(texts(replies)).toContain("Legalisir");
		expect(textOf(replies.at(-1))).toContain("NIK");
		expect(t.graph.reads).toEqual([r.messageIds[1]]);

		// The next message comes after that mark: it is marked itself.
		await r.say("1674015203900001");
		expect(t.graph.reads).toEqual([r.messageIds[1], r.messageIds[2]]);
	});

	it("tries again with the next message when a mark fails", async () => {
		const r = resident();
		t.graph.fail("mark_read", { kind: "http", status: 500 });
		const replies = await r.send(wire.text("Halo"), wire.text("8"));
		// The failed mark did not hold up the answers.
		expect(textOf(replies.at(-1))).toContain("NIK");
		// The second message's step marked it (the latest) again, and this time it went through.
		expect(t.graph.reads).toEqual([r.messageIds[1]]);
		expect(t.graph.calls.filter((call) => call.endpoint === "mark_read")).toHaveLength(2);
	});

	it("still marks the next message after the conversation restarts (the last mark is forgotten)", async () => {
		const r = resident();
		await r.send(wire.text("Halo"), wire.text("8"));
		await evictDurableObject(r.stub);
		await r.say("1674015203900001");
		expect(t.graph.reads).toEqual([r.messageIds[1], r.messageIds[2]]);
	});
});
