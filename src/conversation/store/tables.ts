import { CONVERSATION_MIGRATIONS, KV_TABLE, PRE_RELEASE_TABLES } from "../schema";
import { DeadJobs } from "./dead-jobs";
import { Deliveries } from "./deliveries";
import { ChatErasure } from "./erasure";
import { Inbox } from "./inbox";
import { Jobs } from "./jobs";
import { KvState } from "./kv-state";
import { Outbox } from "./outbox";
import type { Sql } from "./sql";

/** The Conversation object's SQLite tables, one module each, over one executor. */
export class Tables {
	readonly kv: KvState;
	readonly inbox: Inbox;
	readonly outbox: Outbox;
	readonly deliveries: Deliveries;
	readonly jobs: Jobs;
	readonly deadJobs: DeadJobs;
	readonly erasure: ChatErasure;

	constructor(
		sql: Sql,
		private readonly storage: DurableObjectStorage,
	) {
		this.kv = new KvState(sql);
		this.inbox = new Inbox(sql);
		this.outbox = new Outbox(sql);
		this.deliveries = new Deliveries(sql);
		this.jobs = new Jobs(sql);
		this.deadJobs = new DeadJobs(sql);
		this.erasure = new ChatErasure(sql);
	}

	/** Runs `work` as one transaction: all of its writes, or none. */
	transaction<T>(work: () => T): T {
		return this.storage.transactionSync(work);
	}

	/**
	 * Brings the schema up to date (synchronous SQL only: it runs in blockConcurrencyWhile, which
	 * must never wait on I/O). An existing object applies each pending migration in order, each
	 * committed with its version number; a new one applies them all in one transaction and writes
	 * its version once (each row written is billed, and there is nothing to keep half-way).
	 */
	migrate(): void {
		const sql = this.storage.sql;
		const preRelease = sql
			.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
			.toArray().length;
		if (preRelease > 0) {
			for (const table of PRE_RELEASE_TABLES) sql.exec(`DROP TABLE IF EXISTS ${table}`);
		}
		sql.exec(KV_TABLE);
		const applied = Number(this.kv.get("schema_version") ?? "0");
		const pending = CONVERSATION_MIGRATIONS.slice(applied);
		const steps = applied === 0 ? [pending] : pending.map((statement) => [statement]);
		let version = applied;
		for (const step of steps) {
			this.transaction(() => {
				for (const statement of step) sql.exec(statement);
				version += step.length;
				this.kv.set("schema_version", String(version));
			});
		}
	}
}
