import type { Lang } from "../catalog/catalog";

/**
 * Everything the bot says, in Bahasa Indonesia and English. Short and warm; *bold* is WhatsApp's.
 * Limits that matter: button titles <= 20 characters, list rows <= 24, list button <= 20.
 */
export interface Texts {
	greeting(officeName: string): string;
	chooseService: string;
	chooseServiceButton: string;
	chooseVariant(service: string): string;
	chooseButton: string;
	nextPage: string;
	previousPage: string;
	needed(
		service: string,
		variant: string,
		docs: { label: string; required: boolean }[],
		note?: string,
	): string;
	askNik: string;
	nikProblem: Record<
		"not_16_digits" | "unknown_province" | "bad_month" | "bad_day" | "zero_serial",
		string
	>;
	askName: string;
	badName: string;
	chooseKecamatan: string;
	chooseArea(kecamatan: string): string;
	askDocument(label: string, required: boolean, index: number, total: number): string;
	skip: string;
	next: string;
	documentReceived(label: string, count: number): string;
	documentRequired(label: string): string;
	wrongType(label: string, accepted: string): string;
	tooLarge(label: string, maxMb: number): string;
	resendFile(label: string): string;
	earlyFileKept: string;
	summary(lines: { label: string; value: string }[]): string;
	send: string;
	change: string;
	cancel: string;
	chooseField: string;
	fields: { service: string; nik: string; name: string; area: string; documents: string };
	submitting: string;
	submitted(ticket: string, card: boolean, extra?: string): string;
	cancelled: string;
	nothingToCancel: string;
	restarted: string;
	help(officeHours: string): string;
	handoff(officeHours: string): string;
	languageSet: string;
	voice: string;
	video: string;
	sticker: string;
	location: string;
	contacts: string;
	reaction: string;
	unsupported: string;
	tooLong: string;
	notUnderstood: string;
	statusNone: string;
	statusHeader: string;
	statusLine(ticket: string, service: string, status: string): string;
	statusNotFound(ticket: string): string;
	statusFooter: string;
	reminder: string;
	expired: string;
	acceptedTypes(types: string[]): string;
	statusNotice(ticket: string, status: string, words: string, reason?: string): string;
	revisionAsk(ticket: string, reason: string | undefined, docs: string[]): string;
	revisionDocument(label: string, index: number, total: number): string;
	revisionDone(ticket: string): string;
	revisionPending(ticket: string): string;
	staffMessage(ticket: string, text: string): string;
	pickup(ticket: string, place: string, from: string): string;
	templateSummary(ticket: string, words: string): string;
	cancelConfirm(ticket: string): string;
	cancelYes: string;
	cancelNo: string;
	requestCancelled(ticket: string): string;
	cancelTooLate(ticket: string, status: string): string;
	cancelKept(ticket: string): string;
}

const typeNames: Record<Lang, Record<string, string>> = {
	id: { "image/jpeg": "foto JPG", "image/png": "gambar PNG", "application/pdf": "PDF" },
	en: { "image/jpeg": "JPG photo", "image/png": "PNG image", "application/pdf": "PDF" },
};

