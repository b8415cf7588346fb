import type { InboundContent, InboundMessage } from "../../channel/events";
import type { Sql } from "./sql";

/** A point in the order messages are handled in (see the `unhandled_inbox` view). */
export interface HandledPoint {
	sentAt: number;
	arrival: number;
	messageId: string;
}

/** A message not handled yet, with where it stands in the order of handling (see `placeOf`). */
export interface Unhandled {
	message: InboundMessage;
	place: HandledPoint | "late";
}

/**
 * Where a message waiting stands, whether it is the last one waiting (none after it), and, when
 * known without another read, the request it was recorded under (see {@link Inbox.record}).
 */
export type Found = Pick<Unhandled, "place"> & { last: boolean; requestId?: string | null };

/** The next message to handle, with what was found of it. */
export type NextUnhandled = Unhandled & Found;

/** What retention leaves of a purged message: its id (it keeps deduplicating), no words. */
const PURGED_EVENT = '{"kind":"unsupported","detail":"purged"}';

/** Whether `a` comes after `b` in the order messages are handled in. */
export function isAfter(a: HandledPoint, b: HandledPoint): boolean {
	if (a.sentAt !== b.sentAt) return a.sentAt > b.sentAt;
	if (a.arrival !== b.arrival) return a.arrival > b.arrival;
	return a.messageId > b.messageId;
}

/** Meta redelivers a webhook for up to 7 days: a message id younger than that still deduplicates. */
export const REDELIVERY_HORIZON_MS = 7 * 24 * 60 * 60 * 1000;

/** A message waiting, as the inbox knows it: what {@link Inbox.next} gives, and its order. */
interface Waiting extends Unhandled {
	/** Its key in the order of handling (a late message's too: the view sorts them all by it). */
	at: HandledPoint;
	/** The request it was recorded under, when recorded by this object since it knew the list. */
	requestId?: string | null;
}

/** The `inbox` table: every message received, deduplicated by the channel's id. */
export class Inbox {
	/**
	 * The messages waiting to be handled, in the order they will be, as far as this object knows
	 * (undefined: ask SQLite). The inbox is kept for dedupe and grows with the chat, so each scan
	 * of it costs more as the chat goes on; once a scan (or a new object) has told what waits,
	 * {@link record}, {@link handled} and the other writes keep this list as SQLite's answer would
	 * be, and a rolled-back transaction forgets it (see Tables.transaction).
	 */
	private waiting: Waiting[] | undefined;

	constructor(private readonly sql: Sql) {}

	/** No message waits (a new object's inbox). */
	startEmpty(): void {
		this.waiting = [];
	}

	/** Forgets what was learnt of the messages waiting: the next question reads SQLite. */
	forgetFound(): void {
		this.waiting = undefined;
	}

	/** `messageId` is handled (in its step's transaction, or on its own row): it waits no more. */
	handled(messageId: string): void {
		if (this.waiting === undefined) return;
		this.waiting = this.waiting.filter((w) => w.message.id !== messageId);
	}

	/**
	 * Marks late the messages waiting that were sent before `place` and are not late, and says
	 * which: a step about to mark the inbox handled through `place` calls this first, or the
	 * `unhandled_inbox` view would hide them (they arrived while that step was under way, after the
	 * message they precede). Each is then handled on its own row, when its turn comes.
	 */
	markOvertaken(place: HandledPoint): string[] {
		const overtaken = this.known().filter(
			(w) => w.place !== "late" && w.message.id !== place.messageId && !isAfter(w.at, place),
		);
		for (const w of overtaken) {
			this.sql.exec("UPDATE inbox SET late = 1 WHERE message_id = ?", w.message.id);
			w.place = "late";
		}
		return overtaken.map((w) => w.message.id);
	}

	/**
	 * Records a message; false when its id was seen before (a redelivery). `requestId`: the request
	 * under way as it is received, the likely answer of the step (which corrects it if not). A
	 * message ordered before the point already handled arrived late and is marked so.
	 */
	record(
		message: InboundMessage,
		now: number,
		position: number,
		requestId: string | null,
	): boolean {
		const arrival = now * 1000 + position;
		const inserted = this.sql.exec<{ late: number }>(
			`INSERT INTO inbox (message_id, sent_at, received_at, arrival, event, request_id, late)
			 VALUES (?, ?, ?, ?, ?, ?, coalesce((SELECT (?, ?, ?) <= (handled_sent_at, handled_arrival, handled_id)
				FROM kv WHERE key = 'state' AND handled_id IS NOT NULL), 0))
			 ON CONFLICT (message_id) DO NOTHING RETURNING late`,
			message.id,
			message.sentAt,
			now,
			arrival,
			JSON.stringify(message.content),
			requestId,
			message.sentAt,
			arrival,
			message.id,
		);
		const row = inserted.toArray()[0];
		if (row === undefined) return false;
		if (this.waiting !== undefined) {
			const at = { sentAt: message.sentAt, arrival, messageId: message.id };
			const entry: Waiting = { message, place: row.late === 1 ? "late" : at, at, requestId };
			const firstAfter = this.waiting.findIndex((w) => isAfter(w.at, at));
			if (firstAfter === -1) this.waiting.push(entry);
			else this.waiting.splice(firstAfter, 0, entry);
		}
		return true;
	}

