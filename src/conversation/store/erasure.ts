import type { Inbox } from "./inbox";
import type { KvState } from "./kv-state";
import type { Sql } from "./sql";

/**
 * Erasure across the chat tables (inbox, outbox, delivery statuses, jobs, dead jobs, kv): what
 * the quiet sweep and an admin's erasure need to find and delete, in one place.
 */
export class ChatErasure {
	constructor(
		private readonly sql: Sql,
		private readonly kv: KvState,
		private readonly inbox: Inbox,
	) {}

	/**
	 * When anything was last written to the chat (received, queued, or a job that died: its
	 * letter can be retried until the chat has been quiet that long after it too), if ever.
	 */
	lastActivity(): number | undefined {
		const row = this.sql
			.exec<{ at: number | null }>(
				`SELECT max(at) AS at FROM (
					SELECT max(received_at) AS at FROM inbox
					UNION ALL SELECT max(created_at) FROM outbox
					UNION ALL SELECT max(received_at) FROM delivery_statuses
					UNION ALL SELECT max(last_at) FROM dead_jobs)`,
			)
			.one();
		return row.at ?? undefined;
	}

	/** The requests (or drafts) that chat rows written before `before` belong to; null: none. */
	requestIdsBefore(before: number): (string | null)[] {
		return this.sql
			.exec<{ request_id: string | null }>(
				`SELECT request_id FROM inbox WHERE received_at < ?
				 UNION SELECT request_id FROM outbox WHERE created_at < ?`,
				before,
				before,
			)
			.toArray()
			.map((row) => row.request_id);
	}

	/** Every request (or draft) id the chat rows mention. */
	requestIds(): string[] {
		return this.sql
			.exec<{ request_id: string }>(
				`SELECT request_id FROM inbox WHERE request_id IS NOT NULL
				 UNION SELECT request_id FROM outbox WHERE request_id IS NOT NULL`,
			)
			.toArray()
			.map((row) => row.request_id);
	}

	/** Deletes the chat rows of `requestId` (null: rows about no request) written before `before`. */
	dropBefore(requestId: string | null, before: number): void {
		this.sql.exec("DELETE FROM inbox WHERE request_id IS ? AND received_at < ?", requestId, before);
		this.inbox.forgetFound();
		this.sql.exec(
			`DELETE FROM delivery_statuses WHERE message_id IN
			 (SELECT wamid FROM outbox WHERE request_id IS ? AND created_at < ?)`,
			requestId,
			before,
		);
		this.sql.exec("DELETE FROM outbox WHERE request_id IS ? AND created_at < ?", requestId, before);
		// Statuses of messages no longer kept (or never known) carry only ids: no longer needed.
		this.sql.exec(
			`DELETE FROM delivery_statuses WHERE received_at < ?
			 AND message_id NOT IN (SELECT wamid FROM outbox WHERE wamid IS NOT NULL)`,
			before,
		);
	}

	/** True when no chat row and no job, live or dead, is left. */
	empty(): boolean {
		return (
			this.sql
				.exec<{ n: number }>(
					`SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)
					 + (SELECT count(*) FROM delivery_statuses) + (SELECT count(*) FROM jobs)
					 + (SELECT count(*) FROM dead_jobs) AS n`,
				)
				.one().n === 0
		);
	}

	/** Deletes every row of every table but the schema version: the object forgets the resident. */
	clearAll(): void {
		for (const table of ["inbox", "outbox", "delivery_statuses", "jobs", "dead_jobs"]) {
			this.sql.exec(`DELETE FROM ${table}`);
		}
		this.inbox.forgetFound();
		this.kv.clearAll();
	}
}
