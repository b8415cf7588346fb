import type { ChannelName } from "../../channels";
import type { DialogueState } from "../dialogue";
import type { HandledPoint } from "./inbox";
import type { Sql } from "./sql";

/** The keys of the `kv` table: the object's identity, the dialogue's state and a few flags. */
export type KvKey =
	| "schema_version"
	/** Who the conversation is with: {@link Identity} as JSON, in one row (each row written is billed). */
	| "identity"
	/** The resident's user id on the channel (BSUID) once linked to the phone in the identity. */
	| "user_id"
	/** The id the resident moved to (a number change): the move is done, never again. */
	| "moved_to"
	/** When it moved (epoch ms, the last move): what it received later need not be the resident's. */
	| "moved_at"
	/** JSON array of the ids whose conversations this one took over (each handover once). */
	| "adopted_from"
	/** JSON array of the requests the kelurahan filed that this resident was told of (once each). */
	| "told_filed"
	| "state"
	| "nudge_due"
	/** The last activity the quiet sweep has dealt with (see work/erasure.ts). */
	| "swept_through";

/** Who this conversation is with, as recorded from the channel's deliveries. */
export interface Identity {
	channel: ChannelName;
	businessId: string;
	residentId: string;
	/** The name on the resident's profile, when the channel gave one (the quiet sweep forgets it). */
	profileName?: string;
}

/**
 * The stored form: always the same key order, so that an identity a delivery repeats is the same
 * text and the unchanged-value check in {@link KvState.set} writes nothing.
 */
function identityText({ channel, businessId, residentId, profileName }: Identity): string {
	return JSON.stringify(
		profileName === undefined
			? { channel, businessId, residentId }
			: { channel, businessId, residentId, profileName },
	);
}

/** The `kv` table: small named values, one row each. */
export class KvState {
	/**
	 * The values read or written since the last {@link forget}: a message's handling reads the
	 * dialogue's state and the identity about sixteen times (half of all its SQL statements in
	 * bench/'s breakdown), and every write to this table goes through here. The shell forgets at
	 * the start of each call into the object and when a transaction rolls back.
	 */
	private readonly known = new Map<KvKey, string | undefined>();
	/** Every row has been read since the last {@link forget}: a key not known is not there. */
	private loaded = false;

	/**
	 * @param named - Who the object's name says the conversation is with: the identity until one
	 *   is recorded, so that an object staff reach first (a notice, a finished document for a
	 *   resident who never wrote) still sends to the resident and not to nobody.
	 */
	constructor(
		private readonly sql: Sql,
		private readonly named?: Omit<Identity, "profileName">,
	) {}

	/**
	 * The value under `key`, if any. The first read of a call reads the whole table (a handful of
	 * rows; a call reads four or five of them, each one statement when read alone).
	 */
	get(key: KvKey): string | undefined {
		if (this.known.has(key) || this.loaded) return this.known.get(key);
		for (const row of this.sql.exec<{ key: KvKey; value: string }>("SELECT key, value FROM kv")) {
			if (!this.known.has(row.key)) this.known.set(row.key, row.value);
		}
		this.loaded = true;
		return this.known.get(key);
	}

	/** Stores `value` under `key`. */
	set(key: KvKey, value: string): void {
		// Unchanged values write nothing (most deliveries repeat the same identity): when the value
		// is known, not even the statement.
		if ((this.known.has(key) || this.loaded) && this.known.get(key) === value) return;
		this.sql.exec(
			"INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE kv.value IS NOT excluded.value",
			key,
			value,
		);
		this.known.set(key, value);
	}

	/** Removes `key`. */
	delete(key: KvKey): void {
		this.sql.exec("DELETE FROM kv WHERE key = ?", key);
		this.known.set(key, undefined);
	}

	/** Removes every value but the schema version (the object forgets the resident). */
	clearAll(): void {
		this.sql.exec("DELETE FROM kv WHERE key <> 'schema_version'");
		this.forget();
	}

	/** Drops what was read: the next read of each value asks SQLite again. */
	forget(): void {
		this.known.clear();
		this.loaded = false;
	}

	/**
	 * The channel, office number, resident and profile name; before any is recorded, what the
	 * object's name says (empty without one).
	 */
	identity(): Identity {
		const saved = this.get("identity");
		if (saved !== undefined) return JSON.parse(saved) as Identity;
		return this.named ?? { channel: "whatsapp", businessId: "", residentId: "" };
	}

	/** The ids whose conversations this one took over, oldest first (`adopted_from`). */
	adoptedFrom(): string[] {
		return JSON.parse(this.get("adopted_from") ?? "[]") as string[];
	}

	/** Whether anyone ever told this object whose it is (a delivery, a handover, a filing). */
	hasIdentity(): boolean {
		return this.get("identity") !== undefined;
	}

	/**
	 * Records who the conversation is with; without a profile name the known one is kept (not every
	 * delivery carries it). One row, written only when something changed.
	 */
	setIdentity(identity: Identity): void {
		const profileName = identity.profileName ?? this.identity().profileName;
		this.set("identity", identityText({ ...identity, profileName }));
	}

	/** Forgets the resident's profile name and keeps the rest of the identity. */
	forgetProfileName(): void {
		if (!this.hasIdentity()) return;
		const { channel, businessId, residentId } = this.identity();
		this.set("identity", identityText({ channel, businessId, residentId }));
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
		const value = JSON.stringify(state);
		this.sql.exec(
			`INSERT INTO kv (key, value, handled_sent_at, handled_arrival, handled_id) VALUES ('state', ?, ?, ?, ?)
			 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
				handled_sent_at = coalesce(excluded.handled_sent_at, kv.handled_sent_at),
				handled_arrival = coalesce(excluded.handled_arrival, kv.handled_arrival),
				handled_id = coalesce(excluded.handled_id, kv.handled_id)
			 WHERE kv.value IS NOT excluded.value
				OR (excluded.handled_id IS NOT NULL AND excluded.handled_id IS NOT kv.handled_id)`,
			value,
			handled?.sentAt ?? null,
			handled?.arrival ?? null,
			handled?.messageId ?? null,
		);
		this.known.set("state", value);
	}

	/** Whether a closed window left messages waiting that a status template should announce. */
	nudgeDue(): boolean {
		return this.get("nudge_due") === "1";
	}

	setNudgeDue(due: boolean): void {
		this.set("nudge_due", due ? "1" : "0");
	}
}
