import { formatDate, formatDateTime } from "../../standards/dates-id";
import { complaintsId, handoffsId } from "./complaints";
import { dueDateId } from "./due-date";
import { kelurahanId } from "./kelurahan";
import { operatorId } from "./operator";
import { optOutId } from "./opt-out";
import { subjectId } from "./subject";
import { surveyId } from "./survey";
import { joinAnd, joinOr, type Receipt, type Texts, typeNames } from "./types";
import { visitId } from "./visit";

/** Bahasa Indonesia, the default. */
export const id: Texts = {
	subject: subjectId,
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
		bad_day:
			"Angka ke-7 dan ke-8 NIK adalah tanggal lahir: 01 sampai 31, atau 41 sampai 71 untuk perempuan (tanggal + 40). Periksa lagi angkanya.",
		zero_serial: "Empat angka terakhir NIK tidak boleh 0000.",
	},
	nikWhere:
		"NIK adalah 16 angka yang tertulis di KTP-el (di bawah nama provinsi) dan di Kartu Keluarga (kolom NIK di samping nama). Ketik NIK tersebut di sini, atau ketik *petugas* untuk dibantu petugas.",
	askName: "Ketik *nama lengkap* sesuai KTP-el/KK:",
	badName:
		"Nama sepertinya belum benar. Ketik nama lengkap dengan huruf (2-80 karakter), atau ketik *petugas* bila perlu bantuan:",
	chooseKecamatan:
		"Anda tinggal di *kecamatan* mana? Pilih atau ketik nomornya, atau langsung ketik nama kelurahan/desa Anda:",
	chooseArea: (kecamatan) =>
		`Kelurahan/desa di Kecamatan *${kecamatan}*? Pilih atau ketik nomornya:`,
	askDocument: (label, required, index, total) =>
		`Dokumen ${index}/${total}: kirim foto/scan *${label}*${required ? "." : " _(tidak wajib: tekan Lewati jika tidak ada)_."}`,
	areaKind: { kelurahan: "Kelurahan", desa: "Desa" },
	skip: "Lewati",
	next: "Lanjut",
	documentReceived: (label, count) =>
		`✅ *${label}* diterima (${count} file). Kirim file lain untuk dokumen ini, atau tekan *Lanjut*.`,
	documentRequired: (label) =>
		`*${label}* wajib untuk layanan ini. Kirim foto atau scan dokumennya di sini. Tidak punya? Ketik *petugas* untuk bertanya ke petugas, atau *batal* untuk berhenti.`,
	wrongType: (label, accepted) =>
		`Maaf, file ini tidak bisa kami terima untuk *${label}*. Kirim ${accepted}.`,
	tooLarge: (label, maxMb) =>
		`Maaf, file untuk *${label}* terlalu besar (maksimal ${maxMb} MB). Kirim sebagai *foto* (bukan sebagai dokumen) agar ukurannya lebih kecil.`,
	resendFile: (label) =>
		`Maaf, file untuk *${label}* gagal kami simpan. Mohon kirim ulang file tersebut.`,
	fileTooLarge: (maxMb) =>
		`Maaf, file Anda terlalu besar (maksimal ${maxMb} MB). Kirim sebagai *foto* (bukan sebagai dokumen) agar ukurannya lebih kecil.`,
	fileNotReceived: "Maaf, file Anda tidak sampai ke kami. Mohon kirim ulang file tersebut.",
	earlyFileKept:
		"File Anda kami simpan sebagai dokumen tambahan. Dokumen yang diperlukan akan kami minta satu per satu nanti.",
	additionalDocument: "Dokumen tambahan",
	fileCount: (count) => `${count} file`,
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
	jobFailed:
		"Maaf, terjadi gangguan di sistem kami sehingga permintaan Anda belum dapat kami proses. Data Anda tersimpan dan petugas kami akan menindaklanjutinya. Anda tetap dapat mengirim pesan seperti biasa.",
	submitted: (ticket, card, extra, receipt, next) =>
		[
			`Permohonan Anda sudah kami terima 🙏\nKode tiket: *${ticket}*`,
			...(receipt ? [standardId(receipt)] : []),
			"Petugas akan memeriksa berkas Anda pada hari kerja. Kabar berikutnya kami kirim di chat ini.",
			next ??
				(card
					? "Kartu yang sudah dicetak diambil di kantor atau kelurahan; kami beri tahu kapan dan di mana."
					: "Dokumen yang sudah jadi kami kirim di sini sebagai PDF ber-TTE untuk dicetak di kertas A4 putih."),
			...(extra ? [extra] : []),
			"Semua layanan ini *gratis*. Petugas tidak pernah meminta uang atau imbalan; jangan gunakan calo.",
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
			"• *pengaduan*: sampaikan keluhan Anda",
			"• *english*: switch to English",
			`Jam layanan petugas: ${hours}.`,
		].join("\n"),
	handoff: (hours) =>
		`Baik, permintaan Anda sudah kami teruskan ke petugas. Petugas akan membalas di chat ini pada jam layanan (${hours}). Tulis saja pertanyaan Anda; ketik *menu* untuk kembali ke asisten otomatis.`,
	languageSet: "Baik, kita lanjutkan dalam Bahasa Indonesia.",
	voice:
		"Maaf, kami belum bisa mendengarkan pesan suara. Silakan ketik pesan Anda, atau ketik *petugas* agar dibantu petugas kami.",
	video: "Maaf, video tidak dapat kami terima. Kirim foto (JPG/PNG) atau PDF.",
	sticker: "Terima kasih 😊",
	location: "Terima kasih, lokasi tidak diperlukan.",
	contacts: "Terima kasih, kontak tidak diperlukan.",
	unsupported: "Maaf, jenis pesan ini tidak dapat kami baca. Kirim teks, foto, atau PDF.",
	tooLong: "Pesan Anda terlalu panjang untuk kami proses. Mohon tulis lebih singkat.",
	notUnderstood:
		"Maaf, kami belum mengerti. Jawab pertanyaan di bawah, ketik *bantuan* untuk petunjuk, atau *petugas* untuk dibantu petugas.",
	statusNone: "Belum ada permohonan atas nomor ini. Ketik *menu* untuk mengajukan.",
	statusHeader: "Permohonan Anda:",
	statusLine: (ticket, service, status, due, position) =>
		`• *${ticket}* ${service}: ${status}` +
		(position ? `, antrean ke-${position}` : "") +
		(due ? `, perkiraan selesai ${formatDate(due, "id")}` : ""),
	statusNotFound: (ticket) => `Tidak ada permohonan dengan kode *${ticket}* atas nomor ini.`,
	statusFooter: "Ketik *menu* untuk mengajukan permohonan baru.",
	reminder: (deadline) =>
		`Permohonan Anda belum selesai diisi. Balas pesan ini untuk melanjutkan sebelum *${deadline}*; setelah itu isian dan file-nya kami hapus.`,
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
	revisionClosed: (ticket, status) =>
		`Permohonan *${ticket}* tidak lagi menunggu perbaikan (sekarang: ${status}), jadi dokumen yang baru Anda kirim tidak kami simpan.`,
	revisionSetAside:
		"Dokumen perbaikan yang sudah Anda kirim melalui WhatsApp ini tidak kami gunakan, karena permohonan ini tidak lagi menunggu perbaikan.",
	revisionPending: (ticket) => `Permohonan *${ticket}* masih menunggu dokumen perbaikan dari Anda.`,
	staffMessage: (ticket, text) => `Pesan dari petugas tentang *${ticket}*:\n${text}`,
	staffMessageSummary: "Pesan dari petugas",
	pickup: (ticket, place, from, bring) =>
		`Kartu untuk permohonan *${ticket}* sudah bisa diambil di *${place}* mulai *${from}*. Bawa: ${joinAnd(["kode tiket ini", ...bring], "dan")}.`,
	originalKk: "KK asli",
	pickupSummary: "Kartu siap diambil",
	templateSummary: (ticket, words) => `${ticket}: ${words}`,
	cancelConfirm: (ticket) =>
		`Batalkan permohonan *${ticket}*? Permohonan yang dibatalkan tidak bisa dilanjutkan lagi.`,
	cancelYes: "Ya, batalkan",
	cancelNo: "Tidak",
	requestCancelled: (ticket) => `Permohonan *${ticket}* sudah dibatalkan.`,
	cancelTooLate: (ticket, status) =>
		`Permohonan *${ticket}* tidak bisa dibatalkan lagi (status: ${status}). Ketik *petugas* bila perlu bantuan.`,
	cancelKept: (ticket) => `Baik, permohonan *${ticket}* tidak dibatalkan.`,
	documentCaption: (ticket) => `Dokumen permohonan ${ticket}. Cetak di kertas A4 putih.`,
	documentReady: "Dokumen selesai",
	nudge: "Ada pesan untuk Anda. Balas pesan ini untuk membacanya.",
	complaints: complaintsId,
	handoffs: handoffsId,
	survey: surveyId,
	optOut: optOutId,
	operator: operatorId,
	kelurahan: kelurahanId,
	visit: visitId,
	dueDate: dueDateId,
};

/** The standard's lines of a receipt: time limit, expected date, fee, first look, queue. */
function standardId(receipt: Receipt): string {
	const lines = [
		`Batas waktu layanan: ${receipt.timeLimitDays} hari kerja.` +
			(receipt.dueDate ? ` Perkiraan selesai: *${formatDate(receipt.dueDate, "id")}*.` : ""),
	];
	if (receipt.free) lines.push("Layanan ini *gratis*, tanpa biaya apa pun.");
	if (receipt.queue) {
		lines.push(
			`Kuota harian layanan ini sudah penuh, jadi permohonan Anda masuk antrean *${formatDate(receipt.queue.date, "id")}*, nomor urut ${receipt.queue.position}.`,
		);
	} else if (receipt.firstLook !== null) {
		lines.push(
			`Sekarang di luar jam layanan; petugas mulai memeriksanya ${formatDateTime(receipt.firstLook, receipt.timeZone, "id")}.`,
		);
	}
	return lines.join("\n");
}
