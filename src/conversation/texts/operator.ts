/**
 * The words a kelurahan operator reads when filing for a resident from their own WhatsApp, id
 * and en. Row and button titles fit CHOICE_LIMITS.
 *
 * @module
 */

/** What the bot says on the operator's filing path. */
export interface OperatorTexts {
	/** The menu row above the services. */
	fileForResident: string;
	fileForResidentDescription: string;
	/** The path begins: whose papers, and the first question. */
	start: string;
	askNik: string;
	askName: string;
	askPhone: string;
	badPhone: string;
	/** Asked before the service: the resident agreed that the operator files for them. */
	askConsent: string;
	consentYes: string;
	consentNo: string;
	/** No consent: nothing is filed. */
	noConsent: string;
	chooseArea: string;
	/** The summary's line for the resident's number. */
	phoneField: string;
	noPhone: string;
	/** After the ticket: the next one may be filed at once. */
	next: string;
	/** Not filed: the account is no longer an active operator's for the draft's area. */
	refused: string;
	/** To the resident: the kelurahan filed a request for them (with its ticket). */
	filed: (ticket: string, service: string) => string;
	/** The same in a few words, for the status template when their window is closed. */
	filedSummary: string;
}

export const operatorId: OperatorTexts = {
	fileForResident: "Ajukan untuk warga",
	fileForResidentDescription: "Petugas kelurahan mengajukan permohonan atas nama warga",
	start: "Pengajuan untuk warga. Data yang diminta adalah data *warga*, bukan data Anda.",
	askNik: "Ketik *NIK warga* (16 angka, ada di KTP-el atau Kartu Keluarga):",
	askName: "Ketik *nama lengkap warga* sesuai KTP-el/KK:",
	askPhone:
		"Ketik *nomor WhatsApp warga* (contoh 0812 3456 7890) agar warga menerima kabar permohonannya, atau ketik *tidak ada*:",
	badPhone: "Nomor itu tidak bisa kami baca. Contoh: 0812 3456 7890, atau ketik *tidak ada*.",
	askConsent:
		"Apakah warga sudah *setuju* permohonan ini Anda ajukan, termasuk dokumennya Anda kirim dan simpan untuknya?",
	consentYes: "Ya, warga setuju",
	consentNo: "Belum",
	noConsent:
		"Baik, permohonan tidak diajukan. Mintalah persetujuan warga lebih dulu, lalu mulai lagi dari menu.",
	chooseArea: "Pilih *kelurahan/desa* warga (wilayah tugas Anda):",
	phoneField: "WhatsApp warga",
	noPhone: "tidak ada",
	next: "Untuk mengajukan permohonan warga berikutnya, ketik *menu* lalu pilih *Ajukan untuk warga*.",
	refused:
		"Permohonan ini *tidak* kami ajukan: nomor Anda tidak lagi terdaftar sebagai petugas kelurahan aktif untuk wilayah itu. Berkas yang Anda kirim untuknya sudah kami hapus. Hubungi admin Disdukcapil bila ini keliru.",
	filed: (ticket, service) =>
		`Petugas kelurahan telah mengajukan permohonan *${service}* untuk Anda. Nomor tiket: *${ticket}*. Kabar permohonan ini akan kami kirim ke nomor ini; ketik *status* untuk melihatnya kapan saja.`,
	filedSummary: "diajukan oleh kelurahan untuk Anda",
};

export const operatorEn: OperatorTexts = {
	fileForResident: "File for a resident",
	fileForResidentDescription: "Kelurahan staff file a request in a resident's name",
	start: "Filing for a resident. The details asked are the *resident's*, not yours.",
	askNik: "Type the *resident's NIK* (16 digits, on the KTP-el or Family Card):",
	askName: "Type the *resident's full name* as on the KTP-el/KK:",
	askPhone:
		"Type the *resident's WhatsApp number* (e.g. 0812 3456 7890) so they get news of the request, or type *none*:",
	badPhone: "We could not read that number. Example: 0812 3456 7890, or type *none*.",
	askConsent:
		"Has the resident *agreed* that you file this request, including sending and keeping their documents for them?",
	consentYes: "Yes, they agreed",
	consentNo: "Not yet",
	noConsent:
		"All right, nothing was filed. Ask the resident's consent first, then start again from the menu.",
	chooseArea: "Choose the resident's *kelurahan/desa* (your areas):",
	phoneField: "Resident's WhatsApp",
	noPhone: "none",
	next: "To file the next resident's request, type *menu* and choose *File for a resident*.",
	refused:
		"This request was *not* filed: your number is no longer registered as an active kelurahan operator for that area. The papers you sent for it have been deleted. Contact the Disdukcapil admin if this is a mistake.",
	filed: (ticket, service) =>
		`Kelurahan staff filed a *${service}* request for you. Ticket: *${ticket}*. News of this request comes to this number; type *status* to see it at any time.`,
	filedSummary: "filed for you by the kelurahan",
};

/** Typed answers meaning the resident has no WhatsApp number, in either language. */
export const NO_PHONE_WORDS = ["tidak ada", "tdk ada", "gak ada", "nggak ada", "none", "no", "-"];

/** Typed answers to the consent question, in either language. */
export const CONSENT_WORDS = {
	yes: ["ya", "yes", "setuju", "sudah", "agreed"],
	no: ["tidak", "no", "belum", "not yet"],
} as const;
