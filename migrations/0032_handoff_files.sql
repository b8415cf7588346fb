-- One row per hand-off (it was one per conversation, reused under a new id each time the chat
-- was handed over): a hand-off keeps its own record, files and end after the next one begins,
-- until the retention purge. At most one open hand-off per conversation.
-- resolved_by: a staff actor, 'resident' (went back to the bot), 'expired' (nobody answered in
-- time) or 'superseded' (the conversation had left it when it asked again).
CREATE TABLE handoffs_by_id (
	id TEXT PRIMARY KEY NOT NULL,
	-- Name of the resident's Conversation object: '<phone_number_id>:<wa_id>'.
	conversation TEXT NOT NULL,
	business_id TEXT NOT NULL,
	resident_id TEXT NOT NULL,
	asked_at INTEGER NOT NULL,
	resolved_at INTEGER,
	resolved_by TEXT,
	last_reply_at INTEGER
);
INSERT INTO handoffs_by_id (id, conversation, business_id, resident_id, asked_at, resolved_at, resolved_by, last_reply_at)
	SELECT coalesce(id, lower(hex(randomblob(16)))), conversation, business_id, resident_id, asked_at,
		resolved_at, resolved_by, last_reply_at
	FROM handoffs;
DROP TABLE handoffs;
ALTER TABLE handoffs_by_id RENAME TO handoffs;
CREATE UNIQUE INDEX handoffs_open_conversation ON handoffs (conversation) WHERE resolved_at IS NULL;
CREATE INDEX handoffs_open ON handoffs (asked_at, id) WHERE resolved_at IS NULL;
CREATE INDEX handoffs_resolved ON handoffs (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX handoffs_resident ON handoffs (business_id, resident_id);

-- Photos and PDFs a resident sent while a person held the chat, for staff (never the bot's):
-- streamed into R2 at 'handoffs/<hand-off id>/file/<message id>' and served only through the
-- staff API (every view audited). They go with their hand-off: retention, erasure.
CREATE TABLE handoff_files (
	-- Random (never derived from the WhatsApp message id).
	id TEXT PRIMARY KEY NOT NULL,
	handoff_id TEXT NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
	key TEXT NOT NULL UNIQUE,
	mime_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	file_name TEXT,
	received_at INTEGER NOT NULL
);
CREATE INDEX handoff_files_of_handoff ON handoff_files (handoff_id, received_at);
