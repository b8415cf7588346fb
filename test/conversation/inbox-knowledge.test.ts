import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { InboundMessage } from "../../src/channel/events";
import { Tables } from "../../src/conversation/store/tables";

/** Runs `check` on a fresh object's tables, with every SQL statement they run counted. */
async function withTables<T>(name: string, check: (tables: Tables, statements: () => number) => T) {
	return runInDurableObject(env.CONVERSATIONS.getByName(name), (_instance, state) => {
		let count = 0;
		const sql = {
			exec: ((query: string, ...bindings: unknown[]) => {
				count++;
				return state.storage.sql.exec(query, ...bindings);
			}) as SqlStorage["exec"],
		};
		const tables = new Tables(sql, state.storage);
		// As a new object starts (Tables.migrate): nothing waits.
		tables.inbox.startEmpty();
		return check(tables, () => count);
	});
}

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

	it("reads the inbox when two wait, and gives the one the resident sent first", async () => {
		const seen = await withTables("inbox-two", (tables, statements) => {
			tables.inbox.record(text("later", 2_000), 5_000, 0, null);
			tables.inbox.record(text("earlier", 1_000), 5_000, 1, null);
			const before = statements();
			const next = tables.inbox.next();
			return { id: next?.message.id, last: next?.last, statements: statements() - before };
		});
		expect(seen).toEqual({ id: "earlier", last: false, statements: 1 });
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
