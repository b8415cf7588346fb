-- Corrected papers held through the staff API (0028) were kept after their revision round ended
-- another way (the resident resent over WhatsApp, staff moved the request on), and the next
-- round's submit sent them along. Rows are now let go when the request leaves needs_revision;
-- this drops those already left behind: of a request not in needs_revision, or older than its
-- latest move to needs_revision. Their R2 objects go with the request's files.
DELETE FROM revision_files
WHERE request_id NOT IN (SELECT id FROM requests WHERE status = 'needs_revision')
	OR created_at < (
		SELECT max(e.at) FROM request_events e
		WHERE e.request_id = revision_files.request_id AND e.to_status = 'needs_revision'
	);
