-- Facts about the office that residents are told (office hours, where to pick up cards).
-- Data, not code: another office edits these rows, not src/.
CREATE TABLE office_info (
	key TEXT PRIMARY KEY,
	value_id TEXT NOT NULL,
	value_en TEXT NOT NULL
);

INSERT INTO office_info (key, value_id, value_en) VALUES
	('hours', 'Senin-Jumat pukul 08.00-14.00 WIB', 'Monday to Friday, 08:00-14:00 WIB'),
	('address', 'Kantor Disdukcapil Kota Prabumulih', 'the Disdukcapil office of Kota Prabumulih');
