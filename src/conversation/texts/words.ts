/**
 * Words residents type that the dialogue recognises. Both languages are accepted whatever
 * language the dialogue speaks, so a resident who mixes them is still understood.
 */

/** What a typed command asks for. */
export type Command =
	| "menu"
	| "cancel"
	| "status"
	| "help"
	| "agent"
	| "complaint"
	| "english"
	| "indonesia"
	| "survey"
	| "stop"
	| "start"
	| "kelurahan";

/** The first word of a message that makes it a command, at any point of the dialogue. */
export const COMMAND_WORDS: Readonly<Record<string, Command>> = {
	menu: "menu",
	// Undoes `berhenti` for a resident who stopped messages; the menu for anyone else.
	mulai: "start",
	start: "start",
	batal: "cancel",
	cancel: "cancel",
	status: "status",
	cek: "status",
	bantuan: "help",
	help: "help",
	tolong: "help",
	petugas: "agent",
	agent: "agent",
	operator: "agent",
	pengaduan: "complaint",
	keluhan: "complaint",
	complaint: "complaint",
	english: "english",
	inggris: "english",
	indonesia: "indonesia",
	bahasa: "indonesia",
	survei: "survey",
	survey: "survey",
	berhenti: "stop",
	stop: "stop",
	kelurahan: "kelurahan",
};

/** Whole messages of two words that are one command (their first word alone is another). */
export const COMMAND_PHRASES: Readonly<Record<string, Command>> = {
	"bantuan kelurahan": "kelurahan",
	"bantuan desa": "kelurahan",
};

/** Typed words that pick an answer besides its title and number. */
export const ALIASES = {
	pageNext: ["berikutnya", "lagi", "more", "next"],
	pagePrevious: ["sebelumnya", "kembali", "back"],
	/** "Next" once a file for the document is in. */
	documentDone: ["lanjut", "next", "selesai", "done"],
	/** "Skip" for an optional document with no file yet. */
	documentSkip: ["lewati", "skip", "tidak ada", "lanjut", "next"],
	/** "Next" for a required document with no file yet (answered with a reminder). */
	documentRequired: ["lanjut", "next", "lewati", "skip"],
	/** Another page for the one-page document just sent. */
	addPage: ["tambah", "tambah halaman", "add page", "add a page", "more pages"],
	/** The resident has not got the document asked (it has a substitute). */
	documentMissing: [
		"tidak punya",
		"tidak ada",
		"gak punya",
		"nggak punya",
		"don t have it",
		"dont have it",
		"none",
	],
	confirmSend: ["kirim", "submit", "ya", "yes", "benar", "ok"],
	confirmChange: ["ubah", "change", "edit", "ganti"],
	confirmCancel: ["batal", "cancel", "tidak", "no"],
	cancelYes: ["ya", "yes", "batalkan", "cancel"],
	cancelNo: ["tidak", "no", "jangan"],
	/** Ends the SKM survey where it is (the rest unanswered). */
	surveySkip: ["lewati", "skip", "tidak ada", "none"],
	stopYes: ["ya", "yes", "berhenti", "stop"],
	stopNo: ["tidak", "no", "jangan", "lanjut"],
	/** At a document step: the resident cannot send it (told about their kelurahan's help). */
	cannotSend: ["tidak bisa kirim", "tidak bisa", "gak bisa kirim", "cannot send", "can't send"],
} as const satisfies Record<string, readonly string[]>;
