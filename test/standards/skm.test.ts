import { describe, expect, it } from "vitest";
import { SKM_ELEMENTS, skmGrade, skmIndex } from "../../src/standards/skm";

describe("skmIndex (PermenPANRB 14/2017)", () => {
	it("matches a hand-computed example, a skipped answer left out of its element only", () => {
		const index = skmIndex([
			[4, 4, 3, 3, 4, 4, 4, 3, 3],
			[3, 3, 3, 2, 3, 3, 4, 3, 3],
			[4, 3, 4, 3, 4, 4, 4, 4, null],
			[3, 3, 2, 4, 3, 3, 3, 3, 4],
		]);
		// By hand: NRR u1 14/4, u2 13/4, u3 12/4, u4 12/4, u5 14/4, u6 14/4, u7 15/4, u8 13/4,
		// u9 10/3 (three answers). Sum 30.0833; x 1/9 = 3.3426; x 25 = 83.56: B (76.61-88.30).
		expect(index.responses).toBe(4);
		expect(index.elements.map((e) => e.element)).toEqual([...SKM_ELEMENTS]);
		expect(index.elements.map((e) => e.average)).toEqual([
			3.5, 3.25, 3, 3, 3.5, 3.5, 3.75, 3.25, 3.3333,
		]);
		expect(index.elements.map((e) => e.answers)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 3]);
		expect(index.average).toBe(3.3426);
		expect(index.ikm).toBe(83.56);
		expect(index.grade).toEqual({ grade: "B", label: "baik" });
	});

	it("gives all-3 answers 75.00 (C) and all-4 answers 100 (A)", () => {
		expect(skmIndex([Array(9).fill(3)]).ikm).toBe(75);
		expect(skmIndex([Array(9).fill(3)]).grade?.grade).toBe("C");
		expect(skmIndex([Array(9).fill(4)]).ikm).toBe(100);
		expect(skmIndex([Array(9).fill(4)]).grade?.grade).toBe("A");
	});

	it("averages only the elements answered, and has no index without answers", () => {
		const partial = skmIndex([[4, 2, null, null, null, null, null, null, null]]);
		expect(partial.average).toBe(3);
		expect(partial.ikm).toBe(75);
		const none = skmIndex([Array(9).fill(null)]);
		expect(none).toMatchObject({ responses: 1, average: null, ikm: null, grade: null });
		expect(skmIndex([])).toMatchObject({ responses: 0, ikm: null });
	});
});

describe("skmGrade: the regulation's conversion table", () => {
	it("reads each row's edges", () => {
		const grades = [100, 88.31, 88.3, 76.61, 76.6, 65, 64.99, 25].map((v) => skmGrade(v).grade);
		expect(grades).toEqual(["A", "A", "B", "B", "C", "C", "D", "D"]);
		expect(skmGrade(90).label).toBe("sangat baik");
		expect(skmGrade(50).label).toBe("tidak baik");
	});
});
