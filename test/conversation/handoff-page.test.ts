/**
 * The order staff page through a hand-off's conversation in, when it is read from several
 * conversations (a resident's number changes): whatever the pages' size and however the
 * conversations' messages fall on the same millisecond, every message comes once, in one order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	HANDOFF_KEY,
	type HandoffMessage,
	inboundKey,
	mergeParts,
	outboundKey,
	pageAfter,
} from "../../src/conversation/handoff-page";
import { decodeCursor, encodeCursor } from "../../src/requests/cursor";

function message(direction: "in" | "out", order: number, key: string): HandoffMessage {
	return {
		order,
		key,
		direction,
		at: order,
		kind: "text",
		text: key,
		messageId: direction === "in" ? key : null,
		state: null,
		delivery: null,
	};
}

/**
 * Up to three conversations: each wrote its own numbered replies and received some of the
 * resident's messages, a message handed over with a move received again later by another. Few
 * distinct milliseconds, so that ties are common.
 */
const conversations = fc
	.array(
		fc.record({
			sent: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }),
			received: fc.uniqueArray(
				fc.record({ id: fc.integer({ min: 0, max: 9 }), at: fc.integer({ min: 0, max: 5 }) }),
				{ selector: (m) => m.id, maxLength: 6 },
			),
		}),
		{ minLength: 1, maxLength: 3 },
	)
	.map((parts) =>
		parts.map((part, n) => {
			const tag = `${n}`.padStart(16, "a");
			return [
				...part.sent.map((at, seq) => message("out", at, outboundKey(tag, seq + 1))),
				...part.received.map((m) => message("in", m.at, inboundKey(`wamid.${m.id}`))),
			];
		}),
	);

describe("a hand-off's conversation read from several conversations", () => {
	it("keeps each message once, and pages of any size, through the cursor, give the whole in order", () => {
		fc.assert(
			fc.property(conversations, fc.integer({ min: 1, max: 7 }), (parts, limit) => {
				const whole = mergeParts(parts);
				const keys = whole.map((m) => m.key);
				expect(new Set(keys).size).toBe(keys.length);
				expect(new Set(keys)).toEqual(new Set(parts.flat().map((m) => m.key)));
				const paged: string[] = [];
				let after: { at: number; key: string } | undefined;
				for (;;) {
					const page = pageAfter(mergeParts(parts), after, limit);
					paged.push(...page.messages.map((m) => m.key));
					const last = page.messages.at(-1);
					if (!page.more || last === undefined) break;
					const cursor = decodeCursor(encodeCursor(last.order, last.key));
					expect(cursor !== null && HANDOFF_KEY.test(cursor.id)).toBe(true);
					after = cursor === null ? undefined : { at: cursor.at, key: cursor.id };
				}
				expect(paged).toEqual(keys);
			}),
		);
	});

	it("places a message in two conversations where it was first received", () => {
		const first = message("in", 10, inboundKey("wamid.A"));
		const again = message("in", 20, inboundKey("wamid.A"));
		const reply = message("out", 15, outboundKey("b".repeat(16), 1));
		expect(mergeParts([[again, reply], [first]]).map((m) => m.order)).toEqual([10, 15]);
	});
});
