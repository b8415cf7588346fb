/**
 * The words of `berhenti` / `stop` and `mulai` / `start`: the resident's choice to receive
 * nothing they did not ask for, id and en. Button titles fit CHOICE_LIMITS.
 *
 * @module
 */

/** What the bot says about opting out and back in. */
export interface OptOutTexts {
	confirm: string;
	yes: string;
	no: string;
	/** Opted out: what changes, and how to undo it. */
	done: string;
	kept: string;
	already: string;
	resumed: string;
}

export const optOutId: OptOutTexts = {
	confirm:
		"Berhenti menerima pesan dari kami? Kami tidak akan mengirim pengingat, survei atau pemberitahuan lain yang tidak Anda minta. Kabar tentang permohonan Anda kami simpan dan kirim saat Anda menulis lagi.",
	yes: "Ya, berhenti",
	no: "Tidak",
	done: "Baik, Anda tidak akan menerima pesan yang tidak Anda minta. Kabar tentang permohonan Anda kami kirim saat Anda menulis lagi. Ketik *mulai* untuk menerima pesan lagi.",
	kept: "Baik, pesan dari kami tetap berjalan seperti biasa.",
	already:
		"Anda sudah berhenti menerima pesan yang tidak Anda minta. Ketik *mulai* untuk menerima pesan lagi.",
	resumed: "Baik, Anda akan menerima pesan dari kami lagi, termasuk kabar tentang permohonan Anda.",
};

export const optOutEn: OptOutTexts = {
	confirm:
		"Stop receiving messages from us? We will send no reminders, surveys or other messages you did not ask for. News about your requests is kept and sent when you next write.",
	yes: "Yes, stop",
	no: "No",
	done: "All right, you will get no messages you did not ask for. News about your requests is sent when you next write. Type *start* to receive messages again.",
	kept: "All right, our messages carry on as before.",
	already:
		"You already receive no messages you did not ask for. Type *start* to receive messages again.",
	resumed: "All right, you will receive our messages again, including news about your requests.",
};
