import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../src/channel/messages";
import { Outbox } from "../../src/conversation/store/outbox";

const reply: OutboundMessage = { type: "text", body: "Baik." };

/**
 * A long chat's outbox (`sent` messages sent, one pending, one waiting, `sent` more sent) and, for
 * each way of asking what is still to send, how many rows SQLite read to answer: with the
 * schema's index, and again with it dropped (the control: the same question read row by row).
 */
async function rowsReadInLongChat(name: string, sent: number) {
	return runInDurableObject(env.CONVERSATIONS.getByName(name), (_instance, state) => {
		const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
		const outbox = new Outbox({
			exec: ((query: string, ...bindings: unknown[]) => {
				const cursor = state.storage.sql.exec(query, ...bindings);
				cursors.push(cursor);
				return cursor;
			}) as SqlStorage["exec"],
		});
		const now = Date.now();
		const addSent = (from: number) => {
			for (let i = from; i < from + sent; i++) {
				outbox.add(reply, { now, requestId: null, sent: { channelId: `wamid.OLD${i}` } });
			}
		};
		// In the middle, so that read row by row each question passes hundreds, from either end.
		addSent(0);
		outbox.add(reply, { now, requestId: "r1" });
		outbox.add(reply, { now, requestId: "r1", hold: true });
		addSent(sent);
		const questions = {
			hasUnsent: () => outbox.hasUnsent(),
			firstPendingAt: () => outbox.firstPendingAt(),
			pending: () => outbox.pending().length,
			unsent: () => outbox.unsent().length,
			latestWaiting: () => outbox.latestWaiting()?.requestId,
		};
		const measure = () =>
			Object.fromEntries(
				Object.entries(questions).map(([question, ask]) => {
					cursors.length = 0;
					const answer = ask();
					const read = cursors.reduce((sum, cursor) => sum + cursor.rowsRead, 0);
					return [question, { answer, read }];
				}),
			);
		const withIndex = measure();
		state.storage.sql.exec("DROP INDEX outbox_unsent");
		const withoutIndex = measure();
		return { withIndex, withoutIndex };
	});
}

describe("a long chat's outbox", () => {
	it("finds the messages still to send without reading the hundreds already sent", async () => {
		const { withIndex, withoutIndex } = await rowsReadInLongChat("outbox-unsent-long", 200);
		expect(withIndex).toEqual({
			hasUnsent: { answer: true, read: expect.any(Number) },
			firstPendingAt: { answer: expect.any(Number), read: expect.any(Number) },
			pending: { answer: 1, read: expect.any(Number) },
			unsent: { answer: 2, read: expect.any(Number) },
			latestWaiting: { answer: "r1", read: expect.any(Number) },
		});
		for (const { read } of Object.values(withIndex)) expect(read).toBeLessThanOrEqual(4);
		// The same answers row by row: the measure sees the reads the index saves.
		for (const [question, { answer, read }] of Object.entries(withoutIndex)) {
			expect(answer).toEqual(withIndex[question]?.answer);
			expect(read).toBeGreaterThan(200);
		}
	});
});
