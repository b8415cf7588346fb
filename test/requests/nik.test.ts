import { describe, expect, it } from "vitest";
import { maskNik, type NikProblem, parseNik } from "../../src/requests/nik";

/** Builds a NIK from its parts; defaults give the example female NIK "1674015203900001". */
function nik(
	parts: { province?: string; day?: string; month?: string; year?: string; serial?: string } = {},
): string {
	const { province = "16", day = "52", month = "03", year = "90", serial = "0001" } = parts;
	return `${province}7401${day}${month}${year}${serial}`;
}

function problemOf(input: string): NikProblem | null {
	const result = parseNik(input);
	return result.ok ? null : result.problem;
}

describe("parseNik", () => {
	it("decodes every field of a valid NIK", () => {
		expect(parseNik("1674015203900001")).toEqual({
			ok: true,
			nik: "1674015203900001",
			province: "16",
			regency: "74",
			district: "01",
			birthDate: { day: 12, month: 3, yearTwoDigits: 90 },
			sex: "P",
			warnings: [],
		});
	});

	it("reads a day of 1 to 31 as a man's birth day", () => {
		const result = parseNik(nik({ day: "12" }));
		expect(result.ok && result.sex).toBe("L");
		expect(result.ok && result.birthDate.day).toBe(12);
	});

	it("reads a day of 41 to 71 as a woman's birth day plus 40", () => {
		const result = parseNik(nik({ day: "52" }));
		expect(result.ok && result.sex).toBe("P");
		expect(result.ok && result.birthDate.day).toBe(12);
	});

	it("keeps the year as two digits, including 00", () => {
		const result = parseNik(nik({ year: "00" }));
		expect(result.ok && result.birthDate.yearTwoDigits).toBe(0);
	});

	describe("separators", () => {
		it.each([
			["spaces", "1674 0152 0390 0001"],
			["dots", "1674.0152.0390.0001"],
			["dashes", "1674-0152-0390-0001"],
			["mixed separators", "16.74.01 520390-0001"],
			["surrounding whitespace", "  1674015203900001\n"],
			["a non-breaking space", "1674\u00a00152\u00a00390\u00a00001"],
		])("strips %s", (_name, input) => {
			const result = parseNik(input);
			expect(result.ok && result.nik).toBe("1674015203900001");
		});

		it.each([
			["a letter", "1674O15203900001"],
			["a slash", "1674/0152/0390/0001"],
			["a plus sign", "+1674015203900001"],
			["full-width digits", "１６７４０１５２０３９００００１"],
		])("rejects %s as not 16 digits", (_name, input) => {
			expect(problemOf(input)).toBe("not_16_digits");
		});
	});

	describe("length", () => {
		it.each([
			["empty input", ""],
			["15 digits", "167401520390001"],
			["17 digits", "16740152039000011"],
			["only separators", " - . "],
		])("rejects %s as not 16 digits", (_name, input) => {
			expect(problemOf(input)).toBe("not_16_digits");
		});
	});

	describe("province", () => {
		it.each([
			"11",
			"19",
			"21",
			"31",
			"36",
			"51",
			"53",
			"61",
			"65",
			"71",
			"76",
			"81",
			"82",
			"91",
			"97",
		])("accepts province %s", (province) => {
			expect(parseNik(nik({ province })).ok).toBe(true);
		});

		it.each([
			"00",
			"10",
			"20",
			"22",
			"30",
			"37",
			"50",
			"54",
			"60",
			"66",
			"70",
			"77",
			"80",
			"83",
			"90",
			"98",
			"99",
		])("rejects province %s as unknown", (province) => {
			expect(problemOf(nik({ province }))).toBe("unknown_province");
		});
	});

	describe("month", () => {
		it.each(["01", "12"])("accepts month %s", (month) => {
			expect(parseNik(nik({ month })).ok).toBe(true);
		});

		it.each(["00", "13", "99"])("rejects month %s", (month) => {
			expect(problemOf(nik({ month }))).toBe("bad_month");
		});
	});

	describe("day", () => {
		it.each([
			["01", "L", 1],
			["31", "L", 31],
			["41", "P", 1],
			["71", "P", 31],
		])("accepts day %s as sex %s, day %i", (day, sex, decoded) => {
			const result = parseNik(nik({ day, month: "01" }));
			expect(result.ok && result.sex).toBe(sex);
			expect(result.ok && result.birthDate.day).toBe(decoded);
		});

		it.each(["00", "32", "35", "40", "72", "99"])("rejects day %s", (day) => {
			expect(problemOf(nik({ day }))).toBe("bad_day");
		});
	});

	describe("serial", () => {
		it("accepts serial 0001", () => {
			expect(parseNik(nik({ serial: "0001" })).ok).toBe(true);
		});

		it("accepts serial 9999", () => {
			expect(parseNik(nik({ serial: "9999" })).ok).toBe(true);
		});

		it("rejects serial 0000", () => {
			expect(problemOf(nik({ serial: "0000" }))).toBe("zero_serial");
		});
	});

	describe("order of checks", () => {
		it("reports the length before anything else", () => {
			expect(problemOf("98740100000000")).toBe("not_16_digits");
		});

		it("reports the province before the month, day and serial", () => {
			expect(problemOf(nik({ province: "98", month: "00", day: "00", serial: "0000" }))).toBe(
				"unknown_province",
			);
		});

		it("reports the month before the day and serial", () => {
			expect(problemOf(nik({ month: "13", day: "00", serial: "0000" }))).toBe("bad_month");
		});

		it("reports the day before the serial", () => {
			expect(problemOf(nik({ day: "40", serial: "0000" }))).toBe("bad_day");
		});
	});

	describe("impossible dates", () => {
		it.each([
			["31 April for a man", "31", "04"],
			["31 April for a woman", "71", "04"],
			["30 February", "30", "02"],
			["31 February", "31", "02"],
			["31 June", "31", "06"],
			["31 September", "31", "09"],
			["31 November", "31", "11"],
		])("accepts %s with an impossible_date warning", (_name, day, month) => {
			const result = parseNik(nik({ day, month }));
			expect(result.ok).toBe(true);
			expect(result.ok && result.warnings).toEqual(["impossible_date"]);
		});

		it.each([
			["29 February, since the century is unknown", "29", "02"],
			["29 February for a woman", "69", "02"],
			["30 April", "30", "04"],
			["31 December", "31", "12"],
		])("accepts %s without a warning", (_name, day, month) => {
			const result = parseNik(nik({ day, month }));
			expect(result.ok && result.warnings).toEqual([]);
		});
	});
});

describe("maskNik", () => {
	it("keeps only the first 6 and last 2 digits", () => {
		expect(maskNik("1674015203900001")).toBe("167401********01");
	});

	it("masks a NIK written with separators the same way", () => {
		expect(maskNik("1674 0152 0390 0001")).toBe("167401********01");
	});

	it("masks every character of something that is not 16 digits", () => {
		expect(maskNik("167401520390001")).toBe("***************");
		expect(maskNik("NIK 1674015203900001")).toBe("********************");
	});
});
