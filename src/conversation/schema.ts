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
];
