import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channel/events";
import { initialState } from "../../src/conversation/dialogue-state";
import type { Tables } from "../../src/conversation/store/tables";
import { withTables as withAnyTables } from "../helpers/tables";

/** Runs `check` on a fresh object's tables, which know, as a new object's do, that none waits. */
const withTables = <T>(name: string, check: (tables: Tables, statements: () => number) => T) =>
	withAnyTables(name, (tables, statements) => {
		tables.inbox.startEmpty();
		return check(tables, statements);
	});

const text = (id: string, sentAt: number): InboundMessage => ({
	id,
	sentAt,
	content: { kind: "text", text: id },
});

/**
 * What the inbox knows of the messages waiting without asking SQLite (issue 15: a scan of the
 * inbox, kept for dedupe, grows with the chat). Each answer must be the one SQLite would give.
 */
describe("the messages waiting, as the inbox knows them", () => {
	it("gives the one message recorded when none was waiting without reading it back", async () => {
		const seen = await withTables("inbox-alone", (tables, statements) => {
			tables.inbox.record(text("m1", 1_000), 5_000, 0, "req-1");
			const before = statements();
			const next = tables.inbox.next();
			tables.inbox.handled("m1");
			const after = tables.inbox.next();
			return { next, after, statements: statements() - before };
		});
		expect(seen).toEqual({
			next: {
				message: text("m1", 1_000),
				place: { sentAt: 1_000, arrival: 5_000_000, messageId: "m1" },
				last: true,
				requestId: "req-1",
			},
			after: undefined,
			statements: 0,
		});
	});

	it("keeps the messages recorded in the order they were sent, without reading them back", async () => {
		const seen = await withTables("inbox-two", (tables, statements) => {
			tables.inbox.record(text("later", 2_000), 5_000, 0, null);
			tables.inbox.record(text("earlier", 1_000), 5_000, 1, null);
			const before = statements();
			const first = tables.inbox.next();
			tables.inbox.handled("earlier");
			const second = tables.inbox.next();
			return {
				order: [first?.message.id, first?.last, second?.message.id, second?.last],
				statements: statements() - before,
			};
		});
		expect(seen).toEqual({ order: ["earlier", false, "later", true], statements: 0 });
	});

	it("reads what waits once when it does not know, then knows", async () => {
		const seen = await withTables("inbox-unknown", (tables, statements) => {
			tables.inbox.forgetFound();
			tables.inbox.record(text("later", 2_000), 5_000, 0, null);
			tables.inbox.record(text("earlier", 1_000), 5_000, 1, null);
			const before = statements();
			const ids = [tables.inbox.next()?.message.id, tables.inbox.unhandled().map((m) => m.id)];
			tables.inbox.lastUnhandled();
			return { ids, statements: statements() - before };
		});
		expect(seen).toEqual({ ids: ["earlier", ["earlier", "later"]], statements: 1 });
	});

	it("keeps a message sent earlier that came during a later one's step, as SQLite does", async () => {
		const seen = await withTables("inbox-overtaken", (tables) => {
			const tap = { sentAt: 2_000, arrival: 5_000_000, messageId: "tap" };
			tables.inbox.record(text("tap", 2_000), 5_000, 0, null);
			tables.inbox.next();
			// While the tap's step is out, the line typed before it arrives.
			tables.inbox.record(text("typed", 1_000), 5_100, 0, null);
			const overtaken = tables.transaction(() => {
				const marked = tables.inbox.markOvertaken(tap);
				tables.kv.saveDialogueState(initialState("id"), tap);
				tables.inbox.handled("tap");
				return marked;
			});
			const known = tables.inbox.next();
			tables.inbox.forgetFound();
			const read = tables.inbox.next();
			return { overtaken, known, read };
		});
		expect(seen.overtaken).toEqual(["typed"]);
		expect(seen.known).toMatchObject({ message: { id: "typed" }, place: "late", last: true });
		expect(seen.read).toMatchObject({ message: { id: "typed" }, place: "late", last: true });
	});

	it("does not give a message whose recording rolled back", async () => {
		const next = await withTables("inbox-rollback", (tables) => {
			expect(() =>
				tables.transaction(() => {
					tables.inbox.record(text("m1", 1_000), 5_000, 0, null);
					throw new Error("the receive failed");
				}),
			).toThrow("the receive failed");
			return tables.inbox.next();
		});
		expect(next).toBeUndefined();
	});

	it("does not give a message erased with the chat", async () => {
		const next = await withTables("inbox-erased", (tables) => {
			tables.inbox.record(text("m1", 1_000), 5_000, 0, null);
			tables.erasure.clearAll();
			return tables.inbox.next();
		});
		expect(next).toBeUndefined();
	});

	it("does not give again a message handled on its own row (it arrived late)", async () => {
		const next = await withTables("inbox-late", (tables) => {
			tables.inbox.record(text("m1", 1_000), 5_000, 0, null);
			tables.inbox.markProcessed("m1", 6_000, null);
			return tables.inbox.next();
		});
		expect(next).toBeUndefined();
	});
});
