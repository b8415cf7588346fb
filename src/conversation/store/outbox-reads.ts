/**
 * The `outbox` table as staff read it: a request's messages and a span of the conversation, for
 * the transcripts (conversation/transcript.ts). Writing and sending stay in outbox.ts.
 *
 * @module
 */

import type { OutboundMessage } from "../../channel/messages";
import type { Sql } from "./sql";

/** A message as the staff's transcript shows it. */
export interface OutboxRecord {
	message: OutboundMessage;
	createdAt: number;
	sentAt: number | null;
	channelId: string | null;
	state: string;
	delivery: string | null;
	lastError: string | null;
	/** A reply about several requests (the status list): the request ids it names; else empty. */
	mentions: string[];
}

/** The columns of an outbox row that make an {@link OutboxRecord}, and the row they read. */
const RECORD_COLUMNS =
	"seq, payload, created_at, sent_at, wamid, state, delivery, last_error, mentions";
type RecordRow = {
	seq: number;
	payload: string;
	created_at: number;
	sent_at: number | null;
	wamid: string | null;
	state: string;
	delivery: string | null;
	last_error: string | null;
	mentions: string | null;
};

function recordOf(row: RecordRow): OutboxRecord {
	return {
		message: JSON.parse(row.payload) as OutboundMessage,
		createdAt: row.created_at,
		sentAt: row.sent_at,
		channelId: row.wamid,
		state: row.state,
		delivery: row.delivery,
		lastError: row.last_error,
		mentions: row.mentions === null ? [] : (JSON.parse(row.mentions) as string[]),
	};
}

/** Rows about a request: its own, and replies about none that mention it (`?` twice). */
export const ABOUT_REQUEST = `(request_id = ? OR (request_id IS NULL AND mentions IS NOT NULL
	AND EXISTS (SELECT 1 FROM json_each(outbox.mentions) WHERE value = ?)))`;

/** The outbox's messages, read for staff's transcripts. */
export class OutboxReads {
	constructor(private readonly sql: Sql) {}

	/** The messages written from `from` to `to` (inclusive), in order, with their place in line. */
	between(from: number, to: number): (OutboxRecord & { seq: number })[] {
		return this.sql
			.exec<RecordRow>(
				`SELECT ${RECORD_COLUMNS} FROM outbox WHERE created_at >= ? AND created_at <= ? ORDER BY seq`,
				from,
				to,
			)
			.toArray()
			.map((row) => ({ seq: row.seq, ...recordOf(row) }));
	}

	/** The messages about one request, in order, with the replies that mention it among others. */
	ofRequest(requestId: string): OutboxRecord[] {
		return this.sql
			.exec<RecordRow>(
				`SELECT ${RECORD_COLUMNS} FROM outbox WHERE ${ABOUT_REQUEST} ORDER BY seq`,
				requestId,
				requestId,
			)
			.toArray()
			.map(recordOf);
	}
}
