import { conversationName } from "../../channel/address";
import { errorDetail, log } from "../../log";
import type { Work } from "./context";

/** Most conversations one read across number changes reaches, this one included (each earlier one is a call). */
const MAX_CONVERSATIONS = 8;

/** A Conversation object's stub, as the binding gives it. */
type ConversationStub = ReturnType<Env["CONVERSATIONS"]["getByName"]>;

/**
 * What the conversations this one took over (and they in turn) each give `read` of theirs, for
 * a staff view across the resident's number changes: read breadth-first, each conversation once
 * (a resident who changed back and forth too), at most {@link MAX_CONVERSATIONS} with this one.
 * Each part names the conversations that one took over (`earlier`). One that cannot be read is
 * left out and logged as `failed`: staff still read the rest.
 */
export async function earlierParts<Part extends { earlier: string[] }>(
	work: Work,
	failed: string,
	read: (conversation: ConversationStub) => Promise<Part>,
): Promise<Part[]> {
	const { kv } = work.tables;
	if (!kv.hasIdentity()) return [];
	const { businessId, residentId } = kv.identity();
	const seen = new Set([residentId]);
	const parts: Part[] = [];
	let next = kv.adoptedFrom();
	while (next.length > 0 && seen.size < MAX_CONVERSATIONS) {
		const batch = [...new Set(next.filter((id) => !seen.has(id)))].slice(
			0,
			MAX_CONVERSATIONS - seen.size,
		);
		for (const id of batch) seen.add(id);
		const results = await Promise.allSettled(
			batch.map((id) => read(work.env.CONVERSATIONS.getByName(conversationName(businessId, id)))),
		);
		next = [];
		for (const result of results) {
			if (result.status === "rejected") {
				log.warn(failed, { error: errorDetail(result.reason) });
				continue;
			}
			parts.push(result.value);
			next.push(...result.value.earlier);
		}
	}
	return parts;
}
