-- Service standards (issue 13; standar pelayanan, UU 25/2009 and PermenPANRB 15/2014): per service
-- the time limit in working days, the fee, the product the resident gets, and an optional daily
-- quota. Admins change the time limit, the quota and `active` through PATCH /api/v1/services/{code}
-- without a deploy; another office changes these seed values in its own migration.

-- Working days from the queue date to the due date (0: done the day it is queued).
ALTER TABLE services ADD COLUMN time_limit_days INTEGER NOT NULL DEFAULT 1
	CHECK (time_limit_days BETWEEN 0 AND 60);
-- Rupiah. Civil-registry documents are free by law (UU 24/2013 Pasal 79A): 0 for every service;
-- the column exists because the standard publishes the fee, and a non-zero one would be unlawful.
ALTER TABLE services ADD COLUMN fee INTEGER NOT NULL DEFAULT 0 CHECK (fee = 0);
-- What the resident gets, as the standard names it.
ALTER TABLE services ADD COLUMN product_id TEXT NOT NULL DEFAULT '' CHECK (length(product_id) <= 120);
ALTER TABLE services ADD COLUMN product_en TEXT NOT NULL DEFAULT '' CHECK (length(product_en) <= 120);
-- Requests accepted per working day; beyond it a request queues on the next working day with
-- room. Null: no quota.
ALTER TABLE services ADD COLUMN daily_quota INTEGER CHECK (daily_quota IS NULL OR daily_quota >= 1);

-- Where the figures come from (these are seed values: the office replaces them with the ones of
-- its own published standar pelayanan and maklumat pelayanan):
-- - 1 working day for KK changes, akta and legalisir: the typical promise of Disdukcapil offices
--   that publish their standard per service (Wonogiri, Sleman), as summarised in the product's
--   public-service notes ("a typical promise is 1 working day for KK changes and akta").
--   Surat pindah (SKPWNI) and a biodata change are KK changes in substance: the same 1 day.
-- - 14 working days for KTP-el and 7 for KIA: the issue's "up to 14 for some"; a card waits for
--   printing (and, for KTP-el, for the blank card supply), so the card services take the longest
--   figure. These two are estimates, not taken from a published standard: check them.
-- - Daily quota 50 for KTP-el: the domain notes' example of an office's per-service quota ("for
--   example 50"); the other services have none.
UPDATE services SET time_limit_days = 14, daily_quota = 50,
	product_id = 'KTP-el (kartu, diambil di kantor Disdukcapil)',
	product_en = 'KTP-el (a card, picked up at the Disdukcapil office)'
	WHERE code = 'ktp_el';
UPDATE services SET time_limit_days = 1,
	product_id = 'Kartu Keluarga (PDF bertanda tangan elektronik)',
	product_en = 'Family Card (an electronically signed PDF)'
	WHERE code = 'kk';
UPDATE services SET time_limit_days = 1,
	product_id = 'Kutipan Akta Kelahiran (PDF bertanda tangan elektronik)',
	product_en = 'Birth certificate (an electronically signed PDF)'
	WHERE code = 'akta_kelahiran';
UPDATE services SET time_limit_days = 1,
	product_id = 'Kutipan Akta Kematian (PDF bertanda tangan elektronik)',
	product_en = 'Death certificate (an electronically signed PDF)'
	WHERE code = 'akta_kematian';
UPDATE services SET time_limit_days = 7,
	product_id = 'Kartu Identitas Anak (kartu, diambil di kantor Disdukcapil)',
	product_en = 'Child ID card (a card, picked up at the Disdukcapil office)'
	WHERE code = 'kia';
UPDATE services SET time_limit_days = 1,
	product_id = 'Surat Keterangan Pindah WNI (PDF bertanda tangan elektronik)',
	product_en = 'Moving letter SKPWNI (an electronically signed PDF)'
	WHERE code = 'surat_pindah';
UPDATE services SET time_limit_days = 1,
	product_id = 'Biodata dan KK yang diperbarui (PDF bertanda tangan elektronik)',
	product_en = 'Updated biodata and Family Card (an electronically signed PDF)'
	WHERE code = 'perubahan_data';
UPDATE services SET time_limit_days = 1,
	product_id = 'Dokumen yang dilegalisir (PDF bertanda tangan elektronik)',
	product_en = 'The legalized document (an electronically signed PDF)'
	WHERE code = 'legalisir';
