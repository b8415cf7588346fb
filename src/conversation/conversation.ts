import { DurableObject } from "cloudflare:workers";
import { log, maskId } from "../log";
import type { DeliveryStatus, InboundBatch, InboundMessage } from "./events";
import { CONVERSATION_MIGRATIONS } from "./schema";

/** What `receive` tells the webhook: how many messages were new. */
export interface ReceiveResult {
	accepted: number;
	duplicates: number;
	statuses: number;
}

/**
 * One resident's conversation with the office (name `<phone_number_id>:<resident id>`): the inbox
 * of their messages, deduplicated by message id, and the delivery statuses of what we sent them.
 * Work happens in `alarm()`, never in `receive()`, so the webhook is acknowledged quickly.
 */
export class Conversation extends DurableObject<Env> {
	private readonly sql: SqlStorage;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = ctx.storage.sql;
		// Synchronous SQL only: blockConcurrencyWhile must never wait on I/O.
		void ctx.blockConcurrencyWhile(async () => this.migrate());
	}

	private migrate(): void {
		this.sql.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
		const applied = this.sql
			.exec<{ version: number }>(
				"SELECT coalesce(max(version), 0) AS version FROM schema_migrations",
			)
			.one().version;
		CONVERSATION_MIGRATIONS.forEach((statement, index) => {
			const version = index + 1;
			if (version <= applied) return;
			this.ctx.storage.transactionSync(() => {
				this.sql.exec(statement);
				this.sql.exec("INSERT INTO schema_migrations (version) VALUES (?)", version);
			});
		});
	}

	/**
	 * Records a resident's share of a webhook delivery and arms the alarm that will handle it.
	 * Idempotent: a message id seen before is ignored, so Meta's redeliveries are harmless.
	 * Resolves only once the rows are durable (the output gate holds the reply until then).
	 */
	async receive(batch: InboundBatch): Promise<ReceiveResult> {
		const now = Date.now();
		let accepted = 0;
		this.ctx.storage.transactionSync(() => {
			this.remember("channel", batch.channel);
			this.remember("business_id", batch.businessId);
			this.remember("resident_id", batch.residentId);
			if (batch.profileName !== undefined) this.remember("profile_name", batch.profileName);
			for (const message of batch.messages) {
				if (this.recordMessage(message, now)) accepted++;
			}
			for (const status of batch.statuses) this.recordStatus(status, now);
		});
		if (accepted > 0) await this.armAlarm(now);
		return {
			accepted,
			duplicates: batch.messages.length - accepted,
			statuses: batch.statuses.length,
		};
	}

	private remember(key: string, value: string): void {
		this.sql.exec(
			"INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			key,
			value,
		);
	}

	private recordMessage(message: InboundMessage, now: number): boolean {
		const cursor = this.sql.exec(
			`INSERT INTO inbox (message_id, sent_at, received_at, event) VALUES (?, ?, ?, ?)
			 ON CONFLICT (message_id) DO NOTHING`,
			message.id,
			message.sentAt,
			now,
			JSON.stringify(message.content),
		);
		return cursor.rowsWritten > 0;
	}

	private recordStatus(status: DeliveryStatus, now: number): void {
		this.sql.exec(
			`INSERT INTO delivery_statuses (message_id, state, at, errors, received_at)
			 VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, state) DO NOTHING`,
			status.messageId,
			status.state,
			status.at,
			JSON.stringify(status.errors),
			now,
		);
		if (status.state === "failed") {
			log.warn("conversation.delivery_failed", {
				resident: maskId(this.recall("resident_id") ?? ""),
				codes: status.errors.map((error) => error.code).join(","),
			});
		}
	}

	private recall(key: string): string | undefined {
		return this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0]
			?.value;
	}

	private async armAlarm(at: number): Promise<void> {
		const current = await this.ctx.storage.getAlarm();
		if (current === null || current > at) await this.ctx.storage.setAlarm(at);
	}

	/** Pending inbox messages in the order the resident sent them (then in arrival order). */
	pending(): { id: string; sentAt: number; content: InboundMessage["content"] }[] {
		return this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE processed_at IS NULL ORDER BY sent_at, rowid",
			)
			.toArray()
			.map((row) => ({ id: row.message_id, sentAt: row.sent_at, content: JSON.parse(row.event) }));
	}

	/**
	 * Drains the inbox in order. Alarms run at least once (and may run again after a crash), so
	 * each message is marked processed in the same transaction as the state it produced.
	 */
	override async alarm(): Promise<void> {
		for (const message of this.pending()) {
			this.sql.exec(
				"UPDATE inbox SET processed_at = ? WHERE message_id = ?",
				Date.now(),
				message.id,
			);
		}
	}
}
