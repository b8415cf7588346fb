/**
 * Parsing of the NIK (Nomor Induk Kependudukan), the 16-digit national identity number.
 *
 * Layout: 2 digits province, 2 regency/city, 2 district (where first registered), DDMMYY date of
 * birth with the day plus 40 for women, and a 4-digit serial from 0001. There is no check digit.
 *
 * A NIK is for life, so only what cannot be a NIK at all is rejected; anything that merely looks
 * odd (such as 31 April) is reported as a warning for staff, never a reason to refuse.
 *
 * @module
 */

/**
 * Why an input cannot be a NIK, in the order the checks are made:
 * - `not_16_digits`: after removing separators, not exactly 16 ASCII digits (letters or other
 *   characters count as this too);
 * - `unknown_province`: the first two digits are not a province code;
 * - `bad_month`: month 00 or over 12;
 * - `bad_day`: day 00, 32-40 or over 71;
 * - `zero_serial`: serial 0000.
 */
export type NikProblem =
	| "not_16_digits"
	| "unknown_province"
	| "bad_month"
	| "bad_day"
	| "zero_serial";

/**
 * Something odd about a NIK that is still accepted; for staff to look at, never a refusal.
 * - `impossible_date`: the birth date (after removing the +40 for women) does not exist in any
 *   year, such as 31 April or 30 February. 29 February is accepted since the century is unknown.
 */
export type NikWarning = "impossible_date";

/** The date of birth encoded in a NIK. The century is not encoded. */
export interface NikBirthDate {
	/** Day of the month, 1-31, with the +40 for women already removed. */
	day: number;
	/** Month, 1-12. */
	month: number;
	/** Last two digits of the year, 0-99. */
	yearTwoDigits: number;
}

/** A NIK that passed every check. */
export interface ValidNik {
	ok: true;
	/** The 16 digits, without separators. */
	nik: string;
	/** Province code, 2 digits (for example "16"). */
	province: string;
	/** Regency or city code within the province, 2 digits (for example "74"). */
	regency: string;
	/** District (kecamatan) code within the regency, 2 digits (for example "01"). */
	district: string;
	birthDate: NikBirthDate;
	/** "L" (laki-laki, male) or "P" (perempuan, female, day written plus 40). */
	sex: "L" | "P";
	/** Oddities for staff; empty when there are none. */
	warnings: NikWarning[];
}

/** An input that cannot be a NIK. */
export interface InvalidNik {
	ok: false;
	problem: NikProblem;
}

/** Result of {@link parseNik}. */
export type NikResult = ValidNik | InvalidNik;

/** Province codes in use (Kemendagri): 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-97. */
const PROVINCE_RANGES: ReadonlyArray<readonly [number, number]> = [
	[11, 19],
	[21, 21],
	[31, 36],
	[51, 53],
	[61, 65],
	[71, 76],
	[81, 82],
	[91, 97],
];

/** Whitespace, dots and dashes (ASCII hyphen and the Unicode dashes phones may substitute). */
const SEPARATORS = /[\s.\-\u2010-\u2015\u2212]/g;

const SIXTEEN_DIGITS = /^[0-9]{16}$/;

/** Most days a month can have in any year (February counts 29 since the century is unknown). */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isKnownProvince(code: number): boolean {
	return PROVINCE_RANGES.some(([low, high]) => code >= low && code <= high);
}

/**
 * Parses and checks a NIK as typed by a resident.
 *
 * Spaces, dots and dashes anywhere in the input are removed first ("1674 0112 3456 0001" and
 * "1674.0112.3456.0001" are read as "1674011234560001"); any other non-digit makes the input
 * invalid. Checks are made in the order of {@link NikProblem} and the first failure is returned.
 *
 * @param input - The NIK as written, possibly with separators.
 * @returns The decoded NIK with any warnings, or the problem that makes it impossible.
 *
 * @example
 * ```ts
 * parseNik("1674015203900001");
 * // { ok: true, nik: "1674015203900001", province: "16", regency: "74", district: "01",
 * //   birthDate: { day: 12, month: 3, yearTwoDigits: 90 }, sex: "P", warnings: [] }
 * ```
 */
export function parseNik(input: string): NikResult {
	const nik = input.replace(SEPARATORS, "");
	if (!SIXTEEN_DIGITS.test(nik)) {
		return { ok: false, problem: "not_16_digits" };
	}

	const province = nik.slice(0, 2);
	const regency = nik.slice(2, 4);
	const district = nik.slice(4, 6);
	const rawDay = Number(nik.slice(6, 8));
	const month = Number(nik.slice(8, 10));
	const yearTwoDigits = Number(nik.slice(10, 12));
	const serial = nik.slice(12, 16);

	if (!isKnownProvince(Number(province))) {
		return { ok: false, problem: "unknown_province" };
	}
	if (month < 1 || month > 12) {
		return { ok: false, problem: "bad_month" };
	}
	const female = rawDay >= 41 && rawDay <= 71;
	if (!female && (rawDay < 1 || rawDay > 31)) {
		return { ok: false, problem: "bad_day" };
	}
	if (serial === "0000") {
		return { ok: false, problem: "zero_serial" };
	}

	const day = female ? rawDay - 40 : rawDay;
	const warnings: NikWarning[] = [];
	const maxDay = MAX_DAYS[month - 1] ?? 31;
	if (day > maxDay) {
		warnings.push("impossible_date");
	}

	return {
		ok: true,
		nik,
		province,
		regency,
		district,
		birthDate: { day, month, yearTwoDigits },
		sex: female ? "P" : "L",
		warnings,
	};
}

/**
 * Masks a NIK for logs and for anyone who is not staff: keeps the first 6 digits (where it was
 * first registered) and the last 2, and replaces the 8 in between with `*`.
 *
 * Separators are removed first. An input that is not 16 digits after that is not a NIK this
 * function can mask safely, so every character of it is replaced with `*`: the result never
 * carries more than 8 digits of the input.
 *
 * @param nik - A NIK, preferably as returned by {@link parseNik}.
 * @returns For example "167401********01" for "1674015203900001".
 */
export function maskNik(nik: string): string {
	const digits = nik.replace(SEPARATORS, "");
	if (!SIXTEEN_DIGITS.test(digits)) {
		return "*".repeat(nik.length);
	}
	return `${digits.slice(0, 6)}${"*".repeat(8)}${digits.slice(14)}`;
}
