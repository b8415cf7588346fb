import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
	addWorkingDays,
	buildCalendar,
	type CalendarInput,
	isWorkingDay,
	listedDay,
	nextWorkingDay,
	type Outcome,
	workingDaysBetween,
} from "../../src/standards/calendar";
import { seedCalendarInput } from "../../src/standards/holidays";
import { addDays, dayNumber, fromDayNumber } from "../../src/standards/iso-date";

const calendar = buildCalendar(seedCalendarInput());

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`no calendar data for ${outcome.year}`);
	return outcome.value;
}

describe("isWorkingDay", () => {
	it("works Monday to Friday and rests on the weekend", () => {
		expect(value(isWorkingDay(calendar, "2026-12-07"))).toBe(true); // Monday
		expect(value(isWorkingDay(calendar, "2026-12-11"))).toBe(true); // Friday
		expect(value(isWorkingDay(calendar, "2026-12-12"))).toBe(false); // Saturday
		expect(value(isWorkingDay(calendar, "2026-12-13"))).toBe(false); // Sunday
	});

	it("rests on national holidays and on cuti bersama that fall on weekdays", () => {
		expect(value(isWorkingDay(calendar, "2026-12-25"))).toBe(false); // Natal, Friday
		expect(value(isWorkingDay(calendar, "2026-12-24"))).toBe(false); // cuti bersama, Thursday
		expect(value(isWorkingDay(calendar, "2026-03-20"))).toBe(false); // cuti bersama Idulfitri
		expect(value(isWorkingDay(calendar, "2027-03-10"))).toBe(false); // Idulfitri 1448
		expect(listedDay(calendar, "2026-12-24")?.kind).toBe("cuti_bersama");
		expect(listedDay(calendar, "2026-12-23")).toBeUndefined();
	});

	it("opens an extra working day and closes an office's own closure", () => {
		const input = seedCalendarInput();
		const custom = buildCalendar({
			...input,
			days: [
				...input.days,
				{
					date: "2026-12-12",
					kind: "working_day",
					name: "Layanan Sabtu",
					source: "admin",
					hours: { opens: "08:00", closes: "12:00" },
				},
				{ date: "2026-12-14", kind: "closed", name: "HUT Kota", source: "admin" },
			],
		});
		expect(value(isWorkingDay(custom, "2026-12-12"))).toBe(true);
		expect(value(isWorkingDay(custom, "2026-12-14"))).toBe(false);
		expect(value(nextWorkingDay(custom, "2026-12-11"))).toBe("2026-12-12");
		expect(value(nextWorkingDay(custom, "2026-12-12"))).toBe("2026-12-15");
	});
});

describe("addWorkingDays", () => {
	it("skips the weekend", () => {
		expect(value(addWorkingDays(calendar, "2026-12-10", 1))).toBe("2026-12-11"); // Thu -> Fri
		expect(value(addWorkingDays(calendar, "2026-12-11", 1))).toBe("2026-12-14"); // Fri -> Mon
		expect(value(addWorkingDays(calendar, "2026-12-11", 5))).toBe("2026-12-18");
	});

	it("skips holidays and cuti bersama, and crosses the year end 2026 -> 2027", () => {
		// Wed 23 Dec; 24 (cuti bersama), 25 (Natal), 26-27 weekend; 1 Jan holiday, 2-3 weekend.
		expect(value(addWorkingDays(calendar, "2026-12-23", 1))).toBe("2026-12-28");
		expect(value(addWorkingDays(calendar, "2026-12-23", 4))).toBe("2026-12-31");
		expect(value(addWorkingDays(calendar, "2026-12-23", 5))).toBe("2027-01-04");
		// 5 Jan 2027 is Isra Mikraj.
		expect(value(addWorkingDays(calendar, "2026-12-31", 2))).toBe("2027-01-06");
	});

	it("jumps the long Idulfitri break of March 2026", () => {
		// Tue 17 Mar; 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idulfitri, 23-24 cuti.
		expect(value(addWorkingDays(calendar, "2026-03-17", 1))).toBe("2026-03-25");
		expect(value(workingDaysBetween(calendar, "2026-03-17", "2026-03-25"))).toBe(1);
	});

	it("for 0 days gives the date itself, or the next working day when it rests", () => {
		expect(value(addWorkingDays(calendar, "2026-12-10", 0))).toBe("2026-12-10");
		expect(value(addWorkingDays(calendar, "2026-12-24", 0))).toBe("2026-12-28");
	});

	it("refuses a negative or fractional count", () => {
		expect(() => addWorkingDays(calendar, "2026-12-10", -1)).toThrow(RangeError);
		expect(() => addWorkingDays(calendar, "2026-12-10", 1.5)).toThrow(RangeError);
	});
});

