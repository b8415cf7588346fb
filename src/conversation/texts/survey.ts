/**
 * The SKM survey's words (Survei Kepuasan Masyarakat, PermenPANRB 14/2017), id and en. The nine
 * questions follow the regulation's sample questionnaire, one per element in its order; the
 * answers are its 1-4 scale. Row and button titles fit CHOICE_LIMITS.
 *
 * @module
 */

/** What the bot says in the survey. */
export interface SurveyTexts {
	/** The opening line, about the request just completed. */
	intro(ticket: string): string;
	/** Question `index` (1-9) of `total`. */
	question(index: number, total: number, question: string): string;
	/** The nine questions, in the regulation's element order. */
	questions: readonly string[];
	/** The scale's words, 1 to 4: tidak baik, kurang baik, baik, sangat baik. */
	scale: readonly [string, string, string, string];
	/** The list's button. */
	chooseScore: string;
	/** The row and button that end the survey here. */
	skip: string;
	askSuggestion: string;
	thanks: string;
	/** `survei` typed, but no completed request is waiting for one. */
	none: string;
	/** `survei` typed about a request surveyed before. */
	already(ticket: string): string;
	/** `survei` typed in the middle of something else. */
	busy: string;
}

export const surveyId: SurveyTexts = {
	intro: (ticket) =>
		`Mohon bantu kami menilai layanan untuk permohonan *${ticket}*: 9 pertanyaan singkat, jawaban Anda tanpa nama. Ketik *lewati* kapan saja untuk berhenti.`,
	question: (index, total, question) => `Survei ${index}/${total}: ${question}`,
	questions: [
		"Bagaimana kesesuaian *persyaratan* pelayanan dengan jenis pelayanannya?",
		"Bagaimana kemudahan *prosedur* pelayanan?",
		"Bagaimana kecepatan *waktu* penyelesaian pelayanan?",
		"Bagaimana kewajaran *biaya/tarif* pelayanan?",
		"Bagaimana kesesuaian *produk* pelayanan (hasil yang Anda terima) dengan standar pelayanan?",
		"Bagaimana *kompetensi* (kemampuan) petugas dalam pelayanan?",
		"Bagaimana *perilaku* petugas (kesopanan dan keramahan)?",
		"Bagaimana kualitas *sarana dan prasarana* (termasuk layanan WhatsApp ini)?",
		"Bagaimana *penanganan pengaduan*, saran dan masukan?",
	],
	scale: ["Tidak baik", "Kurang baik", "Baik", "Sangat baik"],
	chooseScore: "Pilih nilai",
	skip: "Lewati survei",
	askSuggestion:
		"Terakhir: ada *saran* untuk kami? Ketik saran Anda, atau tekan *Lewati* jika tidak ada.",
	thanks: "Terima kasih atas penilaian Anda 🙏 Masukan Anda membantu kami memperbaiki layanan.",
	none: "Belum ada permohonan selesai yang bisa dinilai. Survei bisa diisi setelah permohonan Anda selesai.",
	already: (ticket) => `Permohonan *${ticket}* sudah pernah dinilai. Terima kasih!`,
	busy: "Selesaikan dulu langkah yang sedang berjalan, lalu ketik *survei* lagi.",
};

export const surveyEn: SurveyTexts = {
	intro: (ticket) =>
		`Please help us rate our service for request *${ticket}*: 9 short questions, your answers carry no name. Type *skip* at any time to stop.`,
	question: (index, total, question) => `Survey ${index}/${total}: ${question}`,
	questions: [
		"How well did the *requirements* suit the service?",
		"How easy was the *procedure*?",
		"How was the *time* the service took?",
		"How fair was the *cost/fee*?",
		"How well did the *product* (what you received) match the service standard?",
		"How *competent* were the staff?",
		"How was the staff's *conduct* (courtesy and friendliness)?",
		"How were the *facilities* (including this WhatsApp service)?",
		"How were *complaints*, suggestions and feedback handled?",
	],
	scale: ["Poor", "Fair", "Good", "Very good"],
	chooseScore: "Choose a score",
	skip: "Skip the survey",
	askSuggestion: "Last one: any *suggestion* for us? Type it, or tap *Skip* if you have none.",
	thanks: "Thank you for your rating 🙏 Your feedback helps us improve the service.",
	none: "There is no completed request to rate yet. The survey opens once your request is complete.",
	already: (ticket) => `Request *${ticket}* has been rated already. Thank you!`,
	busy: "Please finish the current step first, then type *survey* again.",
};
