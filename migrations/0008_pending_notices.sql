-- Notices to residents written with the status change they announce (same batch), and removed once
-- the resident's Conversation object has queued them: a notice is never lost between the two.
CREATE TABLE pending_notices (
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	conversation TEXT NOT NULL,
	payload TEXT NOT NULL CHECK (json_valid(payload)),
	created_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pending_notices_by_age ON pending_notices (created_at);
