import type { DeliveryState } from "../../channel/events";
import type { OutboundMessage } from "../../channel/messages";
import { ABOUT_REQUEST } from "./outbox-reads";
import type { Sql } from "./sql";

/** A message due to be sent. */
export interface PendingMessage {
	seq: number;
	message: OutboundMessage;
	attempts: number;
	nextAt: number;
	/** When it was queued (a message held by an outage of ours waits longer the longer it lasts). */
	createdAt: number;
	/** Staff follow its delivery (see {@link followsDelivery}). */
	trackDelivery: boolean;
}

/** A message not yet sent, as a conversation hands it over to the resident's next one. */
export interface UnsentMessage {
	seq: number;
	message: OutboundMessage;
	state: "pending" | "waiting";
	createdAt: number;
	requestId: string | null;
	notice: string | null;
	mentions: string[] | null;
}

/**
 * Messages still to send: the condition of the partial index `outbox_unsent` (schema.ts), named
 * in every query for them so that SQLite reads the index instead of every message ever sent.
 */
const UNSENT = "state IN ('pending', 'waiting')";

/**
 * The `outbox` table: messages to the resident in `seq` order. States: pending (to send at
 * `next_at`), sent, waiting (for the 24-hour window to reopen) and dead (kept for staff).
 */
export class Outbox {
	/**
	 * Nothing was found still to send and nothing unsent has been written since: the usual step
	 * sends its replies ahead and writes them as sent, and its run then asked three more times
	 * (reopen, flush, schedule). Only this object writes its tables; the writes that can make a
	 * message unsent say so here, and a transaction that rolls back forgets it (Tables.transaction).
	 */
	private noneUnsent = false;

	constructor(private readonly sql: Sql) {}

	/** Nothing is to send (a new object's outbox): no need to ask until something is queued. */
	startEmpty(): void {
		this.noneUnsent = true;
	}

	/** Forgets what was learnt (a rolled-back transaction may have undone a send's mark). */
	forgetFound(): void {
		this.noneUnsent = false;
	}

