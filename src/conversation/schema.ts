/**
 * The Conversation object's SQLite schema, applied in order and recorded, so that a deployed
 * object with an older schema upgrades itself on its next start. Append only.
 */
export const CONVERSATION_MIGRATIONS: readonly string[] = [
	`
	CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	-- Every message received, kept past Meta's 7-day redelivery horizon for dedupe; rowid = arrival order.
	CREATE TABLE IF NOT EXISTS inbox (
		message_id TEXT PRIMARY KEY,
		sent_at INTEGER NOT NULL,
		received_at INTEGER NOT NULL,
		event TEXT NOT NULL,
		processed_at INTEGER
	);
	CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (processed_at, sent_at);
	-- Delivery statuses of messages we sent, one row per (message, state).
	CREATE TABLE IF NOT EXISTS delivery_statuses (
		message_id TEXT NOT NULL,
		state TEXT NOT NULL,
		at INTEGER NOT NULL,
		errors TEXT NOT NULL,
		received_at INTEGER NOT NULL,
		PRIMARY KEY (message_id, state)
	);
	`,
	`
	-- Messages to the resident, sent in order; retried with backoff, kept when dead.
	CREATE TABLE IF NOT EXISTS outbox (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		payload TEXT NOT NULL,
		-- pending: to send at next_at; sent; waiting: needs the 24-hour window to reopen; dead: gave up.
		state TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		sent_at INTEGER,
		wamid TEXT,
		delivery TEXT,
		last_error TEXT,
		-- A short text for the status template when the window is closed (staff notices).
		notice TEXT,
		request_id TEXT
	);
	CREATE INDEX IF NOT EXISTS outbox_by_state ON outbox (state, seq);
	CREATE UNIQUE INDEX IF NOT EXISTS outbox_by_wamid ON outbox (wamid);
	-- Effects with I/O other than sending (downloads, submissions, lookups), run in order;
	-- while one is pending the inbox waits, so messages are handled after it.
	CREATE TABLE IF NOT EXISTS jobs (
		id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		payload TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_at INTEGER NOT NULL,
		created_at INTEGER NOT NULL,
		last_error TEXT
	);
	`,
	`
	-- Which request a resident's message belonged to, for the staff's transcript.
	ALTER TABLE inbox ADD COLUMN request_id TEXT;
	CREATE INDEX IF NOT EXISTS inbox_by_request ON inbox (request_id);
	CREATE INDEX IF NOT EXISTS outbox_by_request ON outbox (request_id, seq);
	`,
];
