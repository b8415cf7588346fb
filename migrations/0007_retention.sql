-- Retention (UU 27/2022 Pasal 44): files of finished requests are deleted after RETENTION_DAYS;
-- the record of what was done (request, events, audit) stays, marked as purged.
ALTER TABLE requests ADD COLUMN purged_at INTEGER;
ALTER TABLE attachments ADD COLUMN purged_at INTEGER;
CREATE INDEX requests_to_purge ON requests (closed_at) WHERE closed_at IS NOT NULL AND purged_at IS NULL;
