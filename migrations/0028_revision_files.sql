-- Issue 11: corrected papers a kelurahan operator uploads through the staff API for a request in
-- needs_revision (one file per call), held here until `POST /requests/{id}/submit` resubmits them
-- together; then the rows go and the files belong to the request's attachments.
CREATE TABLE revision_files (
	id TEXT PRIMARY KEY,
	request_id TEXT NOT NULL REFERENCES requests (id),
	doc_code TEXT NOT NULL,
	r2_key TEXT NOT NULL,
	mime_type TEXT NOT NULL,
	size INTEGER NOT NULL CHECK (size > 0),
	sha256 TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	-- The same bytes sent again (a retried upload) are one file.
	UNIQUE (request_id, doc_code, sha256)
);
