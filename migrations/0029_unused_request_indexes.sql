-- Issue 15 (cost): D1 bills every index entry a write adds as a row written. Four indexes that no
-- query reads through are dropped: the bench's request wrote 32 rows, now 27 (the request 13 -> 11,
-- each of its three files 5 -> 4), and a status change 3 -> 2 rows on `requests`.
-- Evidence: test/requests/index-plans.test.ts runs EXPLAIN QUERY PLAN on real D1 for the product's
-- own query functions (lists, searches, quota, resident status, digest, retention, files).

-- requests (service_code, variant_code, created_at, id): no query filters on the variant, and the
-- staff list filtered by service already read through requests_by_queue (service_code, queue_date)
-- before this drop ("SEARCH r USING INDEX requests_by_queue (service_code=?)"): same plan after.
DROP INDEX IF EXISTS requests_by_service;

-- requests (due_date, id): no plan used it. The overdue list and the digest read through
-- requests_by_status (status=?), "due before" through requests_by_created (newest first, bounded
-- by the page), and the due-date order (ORDER BY coalesce(due_date, ...), id) cannot use it.
-- Dropping it also spares a row on every status change (its UPDATE assigns due_date).
DROP INDEX IF EXISTS requests_by_due;

-- requests (closed_at) WHERE closed_at IS NOT NULL AND purged_at IS NULL: nothing selects by
-- purged_at; the retention sweep reads requests_to_erase (closed_at>? AND closed_at<?), and
-- purging and erasing happen in one batch. Spares a row when a request closes.
DROP INDEX IF EXISTS requests_to_purge;

-- attachments (request_id, doc_code, message_id) WHERE message_id IS NOT NULL: read by no query
-- (a partial index serves only queries that say message_id IS NOT NULL; the file lists read
-- attachments_by_request (request_id=?)). Its uniqueness is kept by the UNIQUE r2_key: a WhatsApp
-- file's key is requests/<request id>/<document>/<message id> (mediaKey), so one message recorded
-- twice for a document has the same key, and ON CONFLICT DO NOTHING (revisions) or the batch's
-- failure (submission) keeps the first.
DROP INDEX IF EXISTS attachments_by_message;
