-- Service standards on requests (issue 13): every request gets a queue date (the working day it
-- queues for, after the service's daily quota) and a due date (the queue date plus the service's
-- time limit in working days), both office-local YYYY-MM-DD. The due date moves by the working
-- days a request waited in needs_revision (the clock stops while the resident owes papers).
-- Null for requests filed before this migration, and the due date null when the calendar has no
-- data for the year it falls in (a year without the decree's holidays is not guessed).
ALTER TABLE requests ADD COLUMN queue_date TEXT
	CHECK (queue_date IS NULL OR queue_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
-- The request's place in its queue date's queue for its service, from 1.
ALTER TABLE requests ADD COLUMN queue_position INTEGER CHECK (queue_position IS NULL OR queue_position >= 1);
ALTER TABLE requests ADD COLUMN due_date TEXT
	CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
-- The daily quota counts a service's requests per queue date; overdue lists read by due date.
CREATE INDEX requests_by_queue ON requests (service_code, queue_date);
CREATE INDEX requests_by_due ON requests (due_date, id);
