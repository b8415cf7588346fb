import { type HandoffMessage, type HandoffPlace, mergeParts, pageAfter } from "../handoff-page";
import { handoffSpanOf } from "../transcript";
import type { Work } from "./context";
import { earlierParts } from "./earlier-conversations";

/** A hand-off's span, on the objects' clocks (epoch ms, inclusive). */
export interface HandoffSpan {
	from: number;
	to: number;
}

/** What one conversation the resident left keeps of a hand-off's span, and whom it took over. */
export interface HandoffSpanHere {
	messages: HandoffMessage[];
	/** The ids of the conversations this one took over (`adopted_from`), oldest first. */
	earlier: string[];
}

/**
 * This conversation's messages in the span, read as one the resident left: only until it handed
 * the resident over (`moved_at`), since whoever writes from the old number afterwards need not
 * be the resident. A conversation that moved before its moves were timed is read to the span's end.
 */
export function handoffSpanHere(work: Work, tag: string, span: HandoffSpan): HandoffSpanHere {
	const { kv } = work.tables;
	const movedAt = kv.get("moved_at");
	const to = movedAt === undefined ? span.to : Math.min(span.to, Number(movedAt));
	return {
		messages: handoffSpanOf(work.tables, { from: span.from, to }, tag),
		earlier: kv.adoptedFrom(),
	};
}

/**
 * A page of a hand-off's conversation as staff read it, across the resident's number changes:
 * this conversation's messages in the span and those the conversations it took over (and they
 * in turn, see {@link earlierParts}) kept of it, in order, after `after`, at most `limit`.
 * Each page reads the whole span of every conversation, so that a message in two of them (see
 * mergeParts) has one place whichever page asks; a resident who never moved costs no call.
 */
export async function handoffMessagesAcrossMoves(
	work: Work,
	tag: string,
	page: HandoffSpan & { after?: HandoffPlace; limit: number },
): Promise<{ messages: HandoffMessage[]; more: boolean }> {
	const span = { from: page.from, to: page.to };
	const own = handoffSpanOf(work.tables, span, tag);
	const parts = await earlierParts(work, "conversation.handoff_earlier_failed", (conversation) =>
		conversation.handoffSpanHere(span),
	);
	return pageAfter(
		mergeParts([own, ...parts.map((part) => part.messages)]),
		page.after,
		page.limit,
	);
}
