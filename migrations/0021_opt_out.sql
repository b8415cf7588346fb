-- Issue 14: a resident's `berhenti` / `stop` (opted_out = 1) and `mulai` / `start` (0), one row per
-- change with its time. A chat's latest row is its flag: while it is 1 the office sends nothing
-- the resident did not ask for. Staff see it on the request and in handoffs. Keyed like the
-- requests' chat columns; deleted with the resident's chat data when an admin erases them.
CREATE TABLE resident_opt_outs (
	id TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	resident_id TEXT NOT NULL,
	opted_out INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
	at INTEGER NOT NULL
);
CREATE INDEX resident_opt_outs_by_chat ON resident_opt_outs (business_id, resident_id, at);
