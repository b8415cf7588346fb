/**
 * Ticket codes given to residents: `<office code>-<YYMMDD>-<daily sequence>`, such as
 * `PBM-261128-0042`. The date is the submission day in the office's time zone; the sequence
 * starts at 0001 each day, has at least 4 digits and grows beyond 9999 when needed.
 *
 * The same format is built in SQL by `submitRequest` (it allocates the number inside the
 * transaction); {@link formatTicket} is the reference the tests hold it to.
 *
 * @module
 */

/** The office's time zone when none is configured (WIB). */
export const DEFAULT_TIME_ZONE = "Asia/Jakarta";

/** An office code (`OFFICE_CODE`): 2 to 10 capital letters or digits, starting with a letter. */
export const OFFICE_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;

/**
 * A ticket code in its canonical form: office code, 6-digit day, and a sequence of exactly 4
 * digits, or more without a leading zero. Groups: 1 office code, 2 day, 3 sequence.
 */
export const TICKET_PATTERN = /^([A-Z][A-Z0-9]{1,9})-([0-9]{6})-([0-9]{4}|[1-9][0-9]{4,})$/;

const DAY_PATTERN = /^[0-9]{6}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (formatter === undefined) {
		formatter = new Intl.DateTimeFormat("en-US", {
			timeZone,
			year: "2-digit",
			month: "2-digit",
			day: "2-digit",
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/**
 * The day of an instant as `YYMMDD` in a time zone: the day part of a ticket code and the key of
 * that day's counter.
 *
 * @param at - Epoch milliseconds.
 * @param timeZone - An IANA time zone; the office's, `Asia/Jakarta` by default.
 * @throws RangeError for an unknown time zone or an instant that is not a finite number.
 *
 * @example
 * ```ts
 * ticketDay(Date.parse("2026-11-28T17:30:00Z")); // "261129" (00:30 WIB)
 * ```
 */
export function ticketDay(at: number, timeZone: string = DEFAULT_TIME_ZONE): string {
	if (!Number.isFinite(at)) {
		throw new RangeError("ticketDay: the instant must be a finite number of milliseconds");
	}
	const parts = dayFormatter(timeZone).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes): string =>
		parts.find((p) => p.type === type)?.value ?? "";
	const day = `${part("year")}${part("month")}${part("day")}`;
	if (!DAY_PATTERN.test(day)) {
		throw new RangeError(`ticketDay: cannot format the instant ${at} as YYMMDD`);
	}
	return day;
}

/**
 * Builds a ticket code.
 *
 * @param officeCode - `OFFICE_CODE`, matching {@link OFFICE_CODE_PATTERN}.
 * @param day - `YYMMDD`, as returned by {@link ticketDay}.
 * @param n - The day's sequence number, from 1.
 * @throws RangeError when an argument does not fit the format.
 *
 * @example
 * ```ts
 * formatTicket("PBM", "261128", 42); // "PBM-261128-0042"
 * formatTicket("PBM", "261128", 12345); // "PBM-261128-12345"
 * ```
 */
export function formatTicket(officeCode: string, day: string, n: number): string {
	assertOfficeCode(officeCode);
	if (!DAY_PATTERN.test(day)) {
		throw new RangeError(`formatTicket: the day must be YYMMDD, got "${day}"`);
	}
	if (!Number.isSafeInteger(n) || n < 1) {
		throw new RangeError(`formatTicket: the sequence must be a positive integer, got ${n}`);
	}
	return `${officeCode}-${day}-${String(n).padStart(4, "0")}`;
}

/**
 * Reads a ticket code as a resident may type it: surrounding spaces and lower case are
 * tolerated, as are spaces instead of dashes ("pbm 261128 0042").
 *
 * @returns The canonical code, or `null` when the input is not a ticket code.
 */
export function parseTicket(input: string): string | null {
	const code = input.trim().toUpperCase().replace(/\s+/g, "-");
	return TICKET_PATTERN.test(code) ? code : null;
}

/**
 * The ticket a resident's sentence names, if any: the whole of it as a ticket ("pbm 261128 0042"),
 * else the first word that is one ("status tiket PBM-261128-0042", "soal PBM-261128-0042, ...").
 */
export function ticketIn(text: string): string | undefined {
	const whole = parseTicket(text);
	if (whole !== null) return whole;
	for (const word of text.split(/[\s,.;:()]+/)) {
		const ticket = parseTicket(word);
		if (ticket !== null) return ticket;
	}
	return undefined;
}

/**
 * Checks an office code before it is put into tickets.
 *
 * @throws RangeError when it does not match {@link OFFICE_CODE_PATTERN}.
 */
export function assertOfficeCode(officeCode: string): void {
	if (!OFFICE_CODE_PATTERN.test(officeCode)) {
		throw new RangeError(
			`The office code must be 2-10 capital letters or digits starting with a letter, got "${officeCode}"`,
		);
	}
}
