import { type Catalog, loadCatalog } from "../../catalog/catalog";
import type { ChannelClient } from "../../channel/client";
import { channelFor } from "../../channels";
import { type Settings, settingsOf } from "../../env";
import { type DialogueState, initialState } from "../dialogue";
import type { HandledPoint } from "../store/inbox";
import type { Tables } from "../store/tables";
import { EarlyFailures } from "./early-failures";

/** WhatsApp's customer-service window: free-form messages only within 24 h of the resident's last. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
const CATALOG_TTL_MS = 5 * 60_000;
let catalogCache: { catalog: Catalog; at: number } | undefined;

/** What the object's work needs: its tables, the storage bindings, settings and its channel. */
export class Work {
	/**
	 * The latest of the resident's messages this instance marked read (Meta marks the earlier ones
	 * with it). Kept in memory: an object that restarts forgets it and marks once more, no worse.
	 */
	readThrough: HandledPoint | undefined;
	/** Runs in a row that failed (D1 or R2 down), for the delay before the next try; in memory. */
	failedRuns = 0;
	/** Failures the channel reported for messages sent and not yet written (see EarlyFailures). */
	readonly earlyFailures = new EarlyFailures();

	constructor(
		readonly env: Env,
		readonly tables: Tables,
		/** D1 and R2, counted for the benchmarks' cost figures. */
		readonly db: D1Database,
		readonly files: R2Bucket,
		private readonly storage: DurableObjectStorage,
	) {}

	settings(): Settings {
		return settingsOf(this.env);
	}

	/** The dialogue's state (a fresh one in the default language before the first message). */
	state(): DialogueState {
		return this.tables.kv.dialogueState() ?? initialState(this.settings().get("DEFAULT_LANGUAGE"));
	}

	/** The client for this conversation's channel and office number. */
	channel(): ChannelClient {
		const { channel, businessId } = this.tables.kv.identity();
		return channelFor(this.env, channel, businessId);
	}

	/** The catalog, shared by every object of the isolate and re-read every few minutes. */
	async catalog(): Promise<Catalog> {
		const now = Date.now();
		if (catalogCache === undefined || now - catalogCache.at > CATALOG_TTL_MS) {
			catalogCache = { catalog: await loadCatalog(this.db), at: now };
		}
		return catalogCache.catalog;
	}

	/** Arms the alarm for `at`, unless it is already due sooner. */
	async armAlarm(at: number): Promise<void> {
		const current = await this.storage.getAlarm();
		if (current === null || current > at) await this.storage.setAlarm(at);
	}

	/** Sets the alarm to `at`, or clears it when nothing is left to do. */
	async scheduleAlarm(at: number | undefined): Promise<void> {
		if (at === undefined) await this.storage.deleteAlarm();
		else await this.storage.setAlarm(at);
	}
}
