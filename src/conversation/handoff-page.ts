/**
 * A hand-off's conversation as staff page through it: each message's place, the conversations a
 * resident's number changes left behind read as one, and a page of it after a cursor. Pure.
 *
 * @module
 */

/** One message of a hand-off's conversation, as staff read it. */
export interface HandoffMessage {
	/**
	 * Its place in the conversation: when its object received or wrote it (one clock for both
	 * directions; the resident's phone stamps `at`), then `key`. The page cursor is both.
	 */
	order: number;
	key: string;
	direction: "in" | "out";
	at: number;
	kind: string;
	text: string | null;
	/** Inbound only: the resident's message id (a file sent to staff is found by it). */
	messageId: string | null;
	/** Outbound only: pending, sent, waiting or dead, and what WhatsApp last said. */
	state: string | null;
	delivery: string | null;
}

/** A place in the conversation: a page's last message's order and key. */
export interface HandoffPlace {
	at: number;
	key: string;
}

/** The key of the resident's message: its id is the channel's, the same in every conversation. */
export function inboundKey(messageId: string): string {
	return `in:${messageId}`;
}

/**
 * The key of a message sent: the place in line is its own conversation's, so the conversation's
 * tag goes first; zero-padded, so that the keys of one instant sort in the order they were written.
 */
export function outboundKey(tag: string, seq: number): string {
	return `out:${tag}:${String(seq).padStart(12, "0")}`;
}

/**
 * The keys {@link inboundKey} and {@link outboundKey} make, for checking a cursor. An outbound
 * key without a tag is what pages gave before the conversations were read as one: it still
 * places a page (at worst among the messages of the same millisecond).
 */
export const HANDOFF_KEY = /^(in:\S{1,190}|out:([0-9a-f]{16}:)?[0-9]{12})$/;

/** Order of two messages: by `order`, then by `key` (a string's code units, as SQLite would). */
function compare(a: HandoffPlace, b: HandoffPlace): number {
	return a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function placeOf(m: HandoffMessage): HandoffPlace {
	return { at: m.order, key: m.key };
}

/**
 * The conversations' messages as one, in order. A resident's message handed over with a number
 * change is in both conversations (the old one received it, the new one took it over later): it
 * stands once, where it was first received, so that its place is the same on every page.
 */
export function mergeParts(parts: readonly HandoffMessage[][]): HandoffMessage[] {
	const all = parts.flat().sort((a, b) => compare(placeOf(a), placeOf(b)));
	const seen = new Set<string>();
	return all.filter((m) => {
		if (m.direction === "out") return true;
		if (seen.has(m.key)) return false;
		seen.add(m.key);
		return true;
	});
}

/** The messages after `after` (all from the start without it), at most `limit`, and whether more follow. */
export function pageAfter(
	ordered: readonly HandoffMessage[],
	after: HandoffPlace | undefined,
	limit: number,
): { messages: HandoffMessage[]; more: boolean } {
	const rest =
		after === undefined ? ordered : ordered.filter((m) => compare(placeOf(m), after) > 0);
	return { messages: rest.slice(0, limit), more: rest.length > limit };
}
