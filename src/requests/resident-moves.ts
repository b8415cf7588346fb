import { conversationName } from "../channel/address";
import { normalizePhone } from "./phone";

/**
 * Why a resident moved: a number change, or a user id (BSUID) that had its own conversation
 * linked to the resident's phone number.
 */
export type ResidentMoveKind = "number_changed" | "identity_merged";

/** A resident's move to another id on the channel (WhatsApp: a number change, a linked BSUID). */
export interface ResidentMove {
	kind: ResidentMoveKind;
	businessId: string;
	from: string;
	to: string;
	at: number;
}

/**
 * Points everything D1 keeps under the resident's old id at the new one, in one batch: their
 * requests (resident id and phone), status notices still waiting for delivery, an open handoff,
 * their complaints and a linked user id. Records the move (by `kind`) as a resident event, without either number (counts
 * only). The resident's Conversation runs it once per move (it remembers the move).
 *
 * @returns how many requests moved.
 */
export async function moveResident(db: D1Database, move: ResidentMove): Promise<number> {
	const { businessId, from, to, at, kind } = move;
	const oldName = conversationName(businessId, from);
	const newName = conversationName(businessId, to);
	const phone = normalizePhone(to);
	const [requests] = await db.batch([
		db
			.prepare(
				`UPDATE requests SET resident_id = ?1, resident_phone = COALESCE(?2, resident_phone)
				 WHERE business_id = ?3 AND resident_id = ?4`,
			)
			.bind(to, phone, businessId, from),
		// A hand-over given up follows too: its letter names the chat an erasure of the resident finds.
		db
			.prepare(
				`UPDATE dead_letters SET conversation = ?1 WHERE conversation = ?2
				 AND id IN (SELECT letter_id FROM pending_notices WHERE conversation = ?2)`,
			)
			.bind(newName, oldName),
		db
			.prepare("UPDATE pending_notices SET conversation = ? WHERE conversation = ?")
			.bind(newName, oldName),
		db
			.prepare(
				`UPDATE OR IGNORE handoffs SET conversation = ?, resident_id = ? WHERE conversation = ?`,
			)
			.bind(newName, to, oldName),
		db
			.prepare("UPDATE resident_identities SET wa_id = ? WHERE business_id = ? AND wa_id = ?")
			.bind(to, businessId, from),
		// Complaints follow too, so staff's answers reach the resident's new number.
		db
			.prepare("UPDATE complaints SET conversation = ?, resident_id = ? WHERE conversation = ?")
			.bind(newName, to, oldName),
		// The `berhenti` record follows the resident, as the flag does in the dialogue's state.
		db
			.prepare(
				"UPDATE resident_opt_outs SET resident_id = ? WHERE business_id = ? AND resident_id = ?",
			)
			.bind(to, businessId, from),
	]);
	const moved = requests?.meta.changes ?? 0;
	await db
		.prepare("INSERT INTO resident_events (at, kind, business_id, detail) VALUES (?, ?, ?, ?)")
		.bind(at, kind, businessId, JSON.stringify({ requests: moved }))
		.run();
	return moved;
}
