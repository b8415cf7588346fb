/**
 * The words of the "File for a resident" screens (issue 9's filing through the console), spread
 * into the console's dictionaries by i18n.ts. Kept apart so other screens' words merge cleanly.
 *
 * @module
 */

export const ID = {
	fileForResident: "Ajukan untuk warga",
	fileIntro:
		"Untuk warga yang tidak bisa mengajukan sendiri lewat WhatsApp. Isi data warga, lalu unggah dokumennya di halaman berikut.",
	residentNik: "NIK warga",
	nikHelp: "16 angka, seperti di KTP-el atau KK.",
	residentName: "Nama warga",
	residentPhone: "Nomor WhatsApp warga",
	residentPhoneHelp:
		"Tidak wajib. Kosongkan bila tidak ada: kabar permohonan lalu dikirim ke WhatsApp Anda.",
	serviceVariant: "Layanan",
	chooseService: "Pilih layanan",
	fileArea: "Kelurahan/desa",
	noticeLanguage: "Bahasa pemberitahuan untuk warga",
	langId: "Bahasa Indonesia",
	langEn: "English",
	consent: "Persetujuan warga",
	consentText:
		"Warga setuju saya mengajukan permohonan ini atas namanya dan menyimpan salinan dokumennya untuk permohonan ini saja.",
	createDraft: "Lanjut ke dokumen",
	fixFields: "Periksa isian yang ditandai.",
	draftTitle: "Dokumen permohonan",
	draftIntro:
		"Unggah setiap dokumen yang wajib (foto atau PDF). Di ponsel, tombol pilih berkas dapat membuka kamera.",
	requiredDoc: "wajib",
	optionalDoc: "tidak wajib",
	fileReceived: "Diterima",
	notYet: "Belum ada berkas",
	chooseFile: "Foto atau PDF untuk",
	uploadFile: "Unggah",
	uploading: "Mengunggah",
	uploadProgress: "Kemajuan unggah",
	uploadFailed: "Unggahan gagal",
	noFile: "Pilih berkas foto atau PDF dulu.",
	remove: "Hapus",
	replaceHint: "Untuk mengganti: unggah berkas baru, lalu hapus yang lama.",
	submit: "Kirim permohonan",
	missingReason: "Belum bisa dikirim: dokumen wajib ini belum ada:",
	ticketTitle: "Permohonan terkirim",
	ticketLabel: "Nomor tiket",
	whatNext:
		"Permohonan sudah masuk antrean kantor. Petugas memeriksanya; kabar dikirim ke WhatsApp warga, atau ke WhatsApp Anda bila warga tidak punya nomor.",
	// Not `dueBy`: that is the complaints' "Batas jawab", and a spread key would override it.
	expectedBy: "Perkiraan selesai",
	openRequest: "Lihat permohonan di antrean",
	fileAnother: "Ajukan untuk warga lain",
	backToDraft: "Kembali ke dokumen",
	bytes: "bita",
	sessionEndedUpload:
		"Sesi Anda sudah berakhir, jadi berkas ini tidak tersimpan. Masuk lagi di tab baru, lalu unggah berkas ini lagi di halaman ini (halaman ini tetap terbuka).",
	signInAgain: "Masuk lagi (tab baru)",
	waitForUploads: "Tunggu sampai semua unggahan selesai.",
	tellFailed: "Permohonan tercatat, tetapi warga belum diberi tahu.",
	tellFailedWhy:
		"WhatsApp warga belum bisa dihubungi tadi. Kirim lagi untuk memberi tahu mereka: permohonannya tidak menjadi dua, nomor tiketnya tetap.",
	submitAgain: "Kirim lagi dan beri tahu warga",
	tooBig: "Berkas ini terlalu besar. Paling besar",
	wrongType: "Jenis berkas ini tidak diterima: pilih foto JPEG atau PNG, atau PDF.",
	offline: "Tidak ada sambungan internet. Sambungkan dulu, lalu unggah lagi.",
	timedOut: "Unggahan terlalu lama dan dihentikan. Periksa sinyal, lalu unggah lagi.",
} as const;

export const EN: { [K in keyof typeof ID]: string } = {
	fileForResident: "File for a resident",
	fileIntro:
		"For residents who cannot file over WhatsApp themselves. Enter the resident's details, then upload their documents on the next page.",
	residentNik: "Resident's NIK",
	nikHelp: "16 digits, as on the e-KTP or the Family Card.",
	residentName: "Resident's name",
	residentPhone: "Resident's WhatsApp number",
	residentPhoneHelp:
		"Optional. Leave empty if they have none: the request's news then goes to your WhatsApp.",
	serviceVariant: "Service",
	chooseService: "Choose a service",
	fileArea: "Kelurahan/desa",
	noticeLanguage: "Language of the resident's notices",
	langId: "Bahasa Indonesia",
	langEn: "English",
	consent: "Resident's consent",
	consentText:
		"The resident agrees that I file this request on their behalf and hold copies of their papers for this request only.",
	createDraft: "Continue to documents",
	fixFields: "Check the marked fields.",
	draftTitle: "Request documents",
	draftIntro:
		"Upload every required document (a photo or a PDF). On a phone, the file button can open the camera.",
	requiredDoc: "required",
	optionalDoc: "optional",
	fileReceived: "Received",
	notYet: "No file yet",
	chooseFile: "Photo or PDF for",
	uploadFile: "Upload",
	uploading: "Uploading",
	uploadProgress: "Upload progress",
	uploadFailed: "Upload failed",
	noFile: "Choose a photo or PDF file first.",
	remove: "Remove",
	replaceHint: "To replace a file: upload the new one, then remove the old one.",
	submit: "Submit the request",
	missingReason: "Cannot be submitted yet: these required documents are missing:",
	ticketTitle: "Request submitted",
	ticketLabel: "Ticket number",
	whatNext:
		"The request is in the office's queue. Staff review it; news goes to the resident's WhatsApp, or to yours when the resident has no number.",
	expectedBy: "Expected by",
	openRequest: "See the request in the queue",
	fileAnother: "File for another resident",
	backToDraft: "Back to the documents",
	bytes: "bytes",
	sessionEndedUpload:
		"Your session has ended, so this file was not stored. Sign in again in a new tab, then upload this file again on this page (it stays open).",
	signInAgain: "Sign in again (new tab)",
	waitForUploads: "Wait until every upload has finished.",
	tellFailed: "The request is filed, but the resident has not been told.",
	tellFailedWhy:
		"The resident's WhatsApp could not be reached just now. Submit again to tell them: the request is not filed twice and keeps its ticket.",
	submitAgain: "Submit again and tell the resident",
	tooBig: "This file is too large. At most",
	wrongType: "This kind of file is not accepted: choose a JPEG or PNG photo, or a PDF.",
	offline: "No internet connection. Connect first, then upload again.",
	timedOut: "The upload took too long and was stopped. Check the signal, then upload again.",
};
