-- Catalog second pass (issue 16): the questions the dialogue asks per service, documents that
-- may stand in for another, one-page documents, and the source of every requirement.
-- Sources are named at the level of the regulation; each office checks them against its own
-- SOP and edits this data (never src/).
--   Perpres 96/2018      : Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil
--   Permendagri 108/2019 : pelaksanaan Perpres 96/2018 (formulir F-1.xx / F-2.xx, persyaratan)
--   Permendagri 9/2016   : percepatan akta kelahiran, SPTJM kebenaran data kelahiran / perkawinan
--   Permendagri 2/2016   : Kartu Identitas Anak
--   Permendagri 109/2019 : formulir dan buku untuk dokumen kependudukan (TTE, kertas HVS A4)

-- The other document this one stands in for: asked only when the resident says they do not have
-- that one (a "Tidak punya" answer), never when it came.
ALTER TABLE requirements ADD COLUMN substitute_for TEXT;
-- 1 when one photo is the whole document: the dialogue moves on by itself after it, offering
-- "Tambah halaman"; 0 for papers of several pages, where the resident says when they are done.
ALTER TABLE requirements ADD COLUMN one_page INTEGER NOT NULL DEFAULT 0 CHECK (one_page IN (0, 1));
-- Where the requirement comes from (regulation, or the office's own SOP).
ALTER TABLE requirements ADD COLUMN source TEXT;

-- Whom the request is about when it is not the applicant, asked after the applicant's details:
-- 'baby_name' (akta kelahiran), 'child_nik' (KIA), 'deceased_nik' (akta kematian),
-- 'move_details' (surat pindah: destination and the members who move, in the resident's words).
ALTER TABLE services ADD COLUMN subject TEXT
	CHECK (subject IS NULL OR subject IN ('baby_name', 'child_nik', 'deceased_nik', 'move_details'));

-- What happens after submission for this variant, told on the receipt instead of the general
-- line (pick-up of a card, or a PDF in the chat).
ALTER TABLE service_variants ADD COLUMN next_id TEXT;
ALTER TABLE service_variants ADD COLUMN next_en TEXT;

UPDATE services SET subject = 'baby_name' WHERE code = 'akta_kelahiran';
UPDATE services SET subject = 'deceased_nik' WHERE code = 'akta_kematian';
UPDATE services SET subject = 'child_nik' WHERE code = 'kia';
UPDATE services SET subject = 'move_details' WHERE code = 'surat_pindah';

-- Surat pindah: SKPWNI in plain words; "moving certificate" in English.
UPDATE services SET
	label_en = 'Moving Certificate',
	description_id = 'Surat keterangan pindah (SKPWNI) bila pindah ke kota/kabupaten lain',
	description_en = 'Moving certificate (SKPWNI) to move to another city or regency'
WHERE code = 'surat_pindah';
UPDATE service_variants SET
	note_id = 'SKPWNI adalah surat dari Disdukcapil asal yang Anda bawa ke Disdukcapil tujuan agar tercatat sebagai penduduk di sana. Formulir perpindahan (F-1.03) diisi petugas dari jawaban Anda di chat ini.',
	note_en = 'The SKPWNI is the letter from your current Disdukcapil that you take to the Disdukcapil of your new area to be registered there. Staff fill in the moving form (F-1.03) from your answers in this chat.'
WHERE service_code = 'surat_pindah' AND code = 'umum';

-- Legalisir, decided: the office re-issues the document as a PDF with an electronic signature
-- (TTE) and a QR code, valid without a wet stamp (Permendagri 109/2019), sent in the chat.
UPDATE services SET
	label_en = 'Certified Copy',
	description_id = 'KK atau akta lama diterbitkan ulang sebagai PDF ber-TTE (kode QR)',
	description_en = 'An old KK or certificate re-issued as a PDF with TTE and a QR code'
WHERE code = 'legalisir';
UPDATE service_variants SET
	label_en = 'Certified Copy',
	description_en = 'Re-issue a civil-registry document as a signed PDF',
	description_id = 'Terbitkan ulang dokumen kependudukan sebagai PDF ber-TTE',
	note_id = 'Legalisir di sini berarti dokumen Anda kami terbitkan ulang dengan tanda tangan elektronik (TTE) dan kode QR, sah tanpa cap basah. Dokumen yang sudah ber-TTE dengan kode QR tidak perlu diajukan.',
	note_en = 'A certified copy here means we re-issue your document with an electronic signature (TTE) and a QR code, valid without a stamp. Documents that already have a TTE and a QR code need no certified copy.'
WHERE service_code = 'legalisir' AND code = 'umum';

-- KTP-el pertama: nothing is printed before the biometrics are recorded in person.
UPDATE service_variants SET
	note_id = 'Kartu baru dicetak setelah perekaman biometrik (foto, sidik jari, iris mata) di kantor Disdukcapil.',
	note_en = 'The card is printed only after your biometrics (photo, fingerprints, iris) are recorded at the Disdukcapil office.',
	next_id = 'Petugas akan mengirim *jadwal perekaman* di chat ini. Datanglah pada jadwal itu dengan membawa KK asli dan kode tiket ini; kartu dicetak setelah perekaman.',
	next_en = 'Our staff will send you a *recording appointment* in this chat. Come at that time with your original KK and this ticket code; the card is printed after the recording.'
WHERE service_code = 'ktp_el' AND code = 'baru';

-- KK hilang/rusak, split so that each requires its proof.
UPDATE service_variants SET active = 0 WHERE service_code = 'kk' AND code = 'hilang_rusak';
INSERT INTO service_variants (service_code, code, label_id, label_en, description_id, description_en, note_id, note_en, sort_order) VALUES
	('kk', 'hilang', 'KK Hilang', 'Lost Family Card',
		'KK hilang, perlu surat kehilangan dari kepolisian',
		'Lost family card; a police loss letter is needed',
		NULL, NULL, 3),
	('kk', 'rusak', 'KK Rusak', 'Damaged Family Card',
		'KK rusak, sobek, atau tidak terbaca',
		'Family card damaged, torn or unreadable',
		NULL, NULL, 4);
INSERT INTO requirements (service_code, variant_code, doc_code, label_id, label_en, required, accepted_types, max_bytes, sort_order, one_page, source) VALUES
	('kk', 'hilang', 'surat_kehilangan', 'Surat Keterangan Kehilangan dari Kepolisian', 'Police loss report letter (Surat Keterangan Kehilangan)', 1, 'image/jpeg,image/png,application/pdf', 10485760, 1, 1, 'Perpres 96/2018; Permendagri 108/2019 (penerbitan KK karena hilang)'),
	('kk', 'hilang', 'ktp_el', 'KTP-el kepala keluarga', 'KTP-el of the head of the family', 1, 'image/jpeg,image/png,application/pdf', 10485760, 2, 1, 'Perpres 96/2018; Permendagri 108/2019'),
	('kk', 'rusak', 'kk_rusak', 'KK yang rusak', 'The damaged Family Card', 1, 'image/jpeg,image/png,application/pdf', 10485760, 1, 1, 'Perpres 96/2018; Permendagri 108/2019 (penerbitan KK karena rusak)'),
	('kk', 'rusak', 'ktp_el', 'KTP-el kepala keluarga', 'KTP-el of the head of the family', 1, 'image/jpeg,image/png,application/pdf', 10485760, 2, 1, 'Perpres 96/2018; Permendagri 108/2019');

-- KTP-el hilang: the police letter by its name.
UPDATE requirements SET
	label_id = 'Surat Keterangan Kehilangan dari Kepolisian',
	label_en = 'Police loss report letter (Surat Keterangan Kehilangan)'
WHERE service_code = 'ktp_el' AND variant_code = 'hilang' AND doc_code = 'surat_kehilangan';

-- Akta kelahiran: the birth letter or else the SPTJM on the birth data; the marriage book or
-- else the SPTJM on being husband and wife; no witnesses (not in Perpres 96/2018's list).
UPDATE requirements SET
	required = 1, substitute_for = 'surat_kelahiran',
	label_id = 'SPTJM kebenaran data kelahiran', label_en = 'Signed statement on the birth data (SPTJM)'
WHERE service_code = 'akta_kelahiran' AND variant_code = 'umum' AND doc_code = 'sptjm';
UPDATE requirements SET
	label_id = 'Buku nikah (halaman data suami dan istri) atau akta perkawinan orang tua',
	label_en = 'Parents'' marriage book (the husband and wife page) or marriage certificate',
	sort_order = 3
WHERE service_code = 'akta_kelahiran' AND variant_code = 'umum' AND doc_code = 'buku_nikah';
UPDATE requirements SET sort_order = 5 WHERE service_code = 'akta_kelahiran' AND variant_code = 'umum' AND doc_code = 'kk';
UPDATE requirements SET
	sort_order = 6,
	label_id = 'KTP-el ayah dan ibu (boleh dalam satu foto)',
	label_en = 'KTP-el of the father and the mother (one photo may show both)'
WHERE service_code = 'akta_kelahiran' AND variant_code = 'umum' AND doc_code = 'ktp_orang_tua';
DELETE FROM requirements WHERE service_code = 'akta_kelahiran' AND variant_code = 'umum' AND doc_code = 'ktp_saksi';
INSERT INTO requirements (service_code, variant_code, doc_code, label_id, label_en, required, accepted_types, max_bytes, sort_order, substitute_for, source) VALUES
	('akta_kelahiran', 'umum', 'sptjm_perkawinan', 'SPTJM kebenaran sebagai pasangan suami istri', 'Signed statement on being husband and wife (SPTJM)', 1, 'image/jpeg,image/png,application/pdf', 10485760, 4, 'buku_nikah', 'Permendagri 9/2016 (SPTJM kebenaran sebagai pasangan suami istri)');

-- KK baru: the SPTJM stands in for the marriage book.
UPDATE requirements SET
	required = 1, substitute_for = 'buku_nikah',
	label_id = 'SPTJM kebenaran sebagai pasangan suami istri', label_en = 'Signed statement on being husband and wife (SPTJM)'
WHERE service_code = 'kk' AND variant_code = 'baru' AND doc_code = 'sptjm';

-- KIA: "5 sampai di bawah 17 tahun", and a colour photo of the child's face taken directly.
UPDATE service_variants SET
	label_id = 'Usia 5 Tahun ke Atas', label_en = '5 Years and Older',
	description_id = 'KIA untuk anak usia 5 sampai di bawah 17 tahun, perlu foto wajah anak',
	description_en = 'KIA for a child aged 5 to under 17; a photo of the child is needed'
WHERE service_code = 'kia' AND code = 'anak';
UPDATE requirements SET
	label_id = 'Foto wajah anak berwarna (difoto langsung, bukan foto dari pas foto cetak)',
	label_en = 'Colour photo of the child''s face (taken directly, not a picture of a printed photo)'
WHERE service_code = 'kia' AND variant_code = 'anak' AND doc_code = 'pas_foto';
UPDATE service_variants SET
	next_id = 'Bila kartu sudah dicetak, kami beri tahu di chat ini kapan dan di mana diambil. Bawa kode tiket ini dan KK asli.',
	next_en = 'When the card is printed we will tell you here when and where to pick it up. Bring this ticket code and your original KK.'
WHERE service_code = 'kia';

-- One photo is the whole document for cards, letters and one-page certificates.
UPDATE requirements SET one_page = 1 WHERE doc_code IN (
	'kk', 'kk_lama', 'kk_rusak', 'ktp_el', 'ktp_rusak', 'ktp_almarhum', 'ktp_pelapor', 'ktp_orang_tua',
	'surat_kehilangan', 'surat_kelahiran', 'surat_kematian', 'akta_kelahiran', 'pas_foto', 'buku_nikah',
	'sptjm', 'sptjm_perkawinan', 'surat_pindah'
);

-- Sources of the requirements carried over from 0002.
UPDATE requirements SET source = 'Perpres 96/2018; Permendagri 108/2019 (penerbitan KTP-el)' WHERE service_code = 'ktp_el' AND source IS NULL;
UPDATE requirements SET source = 'Perpres 96/2018; Permendagri 108/2019 (penerbitan KK)' WHERE service_code = 'kk' AND source IS NULL;
UPDATE requirements SET source = 'Perpres 96/2018 (pencatatan kelahiran); Permendagri 9/2016 (SPTJM)' WHERE service_code = 'akta_kelahiran' AND source IS NULL;
UPDATE requirements SET source = 'Perpres 96/2018 (pencatatan kematian)' WHERE service_code = 'akta_kematian' AND source IS NULL;
UPDATE requirements SET source = 'Permendagri 2/2016 (Kartu Identitas Anak)' WHERE service_code = 'kia' AND source IS NULL;
UPDATE requirements SET source = 'Perpres 96/2018; Permendagri 108/2019 (perpindahan penduduk)' WHERE service_code = 'surat_pindah' AND source IS NULL;
UPDATE requirements SET source = 'Perpres 96/2018 (perubahan biodata)' WHERE service_code = 'perubahan_data' AND source IS NULL;
UPDATE requirements SET source = 'Permendagri 109/2019 (dokumen ber-TTE); SOP kantor' WHERE service_code = 'legalisir' AND source IS NULL;
