import { describe, expect, it } from "vitest";
import { formatTicket, parseTicket, TICKET_PATTERN, ticketDay } from "../../src/requests/tickets";

describe("ticketDay", () => {
	it("formats the day as YYMMDD in Asia/Jakarta by default", () => {
		expect(ticketDay(Date.parse("2026-11-28T09:00:00Z"))).toBe("261128");
	});

	it("rolls over at midnight WIB, not at midnight UTC", () => {
		expect(ticketDay(Date.parse("2026-11-28T16:59:59.999Z"))).toBe("261128");
		expect(ticketDay(Date.parse("2026-11-28T17:00:00Z"))).toBe("261129");
		expect(ticketDay(Date.parse("2026-11-28T17:30:00Z"))).toBe("261129");
	});

	it("rolls the year over too", () => {
		expect(ticketDay(Date.parse("2026-12-31T16:59:00Z"))).toBe("261231");
		expect(ticketDay(Date.parse("2026-12-31T17:00:00Z"))).toBe("270101");
	});

	it("uses the office's time zone when given", () => {
		const at = Date.parse("2026-11-28T17:30:00Z");
		expect(ticketDay(at, "UTC")).toBe("261128");
		expect(ticketDay(Date.parse("2026-11-28T15:30:00Z"), "Asia/Jayapura")).toBe("261129");
	});

	it("refuses an unknown time zone and an instant that is not a number", () => {
		expect(() => ticketDay(0, "Mars/Olympus")).toThrow(RangeError);
		expect(() => ticketDay(Number.NaN)).toThrow(RangeError);
	});
});

describe("formatTicket", () => {
	it("pads the daily sequence to four digits", () => {
		expect(formatTicket("PBM", "261128", 42)).toBe("PBM-261128-0042");
		expect(formatTicket("PBM", "261128", 1)).toBe("PBM-261128-0001");
		expect(formatTicket("PBM", "261128", 9999)).toBe("PBM-261128-9999");
	});

	it("grows beyond four digits after 9999", () => {
		expect(formatTicket("PBM", "261128", 10000)).toBe("PBM-261128-10000");
		expect(formatTicket("PBM", "261128", 123456)).toBe("PBM-261128-123456");
	});

	it("refuses arguments that do not fit the format", () => {
		expect(() => formatTicket("pbm", "261128", 1)).toThrow(RangeError);
		expect(() => formatTicket("P-M", "261128", 1)).toThrow(RangeError);
		expect(() => formatTicket("PBM", "2026-11-28", 1)).toThrow(RangeError);
		expect(() => formatTicket("PBM", "261128", 0)).toThrow(RangeError);
		expect(() => formatTicket("PBM", "261128", 1.5)).toThrow(RangeError);
	});
});

describe("TICKET_PATTERN", () => {
	it("matches what formatTicket builds", () => {
		for (const n of [1, 42, 9999, 10000, 123456]) {
			expect(formatTicket("PBM", "261128", n)).toMatch(TICKET_PATTERN);
		}
		expect(TICKET_PATTERN.exec("PBM-261128-0042")?.slice(1)).toEqual(["PBM", "261128", "0042"]);
	});

	it("does not match non-canonical or foreign codes", () => {
		for (const code of [
			"pbm-261128-0042",
			"PBM-261128-042",
			"PBM-261128-00042",
			"PBM-26112-0042",
			"PBM261128-0042",
			" PBM-261128-0042",
			"PBM-261128-0042x",
		]) {
			expect(code).not.toMatch(TICKET_PATTERN);
		}
	});
});

describe("parseTicket", () => {
	it("reads a code as residents type it", () => {
		expect(parseTicket("PBM-261128-0042")).toBe("PBM-261128-0042");
		expect(parseTicket("  pbm-261128-0042\n")).toBe("PBM-261128-0042");
		expect(parseTicket("pbm 261128 0042")).toBe("PBM-261128-0042");
	});

	it("returns null for anything else", () => {
		expect(parseTicket("status")).toBeNull();
		expect(parseTicket("PBM-261128-42")).toBeNull();
		expect(parseTicket("")).toBeNull();
	});
});
