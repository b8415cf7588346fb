import { describe, expect, it } from "vitest";
import { maskPhone, normalizePhone } from "../../src/requests/phone";

describe("normalizePhone", () => {
	it.each([
		["0812-3456-7890", "6281234567890"],
		["+62 812 3456 7890", "6281234567890"],
		["62 812-3456-7890", "6281234567890"],
		["+62-812-3456-7890", "6281234567890"],
		["0812.3456.7890", "6281234567890"],
		["(0711) 123456", "62711123456"],
		["+62 (0)812 3456 7890", "6281234567890"],
		["620812-3456-7890", "6281234567890"],
		[" 081234567890 ", "6281234567890"],
	])("normalizes the Indonesian number %s to %s", (input, expected) => {
		expect(normalizePhone(input)).toBe(expected);
	});

	it.each([
		["+1 650-555-1234", "16505551234"],
		["+44 (20) 7946 0958", "442079460958"],
		["+65 9123 4567", "6591234567"],
	])("keeps the digits of the foreign number %s", (input, expected) => {
		expect(normalizePhone(input)).toBe(expected);
	});

	it.each(["6281234567890", "16505551234"])("returns the wa_id %s unchanged", (waId) => {
		expect(normalizePhone(waId)).toBe(waId);
	});

	it("gives the same result when normalizing twice", () => {
		const once = normalizePhone("0812-3456-7890");
		expect(once).not.toBeNull();
		expect(normalizePhone(once ?? "")).toBe(once);
	});

	it("accepts 8 digits and 15 digits after normalization", () => {
		expect(normalizePhone("+12345678")).toBe("12345678");
		expect(normalizePhone("+123456789012345")).toBe("123456789012345");
		expect(normalizePhone("0123456")).toBe("62123456");
	});

	it.each([
		["empty input", ""],
		["only separators", " - ( ) "],
		["fewer than 8 digits", "+1234567"],
		["a short national number", "012345"],
		["more than 15 digits", "+1234567890123456"],
		["a national number over 15 digits", "08123456789012345"],
		["letters", "0812-3456-789O"],
		["words", "call me"],
		["a plus in the middle", "62+81234567890"],
		["two plus signs", "++6281234567890"],
		["a plus followed by a trunk 0", "+081234567890"],
		["a leading 00 international prefix", "006281234567890"],
		["a slash", "0812/3456/7890"],
	])("rejects %s", (_name, input) => {
		expect(normalizePhone(input)).toBeNull();
	});
});

describe("maskPhone", () => {
	it("keeps the first 4 and the last 3 digits", () => {
		expect(maskPhone("6281234567890")).toBe("6281******890");
	});

	it("keeps the length of the number", () => {
		expect(maskPhone("16505551234")).toBe("1650****234");
		expect(maskPhone("12345678")).toBe("1234*678");
	});

	it("masks every character of something that is not a normalized number", () => {
		expect(maskPhone("1234567")).toBe("*******");
		expect(maskPhone("+6281234567890")).toBe("**************");
	});
});
