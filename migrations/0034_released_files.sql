-- Corrected papers held for a revision round (0028) and let go when the round ended another way
-- (the resident resent over WhatsApp, staff moved the request on) lost their rows but kept their
-- R2 objects, a resident's papers, until the request's retention purge. The batch that lets them
-- go now writes their keys here (never a key an attachment holds), and the daily cron deletes
-- those objects, then the rows: a crash between the two leaves the row, and the next run deletes
-- again (deleting a missing object is harmless). The keys hold no personal data.
-- (Objects left behind by 0031, whose keys no row names any more, go with the purge.)
CREATE TABLE released_files (
	r2_key TEXT PRIMARY KEY,
	request_id TEXT NOT NULL,
	released_at INTEGER NOT NULL
);
