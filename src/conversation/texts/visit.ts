/**
 * The words of home visits, "jemput bola" (issue 11): the dialogue's questions (who needs the
 * visit and why, the address, a contact) and the notices of the visit's date, in both languages.
 *
 * @module
 */

/** Why a resident cannot come to an office: the rows of the reason list. */
export const VISIT_REASONS = ["lansia", "sakit", "disabilitas", "odgj"] as const;
export type VisitReason = (typeof VISIT_REASONS)[number];

/** The words of home visits. */
export interface VisitTexts {
	/** Who needs the visit and why, as a list. */
	askReason: string;
	/** The list's button. */
	reasonButton: string;
	/** The list's rows (titles of at most 24 characters). */
	reason: Record<VisitReason, string>;
	/** The address of the visit. */
	askAddress: string;
	/** The address is too short or too long. */
	badAddress: string;
	/** A contact person and number for staff to call. */
	askContact: string;
	/** The contact has no phone number in it, or is too long. */
	badContact: string;
	/** The summary's labels. */
	field: { reason: string; address: string; contact: string };
	/** Staff set (or moved) the visit: `day` is written out, `from`/`to` are HH:MM. */
	scheduled(ticket: string, day: string, from: string, to: string): string;
	/** The day before the visit. */
	reminder(ticket: string, day: string, from: string, to: string): string;
	/** The template's summary of each notice, outside the 24-hour window. */
	scheduledSummary: string;
	reminderSummary: string;
}

export const visitId: VisitTexts = {
	askReason: "Siapa yang perlu dikunjungi petugas, dan mengapa tidak bisa datang? Pilih satu:",
	reasonButton: "Pilih alasan",
	reason: {
		lansia: "Lansia",
		sakit: "Sakit / terbaring",
		disabilitas: "Penyandang disabilitas",
		odgj: "ODGJ",
	},
	askAddress:
		"Ketik *alamat lengkap* tempat kunjungan (jalan, nomor rumah, RT/RW, dan patokan bila ada):",
	badAddress:
		"Alamatnya terlalu pendek atau terlalu panjang. Ketik alamat lengkap (10-300 karakter), atau ketik *petugas* bila perlu bantuan:",
	askContact:
		"Ketik *nama dan nomor HP* yang bisa dihubungi petugas sebelum datang, misalnya: Siti (anak) 081234567890.",
	badContact:
		"Mohon tulis nama dan nomor HP yang bisa dihubungi (paling banyak 100 karakter), misalnya: Siti 081234567890.",
	field: { reason: "Alasan kunjungan", address: "Alamat kunjungan", contact: "Kontak" },
	scheduled: (ticket, day, from, to) =>
		`🏠 Kunjungan petugas untuk permohonan *${ticket}*: *${day}*, pukul *${from}-${to}*. Mohon siapkan dokumen asli (KK, KTP-el bila ada) dan pastikan ada yang menemani di rumah.`,
	reminder: (ticket, day, from, to) =>
		`⏰ Pengingat: petugas datang *besok, ${day}*, pukul *${from}-${to}* untuk permohonan *${ticket}*. Mohon siapkan dokumen asli dan pastikan ada yang di rumah.`,
	scheduledSummary: "Jadwal kunjungan petugas",
	reminderSummary: "Kunjungan petugas besok",
};

export const visitEn: VisitTexts = {
	askReason: "Who needs the visit, and why can't they come to the office? Choose one:",
	reasonButton: "Choose a reason",
	reason: {
		lansia: "Elderly",
		sakit: "Ill / bedridden",
		disabilitas: "Person with disability",
		odgj: "Mental illness (ODGJ)",
	},
	askAddress:
		"Type the *full address* of the visit (street, house number, RT/RW, and a landmark if any):",
	badAddress:
		"That address is too short or too long. Type the full address (10-300 characters), or type *agent* if you need help:",
	askContact:
		"Type the *name and phone number* our staff can call before coming, for example: Siti (daughter) 081234567890.",
	badContact:
		"Please write a name and a phone number to call (at most 100 characters), for example: Siti 081234567890.",
	field: { reason: "Reason for the visit", address: "Visit address", contact: "Contact" },
	scheduled: (ticket, day, from, to) =>
		`🏠 Our staff will visit for request *${ticket}* on *${day}*, *${from}-${to}*. Please have the original papers ready (KK, KTP-el if any) and make sure someone is at home.`,
	reminder: (ticket, day, from, to) =>
		`⏰ Reminder: our staff visit *tomorrow, ${day}*, *${from}-${to}* for request *${ticket}*. Please have the original papers ready and make sure someone is at home.`,
	scheduledSummary: "Home visit scheduled",
	reminderSummary: "Home visit tomorrow",
};
