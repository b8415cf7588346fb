-- A finished document (the result PDF) staff attach is kept in `pending_notices` too, written in
-- the batch that records it and removed once the recipient's Conversation object has queued it, so
-- that a failed hand-over is retried by the cron instead of lost. `kind` says which call hands a
-- row over: 'notice' (notify; payload a StaffNotice) or 'result' (sendResult; payload a
-- ResultDelivery, the row's id the attachment's). Every row written before is a notice.
ALTER TABLE pending_notices ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice'
	CHECK (kind IN ('notice', 'result'));
