import { type TranscriptEntry, transcriptOf } from "../transcript";
import type { Work } from "./context";
import { earlierParts } from "./earlier-conversations";

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
 * the request, until their own quiet sweep (see {@link earlierParts}).
 */
export async function transcriptAcrossMoves(
	work: Work,
	requestId: string,
): Promise<TranscriptEntry[]> {
	const entries = transcriptOf(work.tables, requestId);
	const parts = await earlierParts(work, "conversation.transcript_earlier_failed", (conversation) =>
		conversation.transcriptHere(requestId),
	);
	for (const part of parts) entries.push(...part.entries);
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
