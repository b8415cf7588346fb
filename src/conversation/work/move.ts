import { conversationName } from "../../channel/address";
import { log, maskId } from "../../log";
import { moveResident } from "../../requests/resident-moves";
import type { Work } from "./context";

/** What a resident's new conversation takes over from the old one (a number change). */
export interface Adoption {
	businessId: string;
	residentId: string;
	profileName?: string;
	userId?: string;
	/** The dialogue's saved state (draft, language, current question), as stored. */
	state?: string;
}

/**
 * The resident now writes from `to` (WhatsApp: `user_changed_number`): the conversation under the
 * new id takes over the dialogue, D1's requests, notices and handoff follow, and this object
 * forgets the dialogue (whoever gets the old number later starts afresh). Nothing is sent to
 * either number. Done once: a redelivered notice finds the move recorded.
 */
export async function moveResidentTo(work: Work, to: string): Promise<void> {
	const { kv } = work.tables;
	const { businessId, residentId } = kv.identity();
	if (kv.get("moved_to") === to || residentId === "" || residentId === to) return;
	const profileName = kv.get("profile_name");
	const userId = kv.get("user_id");
	const state = kv.get("state");
	// The new conversation's stub, straight from the binding (../address would close an import cycle).
	const next = work.env.CONVERSATIONS.getByName(conversationName(businessId, to));
	await next.adopt({
		businessId,
		residentId: to,
		...(profileName === undefined ? {} : { profileName }),
		...(userId === undefined ? {} : { userId }),
		...(state === undefined ? {} : { state }),
	});
	const requests = await moveResident(work.db, {
		businessId,
		from: residentId,
		to,
		at: Date.now(),
	});
	work.tables.transaction(() => {
		kv.set("moved_to", to);
		kv.delete("state");
		kv.delete("user_id");
	});
	log.info("conversation.number_changed", {
		from: maskId(residentId),
		to: maskId(to),
		requests,
	});
}

/**
 * Takes over a moved resident's conversation. A dialogue already started under the new id is
 * kept (it is the newer one); otherwise the old one continues where it was.
 */
export function adopt(work: Work, adoption: Adoption): void {
	const { kv } = work.tables;
	work.tables.transaction(() => {
		kv.set("channel", "whatsapp");
		kv.set("business_id", adoption.businessId);
		kv.set("resident_id", adoption.residentId);
		if (adoption.profileName !== undefined) kv.set("profile_name", adoption.profileName);
		if (adoption.userId !== undefined) kv.set("user_id", adoption.userId);
		if (adoption.state !== undefined && kv.get("state") === undefined) {
			kv.set("state", adoption.state);
		}
	});
}
