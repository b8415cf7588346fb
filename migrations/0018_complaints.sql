-- Issue 14: complaints (pengaduan, SP4N-LAPOR practice). A resident's complaint gets its own ticket
-- and an answer within the office's time limit in working days (`due_date`, office-local).
CREATE TABLE complaints (
	id TEXT PRIMARY KEY,
	ticket TEXT NOT NULL UNIQUE,
	-- The resident's Conversation object name and ids, to answer them.
	conversation TEXT NOT NULL,
	business_id TEXT NOT NULL,
	resident_id TEXT NOT NULL,
	-- The request it is about (null when none) and that request's area, for scoping.
	request_id TEXT,
	area_code TEXT,
	body TEXT NOT NULL,
	-- R2 key and type of an optional photo.
	attachment_key TEXT,
	attachment_type TEXT,
	status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
	created_at INTEGER NOT NULL,
	due_date TEXT NOT NULL CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	answered_at INTEGER,
	closed_at INTEGER,
	closed_by TEXT
);
CREATE INDEX complaints_by_created ON complaints (created_at DESC, id DESC);
CREATE INDEX complaints_open ON complaints (due_date) WHERE closed_at IS NULL;
CREATE TABLE complaint_replies (
	id TEXT PRIMARY KEY,
	complaint_id TEXT NOT NULL REFERENCES complaints (id),
	staff_id TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
