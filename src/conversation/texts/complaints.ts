/**
 * What the bot says about complaints (pengaduan) and about a chat held by a person (hand-off), in
 * Bahasa Indonesia and English.
 *
 * @module
 */

import { formatDate } from "../../standards/dates-id";

/** Words of the complaint dialogue and of the staff's answer to it. */
export interface ComplaintTexts {
	/** Asks what happened; `ticket` when the complaint already names a request. */
	ask(ticket?: string): string;
	/** The text is in: a photo may follow, then Send. */
	askExtra: string;
	/** More text while the photo or Send is awaited: added to the complaint. */
	added: string;
	photoReceived: string;
	/** Send was tapped while the photo is still being stored. */
	photoPending: string;
	/** A second photo: one is enough. */
	onePhoto: string;
	photoRefused: string;
	/** Send before anything was written. */
	needText: string;
	send: string;
	cancel: string;
	filing: string;
	dropped: string;
	/** `petugas` while telling a complaint: it is kept, not sent, for after the staff's conversation. */
	keptForStaff: string;
	/** `menu` while a person holds the chat and a complaint is kept: back to the bot, and to it. */
	resumed: string;
	/** Filed: its ticket, the time limit in working days and the date the answer is due. */
	filed(ticket: string, days: number, due: string): string;
	/** Staff's answer to a complaint. */
	reply(ticket: string, text: string): string;
	/** Summary words of that answer, for the status template when the window is closed. */
	replySummary: string;
}

/** Words of a chat a person holds (after `petugas`) and of its end. */
export interface HandoffTexts {
	/** A message from the staff member holding the chat. */
	reply(text: string): string;
	/** Summary words of that message, for the status template when the window is closed. */
	replySummary: string;
	/** Staff closed the hand-off: the bot answers again. */
	closed: string;
	/** Nobody answered the hand-off in time: the bot answers again, and what the resident can do. */
	expired: string;
	/** A file for the staff holding the chat that cannot be passed on (type or size), or a recording. */
	fileRefused: string;
	/** A file for the staff holding the chat that could not be fetched: send it again. */
	fileFailed: string;
}

export const complaintsId: ComplaintTexts = {
	ask: (ticket) =>
		[
			ticket
				? `Pengaduan tentang *${ticket}*. Ceritakan apa yang terjadi dalam satu pesan.`
				: "Ceritakan apa yang terjadi dalam satu pesan. Jika tentang permohonan Anda, tulis juga nomor tiketnya (misalnya PBM-261128-0001).",
			"Ketik *batal* untuk tidak jadi mengadu.",
		].join("\n"),
	askExtra:
		"Terima kasih. Jika ada, kirim *satu foto* pendukung sekarang. Lalu tekan *Kirim pengaduan*.",
	added: "Keterangan tambahan dicatat.",
	photoReceived: "✅ Foto diterima.",
	photoPending: "Foto Anda masih kami simpan. Tunggu sebentar, lalu tekan *Kirim pengaduan*.",
	onePhoto: "Satu foto sudah cukup untuk pengaduan ini.",
	photoRefused: "Maaf, foto ini tidak bisa kami terima (kirim foto JPG/PNG, maksimal 10 MB).",
	needText: "Tulis dulu apa yang terjadi, ya.",
	send: "Kirim pengaduan",
	cancel: "Batal",
	filing: "Pengaduan Anda sedang kami catat...",
	dropped: "Pengaduan tidak jadi dikirim.",
	keptForStaff:
		"Pengaduan yang sedang Anda tulis belum terkirim; kami simpan. Setelah percakapan dengan petugas selesai, Anda dapat melengkapi dan mengirimnya.",
	resumed: "Kembali ke asisten otomatis. Pengaduan yang Anda tulis tadi belum terkirim.",
	filed: (ticket, days, due) =>
		`✅ Pengaduan Anda tercatat dengan nomor *${ticket}*.\nKami jawab paling lambat dalam ${days} hari kerja (${formatDate(due, "id")}).`,
	reply: (ticket, text) => `Jawaban atas pengaduan *${ticket}*:\n${text}`,
	replySummary: "Jawaban pengaduan",
};

export const complaintsEn: ComplaintTexts = {
	ask: (ticket) =>
		[
			ticket
				? `A complaint about *${ticket}*. Tell us what happened in one message.`
				: "Tell us what happened in one message. If it is about your request, include its ticket (for example PBM-261128-0001).",
			"Type *cancel* to drop the complaint.",
		].join("\n"),
	askExtra: "Thank you. If you have one, send *one photo* now. Then tap *Send complaint*.",
	added: "Your additional details are noted.",
	photoReceived: "✅ Photo received.",
	photoPending: "We are still storing your photo. Wait a moment, then tap *Send complaint*.",
	onePhoto: "One photo is enough for this complaint.",
	photoRefused: "Sorry, we cannot accept this photo (send a JPG/PNG photo, at most 10 MB).",
	needText: "Please write what happened first.",
	send: "Send complaint",
	cancel: "Cancel",
	filing: "We are recording your complaint...",
	dropped: "The complaint was not sent.",
	keptForStaff:
		"The complaint you were writing has not been sent; we have kept it. When the conversation with our staff ends, you can complete and send it.",
	resumed: "Back to the automatic assistant. The complaint you were writing has not been sent yet.",
	filed: (ticket, days, due) =>
		`✅ Your complaint is recorded as *${ticket}*.\nWe will answer within ${days} working days (by ${formatDate(due, "en")}).`,
	reply: (ticket, text) => `Our answer to complaint *${ticket}*:\n${text}`,
	replySummary: "Answer to your complaint",
};

export const handoffsId: HandoffTexts = {
	reply: (text) => `Pesan dari petugas:\n${text}`,
	replySummary: "Pesan dari petugas",
	closed:
		"Percakapan dengan petugas selesai. Terima kasih! Asisten otomatis kembali melayani: ketik *menu* untuk mulai.",
	expired:
		"Maaf, belum ada petugas yang sempat membalas percakapan Anda. Asisten otomatis kembali melayani: ketik *menu* untuk mulai, *petugas* untuk meminta petugas lagi, atau *pengaduan* untuk menyampaikan keluhan.",
	fileRefused:
		"Maaf, file ini tidak dapat kami teruskan ke petugas. Kirim foto (JPG/PNG) atau PDF paling besar 10 MB, atau pesan suara atau video paling besar 16 MB.",
	fileFailed: "Maaf, file Anda gagal kami terima. Silakan kirim sekali lagi.",
};

export const handoffsEn: HandoffTexts = {
	reply: (text) => `Message from our staff:\n${text}`,
	replySummary: "Message from staff",
	closed:
		"The conversation with our staff has ended. Thank you! The automatic assistant is back: type *menu* to start.",
	expired:
		"Sorry, none of our staff could answer your conversation yet. The automatic assistant is back: type *menu* to start, *agent* to ask for staff again, or *complaint* to tell us about a problem.",
	fileRefused:
		"Sorry, we cannot pass this file on to our staff. Please send a photo (JPG/PNG) or a PDF of at most 10 MB, or a voice message or video of at most 16 MB.",
	fileFailed: "Sorry, we could not receive your file. Please send it once more.",
};
