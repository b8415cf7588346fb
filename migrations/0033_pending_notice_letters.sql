-- A kept notice or finished document whose hand-over to the recipient's Conversation object keeps
-- failing is given up after the tries of a message to the resident (12, over at least 50 minutes):
-- the row stays (it is what an admin's retry hands over), the cron no longer tries it (nor the
-- request's later rows, which must not overtake it), and D1's dead_letters shows it to admins.
-- letter_id: its dead letter, kept across retries (a retry failing again reopens the same letter);
-- given_up_at: set while it waits for an admin; retried_at: the admin's last retry, from which
-- its fresh tries' time counts.
ALTER TABLE pending_notices ADD COLUMN letter_id TEXT;
ALTER TABLE pending_notices ADD COLUMN given_up_at INTEGER;
ALTER TABLE pending_notices ADD COLUMN retried_at INTEGER;
