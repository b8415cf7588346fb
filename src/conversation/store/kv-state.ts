import type { ChannelName } from "../../channels";
import type { DialogueState } from "../dialogue";
import type { HandledPoint } from "./inbox";
import type { Sql } from "./sql";

/** The keys of the `kv` table: the object's identity, the dialogue's state and a few flags. */
export type KvKey =
	| "schema_version"
	| "channel"
	| "business_id"
	| "resident_id"
	/** The resident's user id on the channel (BSUID) once linked to the phone in `resident_id`. */
	| "user_id"
	/** The id the resident moved to (a number change): the move is done, never again. */
	| "moved_to"
	/** JSON array of the ids whose conversations this one took over (each handover once). */
	| "adopted_from"
	/** JSON array of the requests the kelurahan filed that this resident was told of (once each). */
	| "told_filed"
	| "profile_name"
	| "state"
	| "nudge_due"
	/** The last activity the quiet sweep has dealt with (see work/erasure.ts). */
	| "swept_through";

/** Who this conversation is with, as recorded from the channel's deliveries. */
export interface Identity {
	channel: ChannelName;
	businessId: string;
	residentId: string;
}

/** The `kv` table: small named values, one row each. */
export class KvState {
	constructor(private readonly sql: Sql) {}

	/** The value under `key`, if any. */
	get(key: KvKey): string | undefined {
		return this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0]
			?.value;
	}

	/** Stores `value` under `key`. */
	set(key: KvKey, value: string): void {
		this.sql.exec(
			// Unchanged values write nothing: most deliveries repeat the same identity.
			"INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE kv.value IS NOT excluded.value",
			key,
			value,
		);
	}

	/** Removes `key`. */
	delete(key: KvKey): void {
		this.sql.exec("DELETE FROM kv WHERE key = ?", key);
	}

	/** The channel, office number and resident (empty before the first delivery). */
	identity(): Identity {
		return {
			// WhatsApp is the only channel so far; `channel` is recorded for the next one.
			channel: "whatsapp",
			businessId: this.get("business_id") ?? "",
			residentId: this.get("resident_id") ?? "",
		};
	}

	/** The dialogue's saved state, if it ever ran. */
	dialogueState(): DialogueState | undefined {
		const saved = this.get("state");
		return saved === undefined ? undefined : (JSON.parse(saved) as DialogueState);
	}

	/**
	 * Saves the dialogue's state and, after a message's step, that the inbox has been handled
	 * through that message: one row, written only when something changed.
	 */
	saveDialogueState(state: DialogueState, handled?: HandledPoint): void {
		this.sql.exec(
			`INSERT INTO kv (key, value, handled_sent_at, handled_arrival, handled_id) VALUES ('state', ?, ?, ?, ?)
			 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
				handled_sent_at = coalesce(excluded.handled_sent_at, kv.handled_sent_at),
				handled_arrival = coalesce(excluded.handled_arrival, kv.handled_arrival),
				handled_id = coalesce(excluded.handled_id, kv.handled_id)
			 WHERE kv.value IS NOT excluded.value
				OR (excluded.handled_id IS NOT NULL AND excluded.handled_id IS NOT kv.handled_id)`,
			JSON.stringify(state),
			handled?.sentAt ?? null,
			handled?.arrival ?? null,
			handled?.messageId ?? null,
		);
	}

	/** Whether a closed window left messages waiting that a status template should announce. */
	nudgeDue(): boolean {
		return this.get("nudge_due") === "1";
	}

	setNudgeDue(due: boolean): void {
		this.set("nudge_due", due ? "1" : "0");
	}
}
