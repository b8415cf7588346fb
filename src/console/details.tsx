/**
 * What an audit row or an account alert says beyond its columns (its JSON `detail`), as staff
 * read it: one line per key, the key as the API wrote it, the value in the page's words where
 * the console has them (instants and dates, yes/no, request statuses, roles, job kinds, channels)
 * and a nested value on one line ("key: value, key: value"). Every value the JSON holds is shown,
 * nothing is added: the words replace a value's spelling, never look anything up.
 *
 * @module
 */

import type { Child } from "hono/jsx";
import { isRequestStatus, statusWords } from "../requests/statuses";
import { isIsoDate } from "../standards/iso-date";
import { DateText, When } from "./dates";
import { CodeWords, codeWord, type PageProps } from "./layout";

type DetailPage = Pick<PageProps, "words" | "lang" | "tz">;

/** Keys that name an instant: `at`, `expiresAt`, a period's `from`/`to`, Meta's `expiration`. */
const INSTANT_KEY = /^(at|from|to|before|after|expiration|timestamp)$|At$|_at$|_timestamp$/;

/** The codes a key's string value is spelled in: its words' kind in words-codes.ts. */
const CODE_KINDS: Readonly<Record<string, string>> = {
	role: "role",
	kind: "deadLetter",
	channel: "channel",
};

/**
 * A number under an instant's key as epoch ms, or null when it is no instant: Meta counts in
 * seconds, the API in milliseconds (below 1e11 it is seconds: 1e11 ms is 1973, 1e11 s is 5138).
 * Numbers before 2001 in either unit (a count, a test's 1) are not taken for instants.
 */
export function instantOf(key: string, value: number): number | null {
	if (!INSTANT_KEY.test(key) || !Number.isInteger(value) || value < 1e9) return null;
	return value < 1e11 ? value * 1000 : value;
}

/** One value in words; `name` is the key it was found under (an array's items share it). */
function Value(props: { name: string; value: unknown; page: DetailPage }): Child {
	const { name, value, page } = props;
	const w = page.words;
	if (value === null || value === undefined) return w.none;
	if (typeof value === "boolean") return value ? w.yes : w.no;
	if (typeof value === "number") {
		const at = instantOf(name, value);
		return at === null ? value : <When at={at} page={page} />;
	}
	if (typeof value === "string") {
		if (isIsoDate(value)) return <DateText date={value} page={page} />;
		if ((name === "from" || name === "to" || name === "status") && isRequestStatus(value)) {
			return <CodeWords words={statusWords(value, page.lang)} code={value} />;
		}
		const kind = CODE_KINDS[name];
		return kind === undefined ? value : <CodeWords words={codeWord(w, kind, value)} code={value} />;
	}
	if (Array.isArray(value)) {
		if (value.length === 0) return w.none;
		// Plain items by commas; whole records (Meta's restrictions) by semicolons.
		const joint = value.some((item) => item !== null && typeof item === "object") ? "; " : ", ";
		return (
			<>
				{value.map((item, i) => (
					<>
						{i > 0 && joint}
						<Value name={name} value={item} page={page} />
					</>
				))}
			</>
		);
	}
	if (typeof value === "object") {
		return (
			<>
				{Object.entries(value).map(([key, inner], i) => (
					<>
						{i > 0 && ", "}
						{key}: <Value name={key} value={inner} page={page} />
					</>
				))}
			</>
		);
	}
	return String(value);
}

/** A detail as a list of key: value, every key of it in its order; a dash for an empty one. */
export function DetailList(props: { detail: Record<string, unknown>; page: DetailPage }) {
	const entries = Object.entries(props.detail);
	if (entries.length === 0) return <>{props.page.words.none}</>;
	return (
		<dl class="facts detail-list">
			{entries.map(([key, value]) => (
				<>
					<dt>{key}</dt>
					<dd>
						<Value name={key} value={value} page={props.page} />
					</dd>
				</>
			))}
		</dl>
	);
}