const id: Texts = {
	greeting: (office) =>
		`Halo, selamat datang di layanan WhatsApp *${office}* 👋\nKami bantu Anda mengajukan dokumen kependudukan. Semua layanan *gratis*.`,
	chooseService: "Layanan apa yang Anda perlukan? Ketuk *Pilih layanan* atau ketik nomornya:",
	chooseServiceButton: "Pilih layanan",
	chooseVariant: (service) => `*${service}*: keperluan yang mana? Pilih atau ketik nomornya:`,
	chooseButton: "Pilih",
	nextPage: "Berikutnya ›",
	previousPage: "‹ Sebelumnya",
	needed: (service, variant, docs, note) =>
		[
			`Untuk *${service}* (${variant}), siapkan foto atau scan dokumen asli berikut:`,
			...docs.map((d) => `• ${d.label}${d.required ? "" : " _(jika ada)_"}`),
			...(note ? ["", note] : []),
			"",
			"Kami minta satu per satu setelah data diri Anda.",
		].join("\n"),
	askNik: "Ketik *NIK* Anda (16 angka, ada di KTP-el atau Kartu Keluarga):",
	nikProblem: {
		not_16_digits: "NIK harus 16 angka.",
		unknown_province: "Dua angka pertama NIK bukan kode provinsi yang dikenal.",
		bad_month: "Angka ke-9 dan ke-10 NIK (bulan lahir) harus 01 sampai 12.",
		bad_day: "Angka ke-7 dan ke-8 NIK (tanggal lahir) tidak mungkin.",
		zero_serial: "Empat angka terakhir NIK tidak boleh 0000.",
	},
	askName: "Ketik *nama lengkap* sesuai KTP-el/KK:",
	badName: "Nama sepertinya belum benar. Ketik nama lengkap dengan huruf (2-80 karakter):",
	chooseKecamatan: "Anda tinggal di *kecamatan* mana? Pilih atau ketik nomornya:",
	chooseArea: (kecamatan) =>
		`Kelurahan/desa di Kecamatan *${kecamatan}*? Pilih atau ketik nomornya:`,
	askDocument: (label, required, index, total) =>
		`Dokumen ${index}/${total}: kirim foto/scan *${label}*${required ? "." : " _(tidak wajib: tekan Lewati jika tidak ada)_."}`,
	skip: "Lewati",
	next: "Lanjut",
	documentReceived: (label, count) =>
		`✅ *${label}* diterima (${count} file). Kirim file lain untuk dokumen ini, atau tekan *Lanjut*.`,
	documentRequired: (label) => `*${label}* wajib. Kirim foto atau scan dokumennya dulu ya.`,
	wrongType: (label, accepted) =>
		`Maaf, file ini tidak bisa kami terima untuk *${label}*. Kirim ${accepted}.`,
	tooLarge: (label, maxMb) =>
		`Maaf, file untuk *${label}* terlalu besar (maksimal ${maxMb} MB). Kirim file yang lebih kecil.`,
	resendFile: (label) =>
		`Maaf, file untuk *${label}* gagal kami simpan. Mohon kirim ulang file tersebut.`,
	earlyFileKept:
		"File Anda kami simpan sebagai dokumen tambahan. Dokumen yang diperlukan akan kami minta satu per satu nanti.",
	summary: (lines) =>
		[
			"Periksa lagi permohonan Anda:",
			...lines.map((l) => `• ${l.label}: ${l.value}`),
			"",
			"Sudah benar?",
		].join("\n"),
	send: "Kirim",
	change: "Ubah",
	cancel: "Batal",
	chooseField: "Bagian mana yang ingin diubah?",
	fields: {
		service: "Layanan",
		nik: "NIK",
		name: "Nama",
		area: "Kelurahan/desa",
		documents: "Dokumen",
	},
	submitting: "Permohonan Anda sedang kami kirim, mohon tunggu sebentar.",
	submitted: (ticket, card, extra) =>
		[
			`Permohonan Anda sudah kami terima 🙏\nKode tiket: *${ticket}*`,
			"Petugas akan memeriksa berkas Anda pada hari kerja. Kabar berikutnya kami kirim di chat ini.",
			card
				? "Kartu yang sudah dicetak diambil di kantor atau kelurahan; kami beri tahu kapan dan di mana."
				: "Dokumen yang sudah jadi kami kirim di sini sebagai PDF ber-TTE untuk dicetak di kertas A4 putih.",
			...(extra ? [extra] : []),
			"Ketik *status* untuk melihat perkembangannya.",
		].join("\n\n"),
	cancelled: "Permohonan yang sedang diisi sudah dibatalkan. Ketik *menu* untuk mulai lagi.",
	nothingToCancel: "Tidak ada permohonan yang sedang diisi. Ketik *menu* untuk mulai.",
	restarted: "Baik, kita mulai dari awal.",
	help: (hours) =>
		[
			"*Bantuan*",
			"• *menu*: pilih layanan dari awal",
			"• *status*: lihat permohonan Anda (atau *status KODE-TIKET*)",
			"• *batal*: batalkan permohonan yang sedang diisi",
			"• *petugas*: minta dihubungi petugas",
			"• *english*: switch to English",
			`Jam layanan petugas: ${hours}.`,
		].join("\n"),
	handoff: (hours) =>
		`Baik, permintaan Anda sudah kami teruskan ke petugas. Petugas akan membalas di chat ini pada jam layanan (${hours}).`,
	languageSet: "Baik, kita lanjutkan dalam Bahasa Indonesia.",
	voice: "Maaf, kami belum bisa mendengarkan pesan suara. Silakan ketik pesan Anda.",
	video: "Maaf, video tidak dapat kami terima. Kirim foto (JPG/PNG) atau PDF.",
	sticker: "Terima kasih 😊",
	location: "Terima kasih, lokasi tidak diperlukan.",
	contacts: "Terima kasih, kontak tidak diperlukan.",
	reaction: "Terima kasih 😊",
	unsupported: "Maaf, jenis pesan ini tidak dapat kami baca. Kirim teks, foto, atau PDF.",
	tooLong: "Pesan Anda terlalu panjang untuk kami proses. Mohon tulis lebih singkat.",
	notUnderstood: "Maaf, kami belum mengerti.",
	statusNone: "Belum ada permohonan atas nomor ini. Ketik *menu* untuk mengajukan.",
	statusHeader: "Permohonan Anda:",
	statusLine: (ticket, service, status) => `• *${ticket}* ${service}: ${status}`,
	statusNotFound: (ticket) => `Tidak ada permohonan dengan kode *${ticket}* atas nomor ini.`,
	statusFooter: "Ketik *menu* untuk mengajukan permohonan baru.",
	reminder: "Permohonan Anda belum selesai diisi. Lanjutkan kapan saja dengan membalas pesan ini.",
	expired:
		"Permohonan yang belum selesai sudah kami hapus karena 7 hari tidak dilanjutkan, termasuk file-filenya. Ketik *menu* untuk mulai lagi.",
	acceptedTypes: (types) =>
		joinOr(
			types.map((t) => typeNames.id[t] ?? t),
			"atau",
		),
	statusNotice: (ticket, status, words, reason) => {
		const lines: Record<string, string> = {
			in_review: `Permohonan *${ticket}* sedang diperiksa petugas.`,
			processing: `Permohonan *${ticket}* sudah lengkap dan sedang diproses.`,
			completed: `Permohonan *${ticket}* sudah *selesai* 🎉`,
			rejected: `Mohon maaf, permohonan *${ticket}* *ditolak*.`,
			cancelled: `Permohonan *${ticket}* dibatalkan.`,
			submitted: `Permohonan *${ticket}* kembali berstatus diajukan.`,
		};
		const head = lines[status] ?? `Status permohonan *${ticket}*: ${words}.`;
		return reason ? `${head}\nKeterangan: ${reason}` : head;
	},
	revisionAsk: (ticket, reason, docs) =>
		[
			`Permohonan *${ticket}* *perlu perbaikan*.`,
			...(reason ? [`Keterangan petugas: ${reason}`] : []),
			"Mohon kirim ulang foto/scan dokumen berikut:",
			...docs.map((d) => `• ${d}`),
		].join("\n"),
	revisionDocument: (label, index, total) =>
		`Perbaikan ${index}/${total}: kirim foto/scan *${label}*, lalu tekan *Lanjut*.`,
	revisionDone: (ticket) =>
		`Terima kasih, dokumen perbaikan untuk *${ticket}* sudah kami terima. Permohonan kembali diperiksa petugas.`,
	revisionPending: (ticket) => `Permohonan *${ticket}* masih menunggu dokumen perbaikan dari Anda.`,
	staffMessage: (ticket, text) => `Pesan dari petugas tentang *${ticket}*:\n${text}`,
	pickup: (ticket, place, from) =>
		`Kartu untuk permohonan *${ticket}* sudah bisa diambil di *${place}* mulai *${from}*. Bawa kode tiket ini dan dokumen asli Anda.`,
	templateSummary: (ticket, words) => `${ticket}: ${words}`,
	cancelConfirm: (ticket) =>
		`Batalkan permohonan *${ticket}*? Permohonan yang dibatalkan tidak bisa dilanjutkan lagi.`,
	cancelYes: "Ya, batalkan",
	cancelNo: "Tidak",
	requestCancelled: (ticket) => `Permohonan *${ticket}* sudah dibatalkan.`,
	cancelTooLate: (ticket, status) =>
		`Permohonan *${ticket}* tidak bisa dibatalkan lagi (status: ${status}). Ketik *petugas* bila perlu bantuan.`,
	cancelKept: (ticket) => `Baik, permohonan *${ticket}* tidak dibatalkan.`,
};

