import { conversationName } from "../../channel/address";
import { errorDetail, log } from "../../log";
import { type TranscriptEntry, transcriptOf } from "../transcript";
import type { Work } from "./context";

/** Most conversations one transcript reads, this one included (each earlier one is a call). */
const MAX_CONVERSATIONS = 8;

/** What one conversation keeps about a request, and the conversations it took over. */
export interface TranscriptHere {
	entries: TranscriptEntry[];
	/** The ids of the conversations this one took over (`adopted_from`), oldest first. */
	earlier: string[];
}

/** This conversation's own messages about the request, and whom it took over from. */
export function transcriptHere(work: Work, requestId: string): TranscriptHere {
	return { entries: transcriptOf(work.tables, requestId), earlier: work.tables.kv.adoptedFrom() };
}

/**
 * A request's transcript as staff read it, across the resident's number changes: this
 * conversation's messages and those the conversations it took over (and they in turn) kept about
 * the request, until their own quiet sweep. Read breadth-first, each conversation once (a
 * resident who changed back and forth too), at most {@link MAX_CONVERSATIONS}. An earlier
 * conversation that cannot be read is left out and logged: staff still read the rest.
 */
export async function transcriptAcrossMoves(
	work: Work,
	requestId: string,
): Promise<TranscriptEntry[]> {
	const { kv } = work.tables;
	const entries = transcriptOf(work.tables, requestId);
	if (!kv.hasIdentity()) return entries;
	const { businessId, residentId } = kv.identity();
	const read = new Set([residentId]);
	let next = kv.adoptedFrom();
	while (next.length > 0 && read.size < MAX_CONVERSATIONS) {
		const batch = [...new Set(next.filter((id) => !read.has(id)))].slice(
			0,
			MAX_CONVERSATIONS - read.size,
		);
		for (const id of batch) read.add(id);
		const results = await Promise.allSettled(
			batch.map((id) =>
				work.env.CONVERSATIONS.getByName(conversationName(businessId, id)).transcriptHere(
					requestId,
				),
			),
		);
		next = [];
		for (const result of results) {
			if (result.status === "rejected") {
				log.warn("conversation.transcript_earlier_failed", { error: errorDetail(result.reason) });
				continue;
			}
			entries.push(...result.value.entries);
			next.push(...result.value.earlier);
		}
	}
	// A message handed over with the move is in both conversations: keep it once.
	const seen = new Set<string>();
	return entries
		.filter((entry) => {
			if (entry.messageId === null) return true;
			const key = `${entry.direction}:${entry.messageId}`;
			if (seen.has(key)) return false;
			seen.add(key);
			return true;
		})
		.sort((a, b) => a.at - b.at);
}
