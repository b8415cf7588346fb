-- Whom a request is about when it is not the applicant (issue 16): the baby's name (akta
-- kelahiran), the child's NIK (KIA), the deceased's NIK (akta kematian), or where to and who
-- moves (surat pindah). The applicant stays in resident_name / nik. Erasure blanks these too.
ALTER TABLE requests ADD COLUMN subject_kind TEXT
	CHECK (subject_kind IS NULL OR subject_kind IN ('baby_name', 'child_nik', 'deceased_nik', 'move_details'));
ALTER TABLE requests ADD COLUMN subject_nik TEXT
	CHECK (subject_nik IS NULL OR (length(subject_nik) = 16 AND subject_nik NOT GLOB '*[^0-9]*'));
ALTER TABLE requests ADD COLUMN subject_text TEXT
	CHECK (subject_text IS NULL OR length(subject_text) <= 300);
