-- Issue 13: the daily digest. A staff member's WhatsApp number (E.164 digits, no plus) receives
-- the morning digest; null for none.
ALTER TABLE staff ADD COLUMN phone TEXT CHECK (phone IS NULL OR phone GLOB '[1-9]*' AND length(phone) BETWEEN 8 AND 15);

-- One row per office-local digest day and recipient: written when the day's digest run starts,
-- `sent_at` set once the channel accepted the message. A second run the same day sends only the
-- rows still unsent (a failed send is tried again), so nobody gets the same day's digest twice.
CREATE TABLE digest_sends (
	day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	staff_id TEXT NOT NULL REFERENCES staff (id),
	created_at INTEGER NOT NULL,
	sent_at INTEGER,
	attempts INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, staff_id)
);
-- The day itself: a row here means the day's recipients were chosen (at 07:00 office time).
CREATE TABLE digest_days (
	day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	started_at INTEGER NOT NULL
);