const en: Texts = {
	greeting: (office) =>
		`Hello, welcome to the WhatsApp service of *${office}* 👋\nWe help you apply for civil-registry documents. All services are *free*.`,
	chooseService: "Which service do you need? Tap *Choose service* or type its number:",
	chooseServiceButton: "Choose service",
	chooseVariant: (service) => `*${service}*: which case? Choose or type its number:`,
	chooseButton: "Choose",
	nextPage: "More ›",
	previousPage: "‹ Back",
	needed: (service, variant, docs, note) =>
		[
			`For *${service}* (${variant}), please have photos or scans of these original documents:`,
			...docs.map((d) => `• ${d.label}${d.required ? "" : " _(if any)_"}`),
			...(note ? ["", note] : []),
			"",
			"We will ask for them one by one after your details.",
		].join("\n"),
	askNik: "Type your *NIK* (16 digits, on your KTP-el or Family Card):",
	nikProblem: {
		not_16_digits: "A NIK has exactly 16 digits.",
		unknown_province: "The first two digits of the NIK are not a known province code.",
		bad_month: "Digits 9-10 of the NIK (birth month) must be 01 to 12.",
		bad_day: "Digits 7-8 of the NIK (birth day) cannot be right.",
		zero_serial: "The last four digits of a NIK cannot be 0000.",
	},
	askName: "Type your *full name* as on your KTP-el/KK:",
	badName: "That name does not look right. Type your full name in letters (2-80 characters):",
	chooseKecamatan: "Which *kecamatan* (district) do you live in? Choose or type its number:",
	chooseArea: (kecamatan) => `Which kelurahan/desa in *${kecamatan}*? Choose or type its number:`,
	askDocument: (label, required, index, total) =>
		`Document ${index}/${total}: send a photo/scan of *${label}*${required ? "." : " _(optional: tap Skip if you have none)_."}`,
	skip: "Skip",
	next: "Next",
	documentReceived: (label, count) =>
		`✅ *${label}* received (${count} file${count === 1 ? "" : "s"}). Send another file for it, or tap *Next*.`,
	documentRequired: (label) => `*${label}* is required. Please send a photo or scan of it first.`,
	wrongType: (label, accepted) =>
		`Sorry, we cannot accept this file for *${label}*. Please send ${accepted}.`,
	tooLarge: (label, maxMb) =>
		`Sorry, the file for *${label}* is too large (at most ${maxMb} MB). Please send a smaller file.`,
	resendFile: (label) => `Sorry, we could not save the file for *${label}*. Please send it again.`,
	earlyFileKept:
		"We kept your file as an additional document. We will ask for the required documents one by one later.",
	summary: (lines) =>
		[
			"Please check your request:",
			...lines.map((l) => `• ${l.label}: ${l.value}`),
			"",
			"Is it correct?",
		].join("\n"),
	send: "Submit",
	change: "Change",
	cancel: "Cancel",
	chooseField: "What would you like to change?",
	fields: {
		service: "Service",
		nik: "NIK",
		name: "Name",
		area: "Kelurahan/desa",
		documents: "Documents",
	},
	submitting: "We are submitting your request, one moment please.",
	submitted: (ticket, card, extra) =>
		[
			`We have received your request 🙏\nTicket code: *${ticket}*`,
			"Our staff will check your documents on working days. We will send news in this chat.",
			card
				? "Printed cards are picked up at the office or the kelurahan; we will tell you when and where."
				: "The finished document will be sent here as an electronically signed PDF to print on plain white A4 paper.",
			...(extra ? [extra] : []),
			"Type *status* to follow its progress.",
		].join("\n\n"),
	cancelled: "The request you were filling in has been cancelled. Type *menu* to start again.",
	nothingToCancel: "You are not filling in a request. Type *menu* to start.",
	restarted: "All right, let us start again.",
	help: (hours) =>
		[
			"*Help*",
			"• *menu*: choose a service from the start",
			"• *status*: see your requests (or *status TICKET-CODE*)",
			"• *cancel*: cancel the request you are filling in",
			"• *agent*: ask for a staff member",
			"• *indonesia*: kembali ke Bahasa Indonesia",
			`Staff hours: ${hours}.`,
		].join("\n"),
	handoff: (hours) =>
		`All right, we have passed your request to our staff. They will answer in this chat during office hours (${hours}).`,
	languageSet: "All right, we will continue in English.",
	voice: "Sorry, we cannot listen to voice messages yet. Please type your message.",
	video: "Sorry, we cannot accept videos. Please send a photo (JPG/PNG) or a PDF.",
	sticker: "Thank you 😊",
	location: "Thank you, we do not need a location.",
	contacts: "Thank you, we do not need contacts.",
	reaction: "Thank you 😊",
	unsupported: "Sorry, we cannot read this kind of message. Please send text, a photo or a PDF.",
	tooLong: "Your message is too long for us to handle. Please write it more briefly.",
	notUnderstood: "Sorry, we did not understand that.",
	statusNone: "There are no requests from this number yet. Type *menu* to apply.",
	statusHeader: "Your requests:",
	statusLine: (ticket, service, status) => `• *${ticket}* ${service}: ${status}`,
	statusNotFound: (ticket) => `There is no request with code *${ticket}* from this number.`,
	statusFooter: "Type *menu* to make a new request.",
	reminder: "Your request is not finished yet. Continue any time by replying to this message.",
	expired:
		"We deleted your unfinished request and its files because it was not continued for 7 days. Type *menu* to start again.",
	acceptedTypes: (types) =>
		joinOr(
			types.map((t) => typeNames.en[t] ?? t),
			"or",
		),
	statusNotice: (ticket, status, words, reason) => {
		const lines: Record<string, string> = {
			in_review: `Your request *${ticket}* is being checked by our staff.`,
			processing: `Your request *${ticket}* is complete and being processed.`,
			completed: `Your request *${ticket}* is *done* 🎉`,
			rejected: `We are sorry: your request *${ticket}* was *rejected*.`,
			cancelled: `Your request *${ticket}* was cancelled.`,
			submitted: `Your request *${ticket}* is submitted again.`,
		};
		const head = lines[status] ?? `Status of your request *${ticket}*: ${words}.`;
		return reason ? `${head}\nNote: ${reason}` : head;
	},
	revisionAsk: (ticket, reason, docs) =>
		[
			`Your request *${ticket}* *needs corrections*.`,
			...(reason ? [`Staff note: ${reason}`] : []),
			"Please send a new photo/scan of:",
			...docs.map((d) => `• ${d}`),
		].join("\n"),
	revisionDocument: (label, index, total) =>
		`Correction ${index}/${total}: send a photo/scan of *${label}*, then tap *Next*.`,
	revisionDone: (ticket) =>
		`Thank you, we received the corrected documents for *${ticket}*. Our staff will check them again.`,
	revisionPending: (ticket) =>
		`Your request *${ticket}* is still waiting for your corrected documents.`,
	staffMessage: (ticket, text) => `Message from our staff about *${ticket}*:\n${text}`,
	pickup: (ticket, place, from) =>
		`The card for request *${ticket}* can be picked up at *${place}* from *${from}*. Bring this ticket code and your original documents.`,
	templateSummary: (ticket, words) => `${ticket}: ${words}`,
	cancelConfirm: (ticket) => `Cancel request *${ticket}*? A cancelled request cannot be continued.`,
	cancelYes: "Yes, cancel it",
	cancelNo: "No",
	requestCancelled: (ticket) => `Request *${ticket}* has been cancelled.`,
	cancelTooLate: (ticket, status) =>
		`Request *${ticket}* can no longer be cancelled (status: ${status}). Type *agent* if you need help.`,
	cancelKept: (ticket) => `All right, request *${ticket}* stays as it is.`,
};

function joinOr(items: string[], or: string): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join(", ")} ${or} ${items.at(-1)}`;
}

const texts: Record<Lang, Texts> = { id, en };

export function textsFor(lang: Lang): Texts {
	return texts[lang];
}
