-- Staff tokens expire (issue 10): a token is refused after expires_at (epoch milliseconds).
-- Tokens issued before this migration get 90 days from their creation, but at least 30 days from
-- now, so that deploying it locks nobody out at once.
ALTER TABLE staff ADD COLUMN expires_at INTEGER;
UPDATE staff SET expires_at = max(
	created_at + 90 * 86400000,
	CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 30 * 86400000
)
WHERE expires_at IS NULL;

-- When a token was last replaced by POST /staff/{id}/token, and by whom.
ALTER TABLE staff ADD COLUMN rotated_at INTEGER;
ALTER TABLE staff ADD COLUMN rotated_by TEXT;

-- Attachment ids are random now (never derived from a WhatsApp message id, which encodes the
-- resident's phone number); this key keeps one message from being recorded twice for a document.
CREATE UNIQUE INDEX attachments_by_message ON attachments (request_id, doc_code, message_id)
	WHERE message_id IS NOT NULL;
