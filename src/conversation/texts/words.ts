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
	| "english"
	| "indonesia"
	| "kelurahan";

/** The first word of a message that makes it a command, at any point of the dialogue. */
export const COMMAND_WORDS: Readonly<Record<string, Command>> = {
	menu: "menu",
	mulai: "menu",
	start: "menu",
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
	english: "english",
	inggris: "english",
	indonesia: "indonesia",
	bahasa: "indonesia",
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
	confirmSend: ["kirim", "submit", "ya", "yes", "benar", "ok"],
	confirmChange: ["ubah", "change", "edit", "ganti"],
	confirmCancel: ["batal", "cancel", "tidak", "no"],
	cancelYes: ["ya", "yes", "batalkan", "cancel"],
	cancelNo: ["tidak", "no", "jangan"],
	/** At a document step: the resident cannot send it (told about their kelurahan's help). */
	cannotSend: ["tidak bisa kirim", "tidak bisa", "gak bisa kirim", "cannot send", "can't send"],
} as const satisfies Record<string, readonly string[]>;
