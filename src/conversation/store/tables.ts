import { CONVERSATION_MIGRATIONS, CONVERSATION_SCHEMA, PRE_RELEASE_TABLES } from "../schema";
import { DeadJobs } from "./dead-jobs";
import { Deliveries } from "./deliveries";
import { ChatErasure } from "./erasure";
import { Inbox } from "./inbox";
import { Jobs } from "./jobs";
import { type Identity, KvState } from "./kv-state";
import { Outbox } from "./outbox";
import { OutboxReads } from "./outbox-reads";
import type { Sql } from "./sql";

/** The Conversation object's SQLite tables, one module each, over one executor. */
export class Tables {
	readonly kv: KvState;
	readonly inbox: Inbox;
	readonly outbox: Outbox;
	readonly outboxReads: OutboxReads;
	readonly deliveries: Deliveries;
	readonly jobs: Jobs;
	readonly deadJobs: DeadJobs;
	readonly erasure: ChatErasure;

	constructor(
		sql: Sql,
		private readonly storage: DurableObjectStorage,
		named?: Identity,
	) {
		this.kv = new KvState(sql, named);
		this.inbox = new Inbox(sql);
		this.outbox = new Outbox(sql);
		this.outboxReads = new OutboxReads(sql);
		this.deliveries = new Deliveries(sql);
		this.jobs = new Jobs(sql);
		this.deadJobs = new DeadJobs(sql);
		this.erasure = new ChatErasure(sql, this.kv, this.inbox);
	}

	/** Runs `work` as one transaction: all of its writes, or none (nor what was read of them). */
	transaction<T>(work: () => T): T {
		try {
			return this.storage.transactionSync(work);
		} catch (error) {
			this.kv.forget();
			this.inbox.forgetFound();
			this.outbox.forgetFound();
			this.jobs.forgetFound();
			this.deadJobs.forgetFound();
			throw error;
		}
	}

	/**
	 * Brings the schema up to date (synchronous SQL only: it runs in blockConcurrencyWhile, which
	 * must never wait on I/O). A new object creates the latest schema whole and writes its version
	 * once, in one transaction (each row written is billed, and there is nothing to keep half-way);
	 * an existing one applies each pending migration in order, each committed with its version.
	 */
	migrate(): void {
		const sql = this.storage.sql;
		const found = new Set(
			sql
				.exec<{ name: string }>(
					"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'kv')",
				)
				.toArray()
				.map((row) => row.name),
		);
		if (found.has("schema_migrations")) {
			for (const table of PRE_RELEASE_TABLES) sql.exec(`DROP TABLE IF EXISTS ${table}`);
			found.delete("kv");
		}
		if (!found.has("kv")) {
			this.transaction(() => {
				sql.exec(CONVERSATION_SCHEMA);
				this.kv.set("schema_version", String(CONVERSATION_MIGRATIONS.length));
			});
			this.inbox.startEmpty();
			this.outbox.startEmpty();
			this.jobs.startEmpty();
			this.deadJobs.startEmpty();
			return;
		}
		let version = Number(this.kv.get("schema_version") ?? "0");
		for (const statement of CONVERSATION_MIGRATIONS.slice(version)) {
			this.transaction(() => {
				sql.exec(statement);
				version += 1;
				this.kv.set("schema_version", String(version));
			});
		}
	}
}
