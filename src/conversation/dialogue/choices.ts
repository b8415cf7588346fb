import type { InboundContent } from "../../channel/events";
import type { ListRow } from "../../channel/messages";
import { CHOICE_LIMITS } from "../../channel/presentation";

/** One thing the resident can pick: a list row or a button, also reachable by typing. */
export interface Option {
	id: string;
	title: string;
	description?: string;
	/** Other words that pick it when typed ("kirim", "submit", ...). */
	aliases?: readonly string[];
}

export const PAGE_NEXT = "page:next";
export const PAGE_PREVIOUS = "page:prev";
/** Lower case, no accents or punctuation, single spaces: how typed words are compared. */
export function normalizeWord(text: string): string {
	return text
		.toLowerCase()
		.normalize("NFKD")
		.replace(/[\u0300-\u036f]/g, "")
		.replace(/[^a-z0-9 ]+/g, " ")
		.replace(/\s+/g, " ")
		.trim();
}

/**
 * What the resident picked among `options`: a tapped row or button by id, a typed number
 * (the numbering shown in the message), or a typed word matching one option only.
 */
export function pick(content: InboundContent, options: Option[]): Option | undefined {
	if (content.kind === "choice") {
		return options.find((o) => o.id === content.id) ?? matchText(content.title, options);
	}
	if (content.kind === "text") return matchText(content.text, options);
	return undefined;
}

function matchText(text: string, options: Option[]): Option | undefined {
	const word = normalizeWord(text);
	if (word === "") return undefined;
	if (/^\d{1,3}$/.test(word)) return options[Number(word) - 1];
	const exact = options.filter(
		(o) =>
			normalizeWord(o.title) === word ||
			normalizeWord(o.id) === word ||
			(o.aliases ?? []).some((a) => normalizeWord(a) === word),
	);
	if (exact.length === 1) return exact[0];
	if (word.length < 3) return undefined;
	const partial = options.filter((o) => normalizeWord(o.title).includes(word));
	return partial.length === 1 ? partial[0] : undefined;
}

/** "1. KTP-el\n2. Kartu Keluarga ..." so that typing a number works on any client. */
export function numbered(options: Option[]): string {
	return options.map((o, i) => `${i + 1}. ${o.title}`).join("\n");
}

/**
 * The rows of one page of a list: all of them when they fit, else all but one or two and
 * "more" / "back" rows. Typed numbers keep the global numbering.
 */
export function pageRows(
	options: Option[],
	page: number,
	labels: { next: string; previous: string },
): { rows: ListRow[]; pages: number } {
	const toRow = (o: Option) => ({
		id: o.id,
		title: o.title,
		...(o.description ? { description: o.description } : {}),
	});
	if (options.length <= CHOICE_LIMITS.listRows) return { rows: options.map(toRow), pages: 1 };
	const perPage = CHOICE_LIMITS.listRows - 2;
	const pages = Math.ceil(options.length / perPage);
	const current = Math.min(Math.max(page, 0), pages - 1);
	const rows = options.slice(current * perPage, (current + 1) * perPage).map(toRow);
	if (current > 0) rows.unshift({ id: PAGE_PREVIOUS, title: labels.previous });
	if (current < pages - 1) rows.push({ id: PAGE_NEXT, title: labels.next });
	return { rows, pages };
}

/** A title cut to `max` characters (a list row's by default), ending in "…" when cut. */
export function fitTitle(title: string, max: number = CHOICE_LIMITS.rowTitle): string {
	const chars = [...title];
	return chars.length <= max ? title : `${chars.slice(0, max - 1).join("")}…`;
}