	/**
	 * Queues a message and returns its `seq`; `notice` is its one-line summary for a status
	 * template. A message about several requests has no `requestId` and lists them in `mentions`
	 * instead. `hold`: kept waiting for the resident's next message whatever the window (they
	 * stopped messages). `sent`: it already went out (sent ahead of the step's commit, see
	 * work/sending.ts), so the row is written once, as sent, instead of queued and then marked.
	 */
	add(
		message: OutboundMessage,
		at: {
			now: number;
			requestId: string | null;
			notice?: string | null;
			mentions?: string[];
			hold?: boolean;
			sent?: { channelId: string };
		},
	): number {
		if (at.sent === undefined) this.noneUnsent = false;
		return this.sql
			.exec<{ seq: number }>(
				`INSERT INTO outbox (payload, state, attempts, next_at, created_at, sent_at, wamid, request_id, notice, mentions)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
				JSON.stringify(message),
				at.sent ? "sent" : at.hold ? "waiting" : "pending",
				at.sent ? 1 : 0,
				at.now,
				at.now,
				at.sent ? at.now : null,
				at.sent?.channelId ?? null,
				at.requestId,
				at.notice ?? null,
				at.mentions === undefined ? null : JSON.stringify(at.mentions),
			)
			.one().seq;
	}

	/** Whether any message is still to send (pending, or waiting for the window). */
	hasUnsent(): boolean {
		if (this.noneUnsent) return false;
		const any = this.sql.exec(`SELECT 1 FROM outbox WHERE ${UNSENT} LIMIT 1`).toArray().length > 0;
		this.noneUnsent = !any;
		return any;
	}

	/** The messages still to send (pending or waiting for the window), in order. */
	unsent(): UnsentMessage[] {
		if (this.noneUnsent) return [];
		return this.sql
			.exec<{
				seq: number;
				payload: string;
				state: "pending" | "waiting";
				created_at: number;
				request_id: string | null;
				notice: string | null;
				mentions: string | null;
			}>(
				`SELECT seq, payload, state, created_at, request_id, notice, mentions FROM outbox
				 WHERE ${UNSENT} ORDER BY seq`,
			)
			.toArray()
			.map((row) => ({
				seq: row.seq,
				message: JSON.parse(row.payload) as OutboundMessage,
				state: row.state,
				createdAt: row.created_at,
				requestId: row.request_id,
				notice: row.notice,
				mentions: row.mentions === null ? null : (JSON.parse(row.mentions) as string[]),
			}));
	}

	/**
	 * Queues messages another conversation of the same resident had not sent yet, after this
	 * one's, in their order and state (pending ones due `now`; `seq` is this table's own).
	 */
	takeOver(messages: readonly UnsentMessage[], now: number): void {
		this.noneUnsent = false;
		for (const m of messages) {
			this.sql.exec(
				`INSERT INTO outbox (payload, state, next_at, created_at, request_id, notice, mentions)
				 VALUES (?, ?, ?, ?, ?, ?, ?)`,
				JSON.stringify(m.message),
				m.state,
				now,
				m.createdAt,
				m.requestId,
				m.notice,
				m.mentions === null ? null : JSON.stringify(m.mentions),
			);
		}
	}

	/** Removes messages another conversation has taken over (by `seq`). */
	remove(seqs: readonly number[]): void {
		for (const seq of seqs) this.sql.exec("DELETE FROM outbox WHERE seq = ?", seq);
	}

	/** The pending messages, in order. */
	pending(): PendingMessage[] {
		if (this.noneUnsent) return [];
		return this.sql
			.exec<{
				seq: number;
				payload: string;
				attempts: number;
				next_at: number;
				created_at: number;
				notice: string | null;
			}>(
				`SELECT seq, payload, attempts, next_at, created_at, notice FROM outbox
				 WHERE ${UNSENT} AND state = 'pending' ORDER BY seq`,
			)
			.toArray()
			.map((row) => {
				const message = JSON.parse(row.payload) as OutboundMessage;
				return {
					seq: row.seq,
					message,
					attempts: row.attempts,
					nextAt: row.next_at,
					createdAt: row.created_at,
					trackDelivery: followsDelivery(message, row.notice),
				};
			});
	}

	/** When the first pending message is due (later ones wait for it: sends go out in order). */
	firstPendingAt(): number | undefined {
		if (this.noneUnsent) return undefined;
		return this.sql
			.exec<{ next_at: number }>(
				`SELECT next_at FROM outbox WHERE ${UNSENT} AND state = 'pending' ORDER BY seq LIMIT 1`,
			)
			.toArray()[0]?.next_at;
	}

	/**
	 * Marks a message sent under `channelId`. Its delivery starts over: a message sent again (the
	 * window had closed, see {@link waitAgain}) kept the old id's `failed`, which outranks every
	 * status of the new id and would show staff a notice the resident read as failed.
	 */
	markSent(seq: number, now: number, channelId: string): void {
		this.sql.exec(
			"UPDATE outbox SET state = 'sent', sent_at = ?, wamid = ?, attempts = attempts + 1, last_error = NULL, delivery = NULL WHERE seq = ?",
			now,
			channelId,
			seq,
		);
	}

	/** Keeps a message for when the window reopens; `reason` replaces the last error if given. */
	markWaiting(seq: number, reason?: string): void {
		this.noneUnsent = false;
		if (reason === undefined) {
			this.sql.exec("UPDATE outbox SET state = 'waiting' WHERE seq = ?", seq);
		} else {
			this.sql.exec(
				"UPDATE outbox SET state = 'waiting', last_error = ? WHERE seq = ?",
				reason,
				seq,
			);
		}
	}

	/**
	 * Gives up on a message after `attempts` tries; it stays for staff to see (and for an admin's
	 * retry, see {@link revive}). Returns its request and when it was queued.
	 */
	markDead(
		seq: number,
		attempts: number,
		reason: string,
	): { requestId: string | null; createdAt: number } | undefined {
		const row = this.sql
			.exec<{ request_id: string | null; created_at: number }>(
				"UPDATE outbox SET state = 'dead', attempts = ?, last_error = ? WHERE seq = ? RETURNING request_id, created_at",
				attempts,
				reason,
				seq,
			)
			.toArray()[0];
		return row && { requestId: row.request_id, createdAt: row.created_at };
	}

	/**
	 * Puts a message given up on back in line, due `now`, with fresh tries (an admin's retry of its
	 * dead letter). False when it is not dead (sent since, or no longer kept).
	 */
	revive(seq: number, now: number): boolean {
		this.noneUnsent = false;
		return (
			this.sql.exec(
				"UPDATE outbox SET state = 'pending', attempts = 0, next_at = ? WHERE seq = ? AND state = 'dead'",
				now,
				seq,
			).rowsWritten > 0
		);
	}

	/**
	 * Tries a message again at `nextAt`: one still pending, or one sent whose delivery failed for a
	 * passing reason (see work/delivery-failures.ts), which is pending again.
	 */
	retryLater(seq: number, attempts: number, nextAt: number, reason: string): void {
		this.noneUnsent = false;
		this.sql.exec(
			"UPDATE outbox SET state = 'pending', attempts = ?, next_at = ?, last_error = ? WHERE seq = ?",
			attempts,
			nextAt,
			reason,
			seq,
		);
	}

	/** The resident wrote: the window is open again for every waiting message. */
	reopenWaiting(now: number): void {
		if (this.noneUnsent) return;
		this.sql.exec(
			`UPDATE outbox SET state = 'pending', next_at = ? WHERE ${UNSENT} AND state = 'waiting'`,
			now,
		);
	}

	/**
	 * Moves a sent message's delivery state forward only (statuses arrive out of order). False when
	 * nothing moved: no message has that id (yet), or it is past `state` already.
	 */
	advanceDelivery(channelId: string, state: DeliveryState): boolean {
		const rank = DELIVERY_RANK[state] ?? 0;
		return (
			this.sql.exec(
				`UPDATE outbox SET delivery = ? WHERE wamid = ?
				 AND coalesce((CASE delivery WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 END), 0) < ?`,
				state,
				channelId,
				rank,
			).rowsWritten > 0
		);
	}

	/**
	 * A sent message the channel could not deliver for a closed window: keeps it; its `seq` and
	 * when it was sent, or undefined when no message has that id.
	 */
	waitAgain(channelId: string, reason: string): { seq: number; sentAt: number | null } | undefined {
		this.noneUnsent = false;
		const row = this.sql
			.exec<{ seq: number; sent_at: number | null }>(
				"UPDATE outbox SET state = 'waiting', last_error = ? WHERE wamid = ? RETURNING seq, sent_at",
				reason,
				channelId,
			)
			.toArray()[0];
		return row && { seq: row.seq, sentAt: row.sent_at };
	}

	/** A sent message by its channel id, with the tries it had (its send counted). */
	sentAs(channelId: string): { seq: number; attempts: number; createdAt: number } | undefined {
		const row = this.sql
			.exec<{ seq: number; attempts: number; created_at: number }>(
				"SELECT seq, attempts, created_at FROM outbox WHERE wamid = ? AND state = 'sent'",
				channelId,
			)
			.toArray()[0];
		return row && { seq: row.seq, attempts: row.attempts, createdAt: row.created_at };
	}

	/**
	 * Whether the status template `template` (the nudge, see work/sending.ts) was queued at or after
	 * `since` and went out or is still to go, other than message `except`. Asked only when a message
	 * fails for a closed window: no index serves it, and a resident's outbox is small.
	 */
	nudgedSince(since: number, template: string, except: number): boolean {
		return (
			this.sql
				.exec(
					`SELECT 1 FROM outbox WHERE seq <> ? AND created_at >= ? AND state IN ('pending', 'sent')
					 AND json_extract(payload, '$.type') = 'template' AND json_extract(payload, '$.name') = ?
					 LIMIT 1`,
					except,
					since,
					template,
				)
				.toArray().length > 0
		);
	}

	/** The newest waiting message's summary and request, for the status template. */
	latestWaiting(): { notice: string | null; requestId: string | null } | undefined {
		if (this.noneUnsent) return undefined;
		const row = this.sql
			.exec<{ notice: string | null; request_id: string | null }>(
				`SELECT notice, request_id FROM outbox
				 WHERE ${UNSENT} AND state = 'waiting' ORDER BY seq DESC LIMIT 1`,
			)
			.toArray()[0];
		return row && { notice: row.notice, requestId: row.request_id };
	}

	/** How many messages about a request are in `state`. */
	count(requestId: string, state: "waiting" | "dead"): number {
		return this.sql
			.exec<{ n: number }>(
				"SELECT count(*) AS n FROM outbox WHERE request_id = ? AND state = ?",
				requestId,
				state,
			)
			.one().n;
	}

	/**
	 * Retention: deletes a request's messages (unsent ones are given up with them) and the
	 * delivery statuses reported for them.
	 */
	forget(requestId: string): void {
		this.sql.exec(
			`DELETE FROM delivery_statuses WHERE message_id IN (SELECT wamid FROM outbox WHERE ${ABOUT_REQUEST})`,
			requestId,
			requestId,
		);
		this.sql.exec(`DELETE FROM outbox WHERE ${ABOUT_REQUEST}`, requestId, requestId);
	}
}

/**
 * Whether staff follow a message's delivery: a staff notice (it has a summary for the template),
 * a template, or a document (the finished paper). The bot's ordinary replies are not followed.
 */
export function followsDelivery(message: OutboundMessage, notice: string | null): boolean {
	return notice !== null || message.type === "template" || message.type === "document";
}

const DELIVERY_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };
