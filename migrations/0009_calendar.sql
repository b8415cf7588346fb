-- The office's working calendar (issue 13): which days the office works and when, so that a
-- request gets a queue date and a due date in working days. Data, not code: admins edit these
-- rows (GET/PUT /api/v1/calendar), and src/standards/holidays.ts holds the same seed for tests.
-- The integrator renumbers this file.

-- Years whose holidays and cuti bersama are all listed below, with the decree they come from.
-- A year missing here is reported as "no calendar data", never guessed.
CREATE TABLE calendar_years (
	year INTEGER PRIMARY KEY,
	decree TEXT NOT NULL,
	source TEXT NOT NULL,
	verification TEXT NOT NULL
);

-- Days that differ from the weekly hours. holiday (libur nasional) and cuti_bersama come from the
-- decree; closed is a day the office itself closes (a local holiday); working_day opens a day
-- that is normally closed (a Saturday service day) and then needs its hours.
CREATE TABLE calendar_days (
	date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'cuti_bersama', 'closed', 'working_day')),
	name TEXT NOT NULL,
	source TEXT NOT NULL,
	opens TEXT CHECK (opens IS NULL OR opens GLOB '[0-2][0-9]:[0-5][0-9]'),
	closes TEXT CHECK (closes IS NULL OR closes GLOB '[0-2][0-9]:[0-5][0-9]'),
	CHECK ((kind = 'working_day') = (opens IS NOT NULL AND closes IS NOT NULL AND opens < closes))
);

-- Office hours per ISO weekday (1 Monday ... 7 Sunday), office-local HH:MM, closes exclusive.
-- A weekday without a row is closed.
CREATE TABLE office_hours (
	weekday INTEGER PRIMARY KEY CHECK (weekday BETWEEN 1 AND 7),
	opens TEXT NOT NULL CHECK (opens GLOB '[0-2][0-9]:[0-5][0-9]'),
	closes TEXT NOT NULL CHECK (closes GLOB '[0-2][0-9]:[0-5][0-9]'),
	CHECK (opens < closes)
);

-- Monday to Friday 08:00-14:00, as office_info.hours tells residents; Saturday and Sunday closed.
INSERT INTO office_hours (weekday, opens, closes) VALUES
	(1, '08:00', '14:00'),
	(2, '08:00', '14:00'),
	(3, '08:00', '14:00'),
	(4, '08:00', '14:00'),
	(5, '08:00', '14:00');

-- 2026: SKB Menteri Agama No. 1497 Tahun 2025, Menteri Ketenagakerjaan No. 2 Tahun 2025, Menteri
-- PANRB No. 5 Tahun 2025, ditetapkan 19 September 2025 (17 libur nasional, 8 cuti bersama).
-- 2027: SKB Menteri Agama No. 1205 Tahun 2026, Menteri Ketenagakerjaan No. 3 Tahun 2026, Menteri
-- PANRB No. 2 Tahun 2026, ditetapkan 15 September 2026 (18 libur nasional, 8 cuti bersama);
-- checked only against secondary copies of its lists: see the verification column.
-- Idulfitri and Iduladha are finally fixed by the Minister of Religious Affairs (sidang isbat):
-- an admin moves those rows when the ministry's date differs from the decree's.
INSERT INTO calendar_years (year, decree, source, verification) VALUES
	(2026,
		'SKB Menteri Agama No. 1497/2025, Menteri Ketenagakerjaan No. 2/2025, Menteri PANRB No. 5/2025 (19 September 2025)',
		'https://www.setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2026',
		'Decree number and counts from a government site (Disdik Kota Semarang); every date agreed by several press copies of the decree''s lists.'),
	(2027,
		'SKB Menteri Agama No. 1205/2026, Menteri Ketenagakerjaan No. 3/2026, Menteri PANRB No. 2/2026 (15 September 2026)',
		'https://setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2027',
		'Secondary: the decree''s lists as copied by three independent public repositories that cite the setneg.go.id and kemenkopmk.go.id pages; the pages themselves were not read. Check against the decree before relying on it.');

