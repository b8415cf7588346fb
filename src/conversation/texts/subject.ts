import type { SubjectKind } from "../../catalog/catalog";

/**
 * The words of the dialogue's second pass (issue 16): whom a request is about, documents that
 * stand in for others, one-page documents and photo tips.
 */
export interface SubjectTexts {
	/** The question about the subject, per kind. */
	ask: Record<SubjectKind, string>;
	/** The subject's NIK is not known: where it is written, and `petugas`. */
	nikWhere: Record<"child_nik" | "deceased_nik", string>;
	/** The subject's NIK is the applicant's own. */
	sameNik: string;
	/** The baby's name does not look like a name. */
	badName: string;
	/** The move details are too short or too long. */
	badMoveDetails: string;
	/** The summary's label of the subject, per kind. */
	field: Record<SubjectKind, string>;
	/** Beside a document in the list of needed ones: the substitute if the resident has not got it. */
	orElse(substitute: string): string;
	/** The button: the resident has not got the main document. */
	notHad: string;
	/** The summary's note of a document the resident has not got. */
	notHadNote: string;
	/** Asking for the substitute of a document the resident has not got. */
	askSubstitute(main: string, substitute: string, index: number, total: number): string;
	/** A one-page document arrived: the dialogue moves on; another page can still be added. */
	receivedOnePage(label: string): string;
	/** The button that adds a page to a one-page document. */
	addPage: string;
	/** Asking for the added page. */
	askPage(label: string): string;
	/** Said once, before the first document. */
	photoTips: string;
	/** How forms are filled, in the list of needed documents. */
	forms: string;
}

export const subjectId: SubjectTexts = {
	ask: {
		baby_name: "Ketik *nama lengkap bayi* yang akan ditulis di akta kelahiran:",
		child_nik:
			"Ketik *NIK anak* yang dibuatkan KIA (16 angka, ada di Kartu Keluarga pada baris nama anak):",
		deceased_nik:
			"Ketik *NIK almarhum/almarhumah* (16 angka, ada di KTP-el atau Kartu Keluarga almarhum):",
		move_details:
			"Ketik *alamat tujuan pindah* (kota/kabupaten) dan *nama anggota keluarga yang ikut pindah*, misalnya: Palembang, Kec. Ilir Timur I; Budi, Siti, Rina.",
	},
	nikWhere: {
		child_nik:
			"NIK anak ada di Kartu Keluarga, di kolom NIK pada baris nama anak. Ketik NIK itu di sini, atau ketik *petugas* untuk dibantu petugas.",
		deceased_nik:
			"NIK almarhum/almarhumah ada di KTP-el atau di Kartu Keluarga, di kolom NIK pada baris namanya. Ketik NIK itu di sini, atau ketik *petugas* untuk dibantu petugas.",
	},
	sameNik:
		"Itu NIK Anda sendiri sebagai pemohon. Ketik NIK orang yang diurus dokumennya, atau ketik *petugas* bila perlu bantuan.",
	badName:
		"Nama bayi sepertinya belum benar. Ketik dengan huruf (2-80 karakter), atau ketik *petugas* bila perlu bantuan:",
	badMoveDetails:
		"Mohon tulis alamat tujuan dan nama anggota keluarga yang ikut pindah (10-300 karakter), atau ketik *petugas* bila perlu bantuan.",
	field: {
		baby_name: "Nama bayi",
		child_nik: "NIK anak",
		deceased_nik: "NIK almarhum",
		move_details: "Tujuan dan yang pindah",
	},
	orElse: (substitute) => `_(bila tidak ada: ${substitute})_`,
	notHad: "Tidak punya",
	notHadNote: "tidak punya",
	askSubstitute: (main, substitute, index, total) =>
		`Dokumen ${index}/${total}: karena tidak ada *${main}*, kirim foto/scan *${substitute}* sebagai gantinya. Formulirnya bisa diminta di kelurahan atau kantor Disdukcapil; ketik *petugas* bila perlu bantuan.`,
	receivedOnePage: (label) =>
		`✅ *${label}* diterima. Ada halaman lain? Tekan *Tambah halaman*; bila tidak, lanjut ke dokumen berikutnya.`,
	addPage: "Tambah halaman",
	askPage: (label) => `Kirim halaman berikutnya dari *${label}*, lalu tekan *Lanjut*.`,
	photoTips:
		"Tips foto: pakai cahaya terang tanpa lampu kilat, seluruh halaman terlihat dan tulisan terbaca, dan foto dokumen *asli* (bukan fotokopi).",
	forms:
		"Formulir (F-1.xx/F-2.xx) diisi petugas dari data di chat ini; Anda tidak perlu mengirimnya.",
};

export const subjectEn: SubjectTexts = {
	ask: {
		baby_name: "Type the *baby's full name* as it should appear on the birth certificate:",
		child_nik:
			"Type the *child's NIK* for the KIA (16 digits, on the Family Card in the child's row):",
		deceased_nik:
			"Type the *NIK of the deceased* (16 digits, on their KTP-el or on the Family Card):",
		move_details:
			"Type *where you are moving to* (city or regency) and *the names of the family members who move*, for example: Palembang, Ilir Timur I; Budi, Siti, Rina.",
	},
	nikWhere: {
		child_nik:
			"The child's NIK is on the Family Card, in the NIK column of the child's row. Type it here, or type *agent* to get help from our staff.",
		deceased_nik:
			"The NIK of the deceased is on their KTP-el or on the Family Card, in the NIK column of their row. Type it here, or type *agent* to get help from our staff.",
	},
	sameNik:
		"That is your own NIK as the applicant. Type the NIK of the person the document is for, or type *agent* if you need help.",
	badName:
		"That name does not look right. Type it in letters (2-80 characters), or type *agent* if you need help:",
	badMoveDetails:
		"Please write where you are moving to and who moves with you (10-300 characters), or type *agent* if you need help.",
	field: {
		baby_name: "Baby's name",
		child_nik: "Child's NIK",
		deceased_nik: "NIK of the deceased",
		move_details: "Moving to, and who",
	},
	orElse: (substitute) => `_(if you don't have it: ${substitute})_`,
	notHad: "Don't have it",
	notHadNote: "don't have it",
	askSubstitute: (main, substitute, index, total) =>
		`Document ${index}/${total}: as you don't have the *${main}*, please send a photo/scan of the *${substitute}* instead. You can get the form at the kelurahan or the Disdukcapil office; type *agent* if you need help.`,
	receivedOnePage: (label) =>
		`✅ *${label}* received. Is there another page? Tap *Add a page*; if not, we'll go on to the next document.`,
	addPage: "Add a page",
	askPage: (label) => `Send the next page of the *${label}*, then tap *Next*.`,
	photoTips:
		"Photo tips: use bright light and no flash, show the whole page so the text is readable, and photograph the *original* (not a photocopy).",
	forms:
		"Staff fill in the forms (F-1.xx/F-2.xx) from what you tell us here; you don't need to send them.",
};
