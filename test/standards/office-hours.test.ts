import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCalendar, type FirstLook, firstLook } from "../../src/standards/calendar";
import { seedCalendarInput } from "../../src/standards/holidays";
import { instantOf, officeDate, wallClock } from "../../src/standards/office-clock";

const WIB = buildCalendar(seedCalendarInput("Asia/Jakarta"));
const WITA = buildCalendar(seedCalendarInput("Asia/Makassar"));
const WIT = buildCalendar(seedCalendarInput("Asia/Jayapura"));

function look(calendar: typeof WIB, iso: string): FirstLook {
	const outcome = firstLook(calendar, Date.parse(iso));
	if (!outcome.ok) throw new Error(`no calendar data for ${outcome.year}`);
	return outcome.value;
}

describe("the office's date", () => {
	it("turns over at the office's midnight, not at UTC's", () => {
		expect(officeDate(Date.parse("2026-12-10T16:59:59Z"), "Asia/Jakarta")).toBe("2026-12-10");
		expect(officeDate(Date.parse("2026-12-10T17:00:00Z"), "Asia/Jakarta")).toBe("2026-12-11");
		expect(officeDate(Date.parse("2026-12-10T15:59:59Z"), "Asia/Makassar")).toBe("2026-12-10");
		expect(officeDate(Date.parse("2026-12-10T16:00:00Z"), "Asia/Makassar")).toBe("2026-12-11");
		expect(officeDate(Date.parse("2026-12-10T15:00:00Z"), "Asia/Jayapura")).toBe("2026-12-11");
		expect(officeDate(Date.parse("2026-12-31T17:00:00Z"), "Asia/Jakarta")).toBe("2027-01-01");
	});

	it("reads one instant as 23:30 WIB Thursday, 00:30 WITA and 01:30 WIT Friday", () => {
		const at = Date.parse("2026-12-10T16:30:00Z");
		expect(wallClock(at, "Asia/Jakarta")).toEqual({ date: "2026-12-10", minutes: 23 * 60 + 30 });
		expect(wallClock(at, "Asia/Makassar")).toEqual({ date: "2026-12-11", minutes: 30 });
		expect(wallClock(at, "Asia/Jayapura")).toEqual({ date: "2026-12-11", minutes: 90 });
	});

	it("finds the instant of an office-local time in each zone", () => {
		expect(instantOf("2026-12-11", 8 * 60, "Asia/Jakarta")).toBe(Date.parse("2026-12-11T01:00Z"));
		expect(instantOf("2026-12-11", 8 * 60, "Asia/Makassar")).toBe(Date.parse("2026-12-11T00:00Z"));
		expect(instantOf("2026-12-11", 8 * 60, "Asia/Jayapura")).toBe(Date.parse("2026-12-10T23:00Z"));
		expect(() => instantOf("2026-12-11", 1440, "Asia/Jakarta")).toThrow(RangeError);
	});

	it("round-trips any instant through the wall clock, in every zone", () => {
		const zones = fc.constantFrom("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC");
		const instants = fc.integer({
			min: Date.parse("2026-01-01T00:00Z"),
			max: Date.parse("2027-12-31T00:00Z"),
		});
		fc.assert(
			fc.property(instants, zones, (at, zone) => {
				const clock = wallClock(at, zone);
				expect(instantOf(clock.date, clock.minutes, zone)).toBe(at - (at % 60_000));
			}),
			{ numRuns: 300 },
		);
	});

	it("refuses an unknown zone and an instant that is not a number", () => {
		expect(() => officeDate(0, "Mars/Olympus")).toThrow(RangeError);
		expect(() => officeDate(Number.NaN, "Asia/Jakarta")).toThrow(RangeError);
	});
});

describe("firstLook", () => {
	it("is now while the office is open", () => {
		const at = "2026-12-10T03:00:00Z"; // 10:00 WIB Thursday
		expect(look(WIB, at)).toEqual({ openNow: true, at: Date.parse(at), date: "2026-12-10" });
		expect(look(WIB, "2026-12-10T06:59:59Z").openNow).toBe(true); // 13:59:59
	});

	it("is the same day's opening before hours, and the next working day's from closing time", () => {
		expect(look(WIB, "2026-12-10T00:00:00Z")).toEqual({
			openNow: false,
			at: Date.parse("2026-12-10T01:00:00Z"),
			date: "2026-12-10",
		});
		expect(look(WIB, "2026-12-10T07:00:00Z")).toEqual({
			openNow: false,
			at: Date.parse("2026-12-11T01:00:00Z"),
			date: "2026-12-11",
		});
	});

	it("treats 23:30 WIB Thursday and the same instant in WITA and WIT each by its own clock", () => {
		const at = "2026-12-10T16:30:00Z";
		// WIB: Thursday after closing -> Friday 08:00 WIB.
		expect(look(WIB, at)).toMatchObject({
			date: "2026-12-11",
			at: Date.parse("2026-12-11T01:00Z"),
		});
		// WITA: already Friday 00:30 -> the same Friday 08:00 WITA.
		expect(look(WITA, at)).toMatchObject({
			date: "2026-12-11",
			at: Date.parse("2026-12-11T00:00Z"),
		});
		// WIT: Friday 01:30 -> Friday 08:00 WIT, which is still Thursday in UTC.
		expect(look(WIT, at)).toMatchObject({
			date: "2026-12-11",
			at: Date.parse("2026-12-10T23:00Z"),
		});
	});

	it("skips cuti bersama, Christmas and the weekend after a late Wednesday", () => {
		// 23:30 WIB Wed 23 Dec = 00:30 WITA Thu 24 Dec (cuti bersama): both wait for Mon 28 Dec.
		const at = "2026-12-23T16:30:00Z";
		expect(look(WIB, at)).toMatchObject({
			date: "2026-12-28",
			at: Date.parse("2026-12-28T01:00Z"),
		});
		expect(look(WITA, at)).toMatchObject({
			date: "2026-12-28",
			at: Date.parse("2026-12-28T00:00Z"),
		});
	});

	it("on a weekend waits for Monday, and reports a missing year instead of guessing", () => {
		expect(look(WIB, "2026-12-12T03:00:00Z")).toMatchObject({ openNow: false, date: "2026-12-14" });
		// Friday 31 Dec 2027 after hours: the next working day is in 2028, which has no data.
		expect(firstLook(WIB, Date.parse("2027-12-31T08:00:00Z"))).toEqual({
			ok: false,
			reason: "no_calendar_data",
			year: 2028,
		});
	});
});
