/**
 * Normalization of phone numbers to the form WhatsApp uses for `wa_id`: the international
 * number as digits only, without a plus (Indonesia: "62812...").
 *
 * @module
 */

/** Spaces, dashes, dots and parentheses people put between digits. */
const SEPARATORS = /[\s.()\-\u2010-\u2015\u2212]/g;

/** E.164 allows at most 15 digits; anything under 8 is not a reachable subscriber number. */
const MIN_DIGITS = 8;
const MAX_DIGITS = 15;

/**
 * Normalizes a phone number to the WhatsApp `wa_id` form (digits only, country code first, no
 * plus).
 *
 * - Indonesian numbers written nationally with the trunk 0 ("0812-3456-7890") become
 *   "6281234567890"; so do "+62 812 3456 7890" and "62 812-3456-7890". A trunk 0 kept after
 *   the country code ("+62 (0)812...") is dropped.
 * - A number with a leading `+` and another country code keeps its digits
 *   ("+1 650-555-1234" becomes "16505551234").
 * - Digits without `+` or a leading 0 are taken as already international, so a `wa_id` comes back
 *   unchanged and normalizing twice gives the same result.
 * - Spaces, dashes, dots and parentheses are ignored anywhere.
 *
 * @param input - The number as written.
 * @returns The normalized number, or `null` when the input is not a plausible phone number:
 *   letters or other characters, a `+` anywhere but at the start, a leading "00" (an
 *   international call prefix whose meaning depends on the carrier), or fewer than 8 or more than
 *   15 digits after normalization.
 */
export function normalizePhone(input: string): string | null {
	const compact = input.replace(SEPARATORS, "");
	const match = /^(\+?)([0-9]+)$/.exec(compact);
	if (match === null) {
		return null;
	}
	const plus = match[1] === "+";
	let digits = match[2] ?? "";

	if (plus) {
		if (digits.startsWith("0")) {
			return null;
		}
	} else if (digits.startsWith("00")) {
		return null;
	} else if (digits.startsWith("0")) {
		digits = `62${digits.slice(1)}`;
	}
	if (digits.startsWith("620")) {
		digits = `62${digits.slice(3)}`;
	}

	if (digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) {
		return null;
	}
	return digits;
}

/**
 * Masks a normalized phone number for logs: keeps the first 4 digits and the last 3 and
 * replaces the rest with `*` ("6281234567890" becomes "6281******890").
 *
 * An input that is not 8 to 15 digits is not masked safely by that rule (a short one would be
 * shown whole), so every character of it is replaced with `*`.
 *
 * @param p - A phone number as returned by {@link normalizePhone}.
 * @returns The masked number, as long as the input.
 */
export function maskPhone(p: string): string {
	if (!/^[0-9]{8,15}$/.test(p)) {
		return "*".repeat(p.length);
	}
	return `${p.slice(0, 4)}${"*".repeat(p.length - 7)}${p.slice(-3)}`;
}
