-- Service catalog and areas: data, not code. Another office changes the seed migrations,
-- never src/. Labels come in Indonesian (_id) and English (_en).

CREATE TABLE services (
	code TEXT PRIMARY KEY,
	category TEXT NOT NULL,
	label_id TEXT NOT NULL CHECK (length(label_id) <= 24),
	label_en TEXT NOT NULL CHECK (length(label_en) <= 24),
	description_id TEXT NOT NULL CHECK (length(description_id) <= 72),
	description_en TEXT NOT NULL CHECK (length(description_en) <= 72),
	-- 'pdf': the result is an electronically signed PDF sent back on WhatsApp;
	-- 'card': a printed card (KTP-el, KIA) that the resident picks up.
	result_kind TEXT NOT NULL CHECK (result_kind IN ('pdf', 'card')),
	sort_order INTEGER NOT NULL,
	active INTEGER NOT NULL DEFAULT 1
);

-- Every service has at least one variant; a service without real variants has one named 'umum'.
CREATE TABLE service_variants (
	service_code TEXT NOT NULL REFERENCES services (code),
	code TEXT NOT NULL,
	label_id TEXT NOT NULL CHECK (length(label_id) <= 20),
	label_en TEXT NOT NULL CHECK (length(label_en) <= 20),
	description_id TEXT NOT NULL CHECK (length(description_id) <= 72),
	description_en TEXT NOT NULL CHECK (length(description_en) <= 72),
	-- Shown to the resident before the documents are asked for (e.g. "biometrics are recorded in person").
	note_id TEXT,
	note_en TEXT,
	sort_order INTEGER NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (service_code, code)
);

CREATE TABLE requirements (
	service_code TEXT NOT NULL,
	variant_code TEXT NOT NULL,
	doc_code TEXT NOT NULL,
	label_id TEXT NOT NULL,
	label_en TEXT NOT NULL,
	required INTEGER NOT NULL CHECK (required IN (0, 1)),
	-- Comma-separated MIME types among image/jpeg, image/png, application/pdf.
	accepted_types TEXT NOT NULL,
	max_bytes INTEGER NOT NULL CHECK (max_bytes > 0),
	sort_order INTEGER NOT NULL,
	PRIMARY KEY (service_code, variant_code, doc_code),
	FOREIGN KEY (service_code, variant_code) REFERENCES service_variants (service_code, code)
);

CREATE TABLE kecamatan (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	sort_order INTEGER NOT NULL
);

CREATE TABLE areas (
	code TEXT PRIMARY KEY,
	kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
	name TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('kelurahan', 'desa')),
	sort_order INTEGER NOT NULL
);
CREATE INDEX areas_by_kecamatan ON areas (kecamatan_code, sort_order);
