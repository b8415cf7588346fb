/**
 * Opaque keyset cursors for lists ordered by `(time DESC, id DESC)`: the request queue and the
 * audit log.
 *
 * @module
 */

/** A position in a list ordered by `(time DESC, id DESC)`. */
export interface Cursor {
	at: number;
	id: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The opaque cursor for the row at `(at, id)`: base64url of `at:id`. */
export function encodeCursor(at: number, id: string): string {
	const bytes = new TextEncoder().encode(`${at}:${id}`);
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 *
 * @returns null when the text is not one (the caller says so to its client).
 */
export function decodeCursor(cursor: string): Cursor | null {
	const decoded = BASE64URL.test(cursor) ? base64urlText(cursor) : null;
	const match = decoded === null ? null : /^([0-9]{1,16}):(.{1,200})$/s.exec(decoded);
	const at = Number(match?.[1]);
	const id = match?.[2];
	if (id === undefined || !Number.isSafeInteger(at)) return null;
	return { at, id };
}

function base64urlText(text: string): string | null {
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
		return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return null;
	}
}
