import { type NikResult, parseNik } from "../../requests/nik";

/** Runs of digits, possibly with the spaces, dots and dashes people write a NIK with. */
const DIGIT_RUNS = /\d[\d\s.\-\u2010-\u2015\u2212]*\d/g;

/** What a resident's answer to "type the NIK" amounts to. */
export type NikAnswer =
	| { kind: "nik"; result: NikResult }
	/** No number at all ("tidak tahu", "lupa", "KTP saya hilang"): say where a NIK is found. */
	| { kind: "unknown" };

/**
 * Reads the NIK out of what the resident typed: "NIK saya 1674011203850001" gives the 16 digits.
 * When exactly one run of digits in the text has 16 digits, that run is the NIK; otherwise the
 * whole text is judged, so "1674 0112" is still told it is not 16 digits. A text without any
 * digit is not an attempt at a NIK: the resident does not know it.
 */
export function readNikAnswer(text: string): NikAnswer {
	const runs = text.match(DIGIT_RUNS) ?? [];
	if (runs.length === 0 && !/\d/.test(text)) return { kind: "unknown" };
	const sixteen = runs.filter((run) => run.replace(/\D/g, "").length === 16);
	if (sixteen.length === 1 && sixteen[0] !== undefined) {
		return { kind: "nik", result: parseNik(sixteen[0]) };
	}
	if (runs.length === 1 && runs[0] !== undefined) return { kind: "nik", result: parseNik(runs[0]) };
	return { kind: "nik", result: parseNik(text) };
}
