-- Jobs of a resident's Conversation object that had all their tries (attempt or age cap), for
-- admins to see and retry. The job itself (its payload may hold a draft's NIK and name) stays in
-- the object; this row holds no personal data: kind, request id, a masked error, counts, times.
CREATE TABLE dead_letters (
	id TEXT PRIMARY KEY,
	conversation TEXT NOT NULL,
	kind TEXT NOT NULL,
	request_id TEXT,
	error TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	first_attempt_at INTEGER NOT NULL,
	last_attempt_at INTEGER NOT NULL,
	-- open: waiting for an admin; retried: queued again (a new failure makes it open again).
	state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'retried')),
	retried_at INTEGER,
	retried_by TEXT
);
CREATE INDEX dead_letters_by_state ON dead_letters (state, last_attempt_at);
