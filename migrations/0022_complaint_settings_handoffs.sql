-- Issue 14: settings an admin changes through the API (one row a setting; the code types and
-- bounds each value), first the complaint time limit in working days (default 5 when absent).
CREATE TABLE office_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	-- Audit actor of whoever changed it last.
	updated_by TEXT NOT NULL
);

-- A hand-off gets an id of its own for the staff API: the conversation name holds the resident's
-- phone number and must stay out of URLs and access logs. A new id per time the chat is handed over.
ALTER TABLE handoffs ADD COLUMN id TEXT;
UPDATE handoffs SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
CREATE UNIQUE INDEX handoffs_id ON handoffs (id);
-- When staff last wrote in the open hand-off (the chat is held by a person until it is closed).
ALTER TABLE handoffs ADD COLUMN last_reply_at INTEGER;

-- When a complaint's words, photo and chat ids were erased (retention or the resident's erasure);
-- its ticket, dates, status and area stay for the reports.
ALTER TABLE complaints ADD COLUMN erased_at INTEGER;
