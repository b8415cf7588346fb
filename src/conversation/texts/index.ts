import type { Lang } from "../../catalog/catalog";
import { en } from "./en";
import { id } from "./id";
import type { Texts } from "./types";

export type { Texts } from "./types";
export { ALIASES, COMMAND_PHRASES, COMMAND_WORDS, type Command } from "./words";

const texts: Record<Lang, Texts> = { id, en };

/** Everything the bot says, in the resident's language. */
export function textsFor(lang: Lang): Texts {
	return texts[lang];
}
