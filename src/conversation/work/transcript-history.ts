import { conversationName } from "../../channel/address";
import { type TranscriptEntry, transcriptOf } from "../transcript";
import type { Work } from "./context";

/** How many conversations back a transcript follows a resident's number changes (calls to make). */
const MAX_EARLIER = 4;

/**
 * A request's transcript as staff read it, across the resident's number changes: this
 * conversation's messages and those the conversations it took over kept about the request (the
 * exchange before the move, until their own quiet sweep). `visited` names the conversations
 * already read, so a resident who changed back and forth is read once each.
 */
export async function transcriptAcrossMoves(
	work: Work,
	requestId: string,
	visited: readonly string[],
): Promise<TranscriptEntry[]> {
	const { kv } = work.tables;
	const own = transcriptOf(work.tables, requestId);
	if (!kv.hasIdentity()) return own;
	const { businessId, residentId } = kv.identity();
	const read = [...visited, residentId];
	const adopted = JSON.parse(kv.get("adopted_from") ?? "[]") as string[];
	const earlier = adopted.filter((from) => !read.includes(from)).slice(0, MAX_EARLIER);
	if (earlier.length === 0 || read.length > MAX_EARLIER) return own;
	const theirs = await Promise.all(
		earlier.map((from) =>
			work.env.CONVERSATIONS.getByName(conversationName(businessId, from)).transcript(
				requestId,
				read,
			),
		),
	);
	// A message handed over with the move is in both: keep it once.
	const seen = new Set<string>();
	return [...own, ...theirs.flat()]
		.filter((entry) => {
			if (entry.messageId === null) return true;
			const key = `${entry.direction}:${entry.messageId}`;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		})
		.sort((a, b) => a.at - b.at);
}
