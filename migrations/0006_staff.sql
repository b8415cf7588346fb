-- Staff of the office and what they did: tokens are stored hashed, every action is audited.
CREATE TABLE staff (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'kelurahan')),
	-- The area a kelurahan operator serves (areas.code); null for other roles.
	kelurahan TEXT REFERENCES areas (code),
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at INTEGER,
	revoked_by TEXT,
	CHECK ((role = 'kelurahan') = (kelurahan IS NOT NULL))
);

-- Who did what to which request, including every file view. Never a NIK, token or file content.
CREATE TABLE audit_log (
	id TEXT PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	request_id TEXT,
	detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail))
);
CREATE INDEX audit_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_by_actor ON audit_log (actor, at DESC);
CREATE INDEX audit_by_request ON audit_log (request_id, at DESC);
CREATE INDEX audit_by_action ON audit_log (action, at DESC);

-- Internal notes on a request: never shown to the resident.
CREATE TABLE request_notes (
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	at INTEGER NOT NULL,
	author TEXT NOT NULL,
	text TEXT NOT NULL
);
CREATE INDEX request_notes_by_request ON request_notes (request_id, at);

-- Search by name prefix without a full scan.
CREATE INDEX requests_by_name ON requests (resident_name COLLATE NOCASE, created_at DESC);
