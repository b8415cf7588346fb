import type { Lang } from "../catalog/catalog";

/**
 * The words the Conversation object itself sends (not the dialogue), in Bahasa Indonesia and
 * English, shaped like texts.ts so they can be folded into it.
 */
export interface ShellTexts {
	/** The caption of a finished document staff send. */
	resultCaption(ticket: string): string;
	/** The status template's summary when a finished document waits for the window. */
	resultReady(ticket: string): string;
	/** The status template's summary when waiting messages came with none of their own. */
	messageWaiting: string;
}

const id: ShellTexts = {
	resultCaption: (ticket) => `Dokumen permohonan ${ticket}. Cetak di kertas A4 putih.`,
	resultReady: (ticket) => `${ticket}: Dokumen selesai`,
	messageWaiting: "Ada pesan untuk Anda. Balas pesan ini untuk membacanya.",
};

const en: ShellTexts = {
	resultCaption: (ticket) => `Document for request ${ticket}. Print it on plain white A4 paper.`,
	resultReady: (ticket) => `${ticket}: Document ready`,
	messageWaiting: "There is a message for you. Reply to this message to read it.",
};

const texts: Record<Lang, ShellTexts> = { id, en };

/** The object's own words in `lang`. */
export function shellTextsFor(lang: Lang): ShellTexts {
	return texts[lang];
}
