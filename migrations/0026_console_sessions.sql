-- Sessions of the staff console (issue 12). The browser holds only a random session id in an
-- HttpOnly cookie; this table keeps its SHA-256, never the id itself, so a copy of the database
-- opens no session. A session is bound to the token it was opened with (`token_hash`): once that
-- token is revoked, rotated or expired, or the staff member revoked, the session stops working.
CREATE TABLE console_sessions (
	id_hash TEXT PRIMARY KEY,
	-- staff.id, or 'bootstrap-admin' for the ADMIN_TOKEN.
	staff_id TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	-- Set by signing out.
	revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
