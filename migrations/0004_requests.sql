-- Request records: requests, their attachments' metadata (the bytes are in R2), status events,
-- the daily ticket counters, and hand-offs of a chat to staff. Times are epoch milliseconds.

CREATE TABLE requests (
	-- Fixed when the resident's draft began (uuid), so a repeated submission finds its own row.
	id TEXT PRIMARY KEY,
	-- '<OFFICE_CODE>-<YYMMDD>-<daily sequence>', e.g. 'PBM-261128-0042'.
	ticket TEXT NOT NULL UNIQUE,
	channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'kelurahan')),
	-- WhatsApp phone_number_id of the office number; null for kelurahan-assisted requests.
	business_id TEXT,
	-- WhatsApp wa_id or business-scoped user id; null when there is none.
	resident_id TEXT,
	-- Normalized like a wa_id ('62812...'); null when unknown.
	resident_phone TEXT,
	resident_name TEXT NOT NULL,
	nik TEXT NOT NULL CHECK (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*'),
	-- JSON array of NIK warnings for staff (e.g. ["impossible_date"]).
	nik_warnings TEXT NOT NULL DEFAULT '[]'
		CHECK (json_valid(nik_warnings) AND json_type(nik_warnings) = 'array'),
	service_code TEXT NOT NULL,
	variant_code TEXT NOT NULL,
	area_code TEXT NOT NULL REFERENCES areas (code),
	status TEXT NOT NULL CHECK (status IN (
		'submitted', 'in_review', 'needs_revision', 'processing', 'completed', 'rejected', 'cancelled'
	)),
	-- Bumped on every change: updates are conditional on the version that was read (409 otherwise).
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	language TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
	-- Staff id of the kelurahan operator who submitted on the resident's behalf; null otherwise.
	submitted_by TEXT,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	-- Set when the request reaches a final status (completed, rejected, cancelled).
	closed_at INTEGER,
	-- A WhatsApp request always knows whose chat it came from; a kelurahan one who submitted it.
	CHECK (channel <> 'whatsapp' OR (business_id IS NOT NULL AND resident_id IS NOT NULL)),
	CHECK (channel <> 'kelurahan' OR submitted_by IS NOT NULL)
);
-- Staff lists: newest first, id breaking ties so that keyset pagination is stable.
CREATE INDEX requests_by_created ON requests (created_at DESC, id DESC);
CREATE INDEX requests_by_status ON requests (status, created_at DESC, id DESC);
CREATE INDEX requests_by_service ON requests (service_code, variant_code, created_at DESC, id DESC);
CREATE INDEX requests_by_area ON requests (area_code, created_at DESC, id DESC);
-- The resident's own requests ('status' command), newest first.
CREATE INDEX requests_by_resident ON requests (business_id, resident_id, created_at DESC, id DESC);
CREATE INDEX requests_by_nik ON requests (nik);
CREATE INDEX requests_by_phone ON requests (resident_phone);

CREATE TABLE attachments (
	-- '<request id>:<doc code>:<message id, or index in the submission>'.
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	doc_code TEXT NOT NULL,
	-- 'requests/<request id>/<doc code>/<message id>' in the FILES bucket.
	r2_key TEXT NOT NULL UNIQUE,
	mime_type TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size >= 0),
	-- Lowercase hex SHA-256 of the bytes.
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	file_name TEXT,
	-- WhatsApp message id the file came in; null for files uploaded through the staff API.
	message_id TEXT,
	-- 'superseded' when a resent document replaces it (the row stays: the record of what was done).
	state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'superseded')),
	created_at INTEGER NOT NULL
);
CREATE INDEX attachments_by_request ON attachments (request_id, doc_code);

CREATE TABLE request_events (
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	at INTEGER NOT NULL,
	-- 'resident', 'system' or 'staff:<staff id>'.
	actor TEXT NOT NULL CHECK (actor IN ('resident', 'system') OR actor GLOB 'staff:?*'),
	-- Null for the first event (the submission).
	from_status TEXT,
	to_status TEXT NOT NULL,
	-- Required by the application for rejected and needs_revision; shown to the resident.
	reason TEXT,
	-- JSON object with details (e.g. which documents to resend).
	detail TEXT CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX request_events_by_request ON request_events (request_id, at);

-- One row a day: the last ticket number given out that day.
CREATE TABLE ticket_counters (
	-- 'YYMMDD' in the office's time zone.
	day TEXT PRIMARY KEY CHECK (length(day) = 6 AND day NOT GLOB '*[^0-9]*'),
	last INTEGER NOT NULL CHECK (last >= 0)
);

-- A resident asked for a person ('petugas'/'agent'); open until staff resolve it.
CREATE TABLE handoffs (
	-- Name of the resident's Conversation object: '<phone_number_id>:<wa_id>'.
	conversation TEXT PRIMARY KEY,
	business_id TEXT NOT NULL,
	resident_id TEXT NOT NULL,
	asked_at INTEGER NOT NULL,
	resolved_at INTEGER,
	-- Staff id of whoever resolved it.
	resolved_by TEXT
);
CREATE INDEX handoffs_open ON handoffs (asked_at) WHERE resolved_at IS NULL;