describe("workingDaysBetween", () => {
	it("counts the days left, and the days late as a negative number", () => {
		expect(value(workingDaysBetween(calendar, "2026-12-10", "2026-12-18"))).toBe(6);
		expect(value(workingDaysBetween(calendar, "2026-12-18", "2026-12-10"))).toBe(-6);
		expect(value(workingDaysBetween(calendar, "2026-12-10", "2026-12-10"))).toBe(0);
		expect(value(workingDaysBetween(calendar, "2026-12-23", "2027-01-04"))).toBe(5);
	});
});

describe("a year without data", () => {
	it("is reported with the year, not guessed", () => {
		expect(isWorkingDay(calendar, "2028-01-03")).toEqual({
			ok: false,
			reason: "no_calendar_data",
			year: 2028,
		});
		expect(isWorkingDay(calendar, "2025-12-31")).toEqual({
			ok: false,
			reason: "no_calendar_data",
			year: 2025,
		});
	});

	it("stops a computation that runs into it", () => {
		// 24 Dec 2027 cuti bersama, 25-26 weekend holidays, 27-31 work: the 6th day is in 2028.
		expect(value(addWorkingDays(calendar, "2027-12-23", 5))).toBe("2027-12-31");
		expect(addWorkingDays(calendar, "2027-12-23", 6)).toMatchObject({ ok: false, year: 2028 });
		expect(nextWorkingDay(calendar, "2027-12-31")).toMatchObject({ ok: false, year: 2028 });
		expect(workingDaysBetween(calendar, "2027-12-01", "2028-01-05")).toMatchObject({
			ok: false,
			year: 2028,
		});
	});
});

describe("buildCalendar", () => {
	const base: CalendarInput = seedCalendarInput();

	it("refuses bad data loudly", () => {
		expect(() => buildCalendar({ ...base, timeZone: "Mars/Olympus" })).toThrow(RangeError);
		expect(() =>
			buildCalendar({ ...base, weeklyHours: { 1: { opens: "14:00", closes: "08:00" } } }),
		).toThrow(RangeError);
		expect(() =>
			buildCalendar({ ...base, weeklyHours: { 1: { opens: "8:00", closes: "14:00" } } }),
		).toThrow(RangeError);
		expect(() =>
			buildCalendar({
				...base,
				days: [{ date: "2026-02-30", kind: "closed", name: "x", source: "admin" }],
			}),
		).toThrow(RangeError);
		expect(() =>
			buildCalendar({
				...base,
				days: [{ date: "2026-12-12", kind: "working_day", name: "x", source: "admin" }],
			}),
		).toThrow(RangeError);
		expect(() =>
			buildCalendar({ ...base, days: [...base.days, ...base.days.slice(0, 1)] }),
		).toThrow(RangeError);
	});
});

// Any date from 2026-01-01 up to early December 2027, so that the limits below stay in 2027.
const START = dayNumber("2026-01-01");
const dates = fc.integer({ min: START, max: dayNumber("2027-12-01") }).map(fromDayNumber);

describe("properties", () => {
	it("a due date is a working day, never earlier than the queue date plus the limit", () => {
		fc.assert(
			fc.property(dates, fc.integer({ min: 0, max: 14 }), (queued, limit) => {
				const due = value(addWorkingDays(calendar, queued, limit));
				expect(value(isWorkingDay(calendar, due))).toBe(true);
				expect(dayNumber(due)).toBeGreaterThanOrEqual(dayNumber(addDays(queued, limit)));
				if (value(isWorkingDay(calendar, queued))) {
					expect(value(workingDaysBetween(calendar, queued, due))).toBe(limit);
				}
			}),
			{ numRuns: 500 },
		);
	});

	it("nextWorkingDay is a working day after the input, with none in between", () => {
		fc.assert(
			fc.property(dates, (date) => {
				const next = value(nextWorkingDay(calendar, date));
				expect(value(isWorkingDay(calendar, next))).toBe(true);
				expect(dayNumber(next)).toBeGreaterThan(dayNumber(date));
				expect(value(workingDaysBetween(calendar, date, next))).toBe(1);
			}),
			{ numRuns: 500 },
		);
	});

	it("working days add up: n then m is n + m", () => {
		fc.assert(
			fc.property(dates, fc.nat(10), fc.nat(10), (date, n, m) => {
				const start = value(addWorkingDays(calendar, date, 0));
				const stepwise = value(
					addWorkingDays(calendar, value(addWorkingDays(calendar, start, n)), m),
				);
				expect(stepwise).toBe(value(addWorkingDays(calendar, start, n + m)));
			}),
			{ numRuns: 300 },
		);
	});
});