	/**
	 * The next message to handle (by the resident's send time, then arrival), its place, and
	 * whether it is the only one waiting (so that the latest waiting is known without another scan).
	 */
	next(): NextUnhandled | undefined {
		const waiting = this.known();
		const first = waiting[0];
		if (first === undefined) return undefined;
		return {
			message: first.message,
			place: first.place,
			last: waiting.length === 1,
			...(first.requestId === undefined ? {} : { requestId: first.requestId }),
		};
	}

	/** Where the last of the messages not handled yet stands (the one handled last). */
	lastUnhandled(): HandledPoint | undefined {
		return this.known().at(-1)?.at;
	}

	/** Every message not handled yet, in the order they will be (for a handover). */
	unhandled(): InboundMessage[] {
		return this.known().map(({ message }) => message);
	}

	/** The messages waiting, read from SQLite when not known. */
	private known(): Waiting[] {
		this.waiting ??= this.sql
			.exec<{ message_id: string; sent_at: number; arrival: number; event: string; late: number }>(
				"SELECT message_id, sent_at, arrival, event, late FROM unhandled_inbox ORDER BY sent_at, arrival, message_id",
			)
			.toArray()
			.map((row) => {
				const at = { sentAt: row.sent_at, arrival: row.arrival, messageId: row.message_id };
				return {
					message: {
						id: row.message_id,
						sentAt: row.sent_at,
						content: JSON.parse(row.event) as InboundContent,
					},
					place: row.late === 1 ? "late" : at,
					at,
				};
			});
		return this.waiting;
	}

	/**
	 * Where a message stands in the order of handling, for the state row's mark (see
	 * `KvState.saveDialogueState`), or `late` when it must be marked on its own row.
	 */
	placeOf(messageId: string): HandledPoint | "late" | undefined {
		const row = this.sql
			.exec<{ sent_at: number; arrival: number; late: number }>(
				"SELECT sent_at, arrival, late FROM inbox WHERE message_id = ?",
				messageId,
			)
			.toArray()[0];
		if (row === undefined) return undefined;
		return row.late === 1 ? "late" : { sentAt: row.sent_at, arrival: row.arrival, messageId };
	}

	/**
	 * A message handled within the mark: records the request it was about, writing only when that
	 * differs from the one guessed on receipt (a caller that knows the guess skips the statement).
	 */
	settleRequest(messageId: string, requestId: string | null): void {
		this.sql.exec(
			"UPDATE inbox SET request_id = ? WHERE message_id = ? AND request_id IS NOT ?",
			requestId,
			messageId,
			requestId,
		);
	}

	/** Marks a message handled on its own row, with the request it was about. */
	markProcessed(messageId: string, now: number, requestId: string | null): void {
		this.sql.exec(
			"UPDATE inbox SET processed_at = ?, request_id = ? WHERE message_id = ?",
			now,
			requestId,
			messageId,
		);
		this.handled(messageId);
	}

	/**
	 * Marks every message handled on its own row (before the state row, which holds the mark, is
	 * deleted: a conversation handed over must not handle its messages again).
	 */
	markAllProcessed(now: number): void {
		this.sql.exec("UPDATE inbox SET processed_at = ? WHERE processed_at IS NULL", now);
		this.waiting = [];
	}

	/** Keeps `content` in place of what a handled message said (see withoutDetails). */
	replaceContent(messageId: string, content: InboundContent): void {
		this.sql.exec(
			"UPDATE inbox SET event = ? WHERE message_id = ?",
			JSON.stringify(content),
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

	/**
	 * The messages received from `from` to `to` (this object's clock, inclusive), in arrival
	 * order, with when each was received; purged ones left out.
	 */
	between(from: number, to: number): { message: InboundMessage; receivedAt: number }[] {
		return this.sql
			.exec<{ message_id: string; sent_at: number; received_at: number; event: string }>(
				`SELECT message_id, sent_at, received_at, event FROM inbox
				 WHERE received_at >= ? AND received_at <= ? AND event <> ? ORDER BY arrival`,
				from,
				to,
				PURGED_EVENT,
			)
			.toArray()
			.map((row) => ({
				message: {
					id: row.message_id,
					sentAt: row.sent_at,
					content: JSON.parse(row.event) as InboundContent,
				},
				receivedAt: row.received_at,
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
		// A message waiting may have lost its words or its row.
		this.forgetFound();
	}
}
