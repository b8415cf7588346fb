-- Personal data after retention (UU 27/2022, Pasal 44): a closed request keeps only what the
-- service statistics need (UU 25/2009 reporting); its NIK, name, phone, chat identifiers, note
-- texts and event reasons are erased, and `erased_at` says when. The CHECKs of 0004 stay true:
-- the NIK becomes sixteen zeros, the name and the chat identifiers empty strings.
ALTER TABLE requests ADD COLUMN erased_at INTEGER;
CREATE INDEX requests_to_erase ON requests (closed_at) WHERE closed_at IS NOT NULL AND erased_at IS NULL;

-- Erasures asked for by an admin (POST /api/v1/residents/erasure): when, by whom, how much. Never
-- the NIK or phone that was erased: the row proves the erasure happened, not whose it was.
CREATE TABLE erasures (
	id TEXT PRIMARY KEY,
	at INTEGER NOT NULL,
	actor TEXT NOT NULL,
	-- 'phone' or 'nik': which kind of identifier was given, not its value.
	identifier_kind TEXT NOT NULL CHECK (identifier_kind IN ('phone', 'nik')),
	requests INTEGER NOT NULL CHECK (requests >= 0),
	conversations INTEGER NOT NULL CHECK (conversations >= 0),
	files INTEGER NOT NULL CHECK (files >= 0)
);
