-- Home visits, "jemput bola" (issue 11): staff go to residents who cannot come to an office or
-- send their papers (the elderly, the bedridden, people with a disability, ODGJ). A service in
-- the catalog whose dialogue asks who needs the visit and why, the address and a contact, with an
-- optional letter from the RT/RW or the kelurahan; staff then set the visit's date and hours.
--   Permendagri 96/2019 : pendataan dan penerbitan dokumen kependudukan bagi penduduk rentan
--                         administrasi kependudukan; named at the level of the regulation, as in
--                         0020: each office checks it against its own SOP and edits this data.

-- 1 for a service whose request is a home visit: the dialogue asks the visit's questions.
ALTER TABLE services ADD COLUMN home_visit INTEGER NOT NULL DEFAULT 0 CHECK (home_visit IN (0, 1));

-- The service standard (0013): the visit within 7 working days; the office's own SOP may differ.
INSERT INTO services (code, category, label_id, label_en, description_id, description_en, result_kind, sort_order, home_visit,
	time_limit_days, product_id, product_en) VALUES
	('jemput_bola', 'lainnya', 'Jemput Bola', 'Home Visit',
		'Petugas datang ke rumah: lansia, sakit, disabilitas, ODGJ',
		'Staff visit the home: elderly, ill, disabled, mental illness',
		'card', 9, 1, 7,
		'Kunjungan petugas ke rumah untuk perekaman dan pelayanan dokumen kependudukan',
		'A staff visit at home to record and serve civil-registry documents');

INSERT INTO service_variants (service_code, code, label_id, label_en, description_id, description_en, note_id, note_en, sort_order) VALUES
	('jemput_bola', 'umum', 'Kunjungan rumah', 'Home visit',
		'Perekaman atau pelayanan di rumah warga yang tidak bisa datang',
		'Recording or service at the home of a resident who cannot come',
		'Petugas akan menghubungi kontak yang Anda berikan dan memberi tahu tanggal serta jam kunjungan di chat ini.',
		'Our staff will call the contact you give and tell you the date and hours of the visit in this chat.',
		1);

INSERT INTO requirements (service_code, variant_code, doc_code, label_id, label_en, required, accepted_types, max_bytes, sort_order, one_page, source) VALUES
	('jemput_bola', 'umum', 'surat_pengantar', 'Surat pengantar RT/RW atau kelurahan (bila ada)', 'Letter from the RT/RW or kelurahan (if any)', 0, 'image/jpeg,image/png,application/pdf', 10485760, 1, 1, 'Permendagri 96/2019 (penduduk rentan adminduk); SOP kantor (jemput bola)');

-- The visit of a home-visit request: what the resident said (reason, address, contact) when it
-- was submitted, then the date and hours staff set (changed by setting them again). reminded_at
-- is set once the day-before reminder was handed over; a new date clears it.
CREATE TABLE home_visits (
	request_id TEXT PRIMARY KEY REFERENCES requests (id),
	-- 'lansia', 'sakit' (bedridden or ill), 'disabilitas', 'odgj'.
	reason TEXT CHECK (reason IS NULL OR reason IN ('lansia', 'sakit', 'disabilitas', 'odgj')),
	address TEXT CHECK (address IS NULL OR length(address) <= 300),
	contact TEXT CHECK (contact IS NULL OR length(contact) <= 100),
	visit_date TEXT CHECK (visit_date IS NULL OR visit_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
	visit_from TEXT CHECK (visit_from IS NULL OR visit_from GLOB '[0-2][0-9]:[0-5][0-9]'),
	visit_to TEXT CHECK (visit_to IS NULL OR visit_to GLOB '[0-2][0-9]:[0-5][0-9]'),
	scheduled_by TEXT,
	scheduled_at INTEGER,
	reminded_at INTEGER
);
CREATE INDEX home_visits_by_date ON home_visits (visit_date) WHERE reminded_at IS NULL;
