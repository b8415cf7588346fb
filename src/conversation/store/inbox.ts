import type { InboundContent, InboundMessage } from "../../channel/events";
import type { Sql } from "./sql";

/** What retention leaves of a purged message: its id (it keeps deduplicating), no words. */
const PURGED_EVENT = '{"kind":"unsupported","detail":"purged"}';

/** Meta redelivers a webhook for up to 7 days: a message id younger than that still deduplicates. */
export const REDELIVERY_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/** The `inbox` table: every message received, deduplicated by the channel's id. */
export class Inbox {
	constructor(private readonly sql: Sql) {}

	/** Records a message; false when its id was seen before (a redelivery). */
	record(message: InboundMessage, now: number, position: number): boolean {
		const cursor = this.sql.exec(
			`INSERT INTO inbox (message_id, sent_at, received_at, arrival, event) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (message_id) DO NOTHING`,
			message.id,
			message.sentAt,
			now,
			now * 1000 + position,
			JSON.stringify(message.content),
		);
		return cursor.rowsWritten > 0;
	}

	/** The next message to handle: by the resident's send time, then arrival. */
	next(): InboundMessage | undefined {
		const row = this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE processed_at IS NULL ORDER BY sent_at, arrival, message_id LIMIT 1",
			)
			.toArray()[0];
		if (row === undefined) return undefined;
		return {
			id: row.message_id,
			sentAt: row.sent_at,
			content: JSON.parse(row.event) as InboundContent,
		};
	}

	/** Every message not handled yet, in the order they will be (for a handover). */
	unhandled(): InboundMessage[] {
		return this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE processed_at IS NULL ORDER BY sent_at, arrival, message_id",
			)
			.toArray()
			.map((row) => ({
				id: row.message_id,
				sentAt: row.sent_at,
				content: JSON.parse(row.event) as InboundContent,
			}));
	}

	/** Marks a message handled, with the request it was about (for the staff's transcript). */
	markProcessed(messageId: string, now: number, requestId: string | null): void {
		this.sql.exec(
			"UPDATE inbox SET processed_at = ?, request_id = ? WHERE message_id = ?",
			now,
			requestId,
			messageId,
		);
	}

	/** The messages about one request, unordered. */
	ofRequest(requestId: string): InboundMessage[] {
		return this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE request_id = ?",
				requestId,
			)
			.toArray()
			.map((row) => ({
				id: row.message_id,
				sentAt: row.sent_at,
				content: JSON.parse(row.event) as InboundContent,
			}));
	}

	/** The latest messages (by send time), newest first; purged ones left out. */
	latest(limit: number): InboundMessage[] {
		return this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE event <> ? ORDER BY sent_at DESC LIMIT ?",
				PURGED_EVENT,
				limit,
			)
			.toArray()
			.map((row) => ({
				id: row.message_id,
				sentAt: row.sent_at,
				content: JSON.parse(row.event) as InboundContent,
			}));
	}

	/**
	 * Retention: erases what was said about a request. Rows past Meta's redelivery horizon go
	 * altogether; younger ones keep only their id (it still deduplicates a redelivery).
	 */
	forget(requestId: string, now: number): void {
		this.sql.exec(
			"DELETE FROM inbox WHERE request_id = ? AND received_at < ?",
			requestId,
			now - REDELIVERY_HORIZON_MS,
		);
		this.sql.exec("UPDATE inbox SET event = ? WHERE request_id = ?", PURGED_EVENT, requestId);
	}
}
