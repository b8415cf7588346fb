/**
 * Dates and times on the console's pages, in words in the page's language: the short form in
 * tables and lists ("Jum 4 Des 2026", "Jum 4 Des 2026 10.00"), the long one on a detail page's
 * facts ("Jumat, 4 Desember 2026", "... pukul 10.00 WITA"). The words are the residents' own
 * (standards/dates-id.ts); each sits in a `<time datetime>` that keeps the machine-readable value.
 * The staff API's JSON stays ISO: only the pages word it.
 *
 * @module
 */

import {
	formatDate,
	formatDateTime,
	formatShortDate,
	formatShortDateTime,
} from "../standards/dates-id";
import { isIsoDate } from "../standards/iso-date";
import { isoDateTime } from "../standards/office-clock";
import type { PageProps } from "./layout";

type DatePage = Pick<PageProps, "words" | "lang">;

/** A calendar date (`YYYY-MM-DD`), or the page's "none" when there is none. */
export function DateText(props: { date: string | null; page: DatePage; long?: boolean }) {
	const { date, page } = props;
	if (date === null) return <>{page.words.none}</>;
	// The API's dates are checked `YYYY-MM-DD`; anything else is shown as it came, not dropped.
	if (!isIsoDate(date)) return <>{date}</>;
	const text = props.long ? formatDate(date, page.lang) : formatShortDate(date, page.lang);
	return <time datetime={date}>{text}</time>;
}

/** An instant (epoch ms) in the office's time, or a dash when there is none. */
export function When(props: {
	at: number | null;
	page: DatePage & Pick<PageProps, "tz">;
	long?: boolean;
}) {
	const { at, page } = props;
	if (at === null) return <>—</>;
	const text = props.long
		? formatDateTime(at, page.tz, page.lang)
		: formatShortDateTime(at, page.tz, page.lang);
	return <time datetime={isoDateTime(at, page.tz)}>{text}</time>;
}
