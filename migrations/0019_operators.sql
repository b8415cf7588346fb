-- Issue 11: kelurahan operators who cover several areas, each area office's contact, and requests
-- filed for residents through the staff API (a draft first, in nobody's queue).

-- The areas a kelurahan operator covers: a kelurahan/desa code, or a kecamatan code meaning all of
-- its areas. `staff.kelurahan` stays the operator's home area (single-area accounts keep working:
-- their one area is copied here).
CREATE TABLE staff_areas (
	staff_id TEXT NOT NULL REFERENCES staff (id),
	code TEXT NOT NULL,
	PRIMARY KEY (staff_id, code)
) WITHOUT ROWID;
INSERT INTO staff_areas (staff_id, code)
	SELECT id, kelurahan FROM staff WHERE kelurahan IS NOT NULL;

-- The kelurahan/desa office's contact, told to residents who need help: editable by admins
-- (PATCH /api/v1/areas/{code}); null until an admin fills it in.
ALTER TABLE areas ADD COLUMN office_address TEXT;
ALTER TABLE areas ADD COLUMN office_phone TEXT;
ALTER TABLE areas ADD COLUMN office_hours TEXT;

-- A request an operator (or officer, admin) is filing for a resident, before it is submitted: in
-- nobody's queue. The id becomes the request's id on submission, so a repeated submit finds it.
-- Deleted once the request is written (its files become the request's attachments).
CREATE TABLE filing_drafts (
	id TEXT PRIMARY KEY,
	service_code TEXT NOT NULL,
	variant_code TEXT NOT NULL,
	area_code TEXT NOT NULL REFERENCES areas (code),
	nik TEXT NOT NULL CHECK (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*'),
	nik_warnings TEXT NOT NULL DEFAULT '[]'
		CHECK (json_valid(nik_warnings) AND json_type(nik_warnings) = 'array'),
	resident_name TEXT NOT NULL,
	-- Normalized like a wa_id ('62812...'); null when the resident has no WhatsApp number.
	resident_phone TEXT,
	language TEXT NOT NULL DEFAULT 'id' CHECK (language IN ('id', 'en')),
	-- When the resident agreed that the operator files and holds their papers.
	consent_at INTEGER NOT NULL,
	-- The filing staff member's id ('bootstrap-admin' for the bootstrap token).
	filed_by TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX filing_drafts_by_created ON filing_drafts (created_at);

-- A draft's files, already in R2 at 'requests/<draft id>/<doc code>/<file id>'.
CREATE TABLE filing_files (
	id TEXT PRIMARY KEY,
	draft_id TEXT NOT NULL REFERENCES filing_drafts (id),
	doc_code TEXT NOT NULL,
	r2_key TEXT NOT NULL UNIQUE,
	mime_type TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
	created_at INTEGER NOT NULL
);
-- The same bytes uploaded twice for a document (a retried PUT) are one file.
CREATE UNIQUE INDEX filing_files_once ON filing_files (draft_id, doc_code, sha256);
