/**
 * The community satisfaction index (IKM, Indeks Kepuasan Masyarakat) of the SKM survey, as
 * Peraturan Menteri PANRB Nomor 14 Tahun 2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat
 * Unit Penyelenggara Pelayanan Publik) computes it. Pure: the rows come from the caller.
 *
 * - Nine elements (unsur), in the regulation's order: persyaratan; sistem, mekanisme dan
 *   prosedur; waktu penyelesaian; biaya/tarif; produk spesifikasi jenis pelayanan; kompetensi
 *   pelaksana; perilaku pelaksana; sarana dan prasarana; penanganan pengaduan, saran dan masukan.
 * - Each answered on a 1-4 scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik.
 * - NRR (nilai rata-rata) of an element: the sum of its answers / the number of answers.
 * - IKM = sum over the elements of NRR x the weight, the weight being 1 / the number of elements
 *   (1/9 = 0.111 with nine), i.e. the plain average of the NRRs; the converted IKM is that x 25.
 * - The grade comes from the regulation's conversion table (Lampiran, "Nilai Persepsi, Interval
 *   IKM, Interval Konversi IKM, Mutu Pelayanan dan Kinerja Unit Pelayanan"):
 *
 *   | persepsi | interval IKM    | interval konversi | mutu | kinerja      |
 *   |----------|-----------------|-------------------|------|--------------|
 *   | 1        | 1.00 - 2.5996   | 25.00 - 64.99     | D    | tidak baik   |
 *   | 2        | 2.60 - 3.064    | 65.00 - 76.60     | C    | kurang baik  |
 *   | 3        | 3.0644 - 3.532  | 76.61 - 88.30     | B    | baik         |
 *   | 4        | 3.5324 - 4.00   | 88.31 - 100.00    | A    | sangat baik  |
 *
 * Decisions where the regulation is silent, because residents may skip questions here: an
 * element's NRR averages only the answers it got (null with none), and the IKM averages only the
 * elements that have an NRR (null when none has). The converted IKM is rounded to two decimals
 * before the table is read, as the table itself is written, so no value falls between two rows.
 *
 * @module
 */

/** The nine SKM elements in the regulation's order; `u1`..`u9` in `skm_responses`. */
export const SKM_ELEMENTS = [
	"persyaratan",
	"prosedur",
	"waktu",
	"biaya",
	"produk",
	"kompetensi",
	"perilaku",
	"sarana",
	"pengaduan",
] as const;

export type SkmElement = (typeof SKM_ELEMENTS)[number];

/** The regulation's scale: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik. */
export const SKM_SCALE = [1, 2, 3, 4] as const;

/** One response's answers, element by element in {@link SKM_ELEMENTS} order; null when skipped. */
export type SkmAnswers = readonly (number | null)[];

/** A grade (mutu pelayanan) of the conversion table and its words (kinerja unit pelayanan). */
export type SkmGrade = { grade: "A" | "B" | "C" | "D"; label: string };

/** The conversion table's rows, lowest converted IKM of each, best first. */
const CONVERSION: readonly (SkmGrade & { from: number })[] = [
	{ from: 88.31, grade: "A", label: "sangat baik" },
	{ from: 76.61, grade: "B", label: "baik" },
	{ from: 65.0, grade: "C", label: "kurang baik" },
	{ from: 25.0, grade: "D", label: "tidak baik" },
];

/** The figures of a set of responses. */
export interface SkmIndex {
	/** How many responses were counted. */
	responses: number;
	/** Per element: how many answered it, and its NRR (null when nobody did). */
	elements: { element: SkmElement; answers: number; average: number | null }[];
	/** The weighted average of the NRRs (1-4), or null when nothing was answered. */
	average: number | null;
	/** The converted IKM (average x 25, two decimals), or null. */
	ikm: number | null;
	/** Its grade by the conversion table, or null. */
	grade: SkmGrade | null;
}

/** Rounds to `places` decimals (half away from zero, as the figures are written by hand). */
function round(value: number, places: number): number {
	const factor = 10 ** places;
	return Math.round(value * factor + Number.EPSILON) / factor;
}

/** The grade of a converted IKM (25-100) by the regulation's table; read at two decimals. */
export function skmGrade(ikm: number): SkmGrade {
	const at = round(ikm, 2);
	const row = CONVERSION.find((r) => at >= r.from) ?? CONVERSION[CONVERSION.length - 1];
	// The table's last row starts at 25, the lowest IKM there is: `row` is always found.
	return { grade: row?.grade ?? "D", label: row?.label ?? "tidak baik" };
}

/**
 * The IKM of `responses` (each one's answers in element order): each element's NRR, their
 * average with equal weights, the converted IKM and its grade. Averages keep four decimals.
 */
export function skmIndex(responses: readonly SkmAnswers[]): SkmIndex {
	const sums = SKM_ELEMENTS.map(() => 0);
	const counts = SKM_ELEMENTS.map(() => 0);
	for (const answers of responses) {
		SKM_ELEMENTS.forEach((_, i) => {
			const v = answers[i];
			if (typeof v !== "number" || v < 1 || v > 4) return;
			sums[i] = (sums[i] ?? 0) + v;
			counts[i] = (counts[i] ?? 0) + 1;
		});
	}
	return skmIndexOfTotals(responses.length, sums, counts);
}

/**
 * {@link skmIndex} from running totals (each element's sum of scores and number of answers, in
 * element order), so a report can count surveys page by page without keeping them.
 */
export function skmIndexOfTotals(
	responses: number,
	sums: readonly number[],
	counts: readonly number[],
): SkmIndex {
	const elements = SKM_ELEMENTS.map((element, i) => {
		const answers = counts[i] ?? 0;
		return { element, answers, raw: answers === 0 ? null : (sums[i] ?? 0) / answers };
	});
	const averages = elements.flatMap((e) => (e.raw === null ? [] : [e.raw]));
	const shown = elements.map(({ element, answers, raw }) => ({
		element,
		answers,
		average: raw === null ? null : round(raw, 4),
	}));
	if (averages.length === 0) {
		return { responses, elements: shown, average: null, ikm: null, grade: null };
	}
	// Each element weighs 1 / (elements counted): the regulation's 0.111 with all nine. The sum
	// uses the unrounded NRRs; only the figures shown are rounded.
	const weight = 1 / averages.length;
	const average = averages.reduce((total, nrr) => total + nrr * weight, 0);
	const ikm = round(average * 25, 2);
	return { responses, elements: shown, average: round(average, 4), ikm, grade: skmGrade(ikm) };
}