INSERT INTO calendar_days (date, kind, name, source) VALUES
	('2026-01-01', 'holiday', 'Tahun Baru 2026 Masehi', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-01-16', 'holiday', 'Isra Mikraj Nabi Muhammad S.A.W.', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-02-16', 'cuti_bersama', 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-02-17', 'holiday', 'Tahun Baru Imlek 2577 Kongzili', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-18', 'cuti_bersama', 'Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-19', 'holiday', 'Hari Suci Nyepi (Tahun Baru Saka 1948)', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-20', 'cuti_bersama', 'Cuti Bersama Idulfitri 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-21', 'holiday', 'Idulfitri 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-22', 'holiday', 'Idulfitri 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-23', 'cuti_bersama', 'Cuti Bersama Idulfitri 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-03-24', 'cuti_bersama', 'Cuti Bersama Idulfitri 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-04-03', 'holiday', 'Wafat Yesus Kristus', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-04-05', 'holiday', 'Kebangkitan Yesus Kristus (Paskah)', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-01', 'holiday', 'Hari Buruh Internasional', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-14', 'holiday', 'Kenaikan Yesus Kristus', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-15', 'cuti_bersama', 'Cuti Bersama Kenaikan Yesus Kristus', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-27', 'holiday', 'Iduladha 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-28', 'cuti_bersama', 'Cuti Bersama Iduladha 1447 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-05-31', 'holiday', 'Hari Raya Waisak 2570 BE', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-06-01', 'holiday', 'Hari Lahir Pancasila', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-06-16', 'holiday', '1 Muharam Tahun Baru Islam 1448 Hijriah', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-08-17', 'holiday', 'Proklamasi Kemerdekaan', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-08-25', 'holiday', 'Maulid Nabi Muhammad S.A.W.', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-12-24', 'cuti_bersama', 'Cuti Bersama Kelahiran Yesus Kristus', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2026-12-25', 'holiday', 'Kelahiran Yesus Kristus', 'SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)'),
	('2027-01-01', 'holiday', 'Tahun Baru 2027 Masehi', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-01-05', 'holiday', 'Isra Mikraj Nabi Muhammad S.A.W.', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-02-05', 'cuti_bersama', 'Cuti Bersama Tahun Baru Imlek 2578 Kongzili', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-02-06', 'holiday', 'Tahun Baru Imlek 2578 Kongzili', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-08', 'holiday', 'Hari Suci Nyepi (Tahun Baru Saka 1949)', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-09', 'cuti_bersama', 'Cuti Bersama Idulfitri 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-10', 'holiday', 'Idulfitri 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-11', 'holiday', 'Idulfitri 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-12', 'cuti_bersama', 'Cuti Bersama Idulfitri 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-15', 'cuti_bersama', 'Cuti Bersama Idulfitri 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-25', 'cuti_bersama', 'Cuti Bersama Wafat Yesus Kristus', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-26', 'holiday', 'Wafat Yesus Kristus', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-03-28', 'holiday', 'Kebangkitan Yesus Kristus (Paskah)', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-01', 'holiday', 'Hari Buruh Internasional', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-06', 'holiday', 'Kenaikan Yesus Kristus', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-17', 'holiday', 'Iduladha 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-18', 'cuti_bersama', 'Cuti Bersama Iduladha 1448 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-19', 'cuti_bersama', 'Cuti Bersama Hari Raya Waisak 2571 BE', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-05-20', 'holiday', 'Hari Raya Waisak 2571 BE', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-06-01', 'holiday', 'Hari Lahir Pancasila', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-06-06', 'holiday', '1 Muharam Tahun Baru Islam 1449 Hijriah', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-08-15', 'holiday', 'Maulid Nabi Muhammad S.A.W.', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-08-17', 'holiday', 'Proklamasi Kemerdekaan', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-12-24', 'cuti_bersama', 'Cuti Bersama Kelahiran Yesus Kristus', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-12-25', 'holiday', 'Kelahiran Yesus Kristus', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)'),
	('2027-12-26', 'holiday', 'Isra Mikraj Nabi Muhammad S.A.W.', 'SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)');
