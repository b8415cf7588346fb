import { describe, expect, it } from "vitest";
import { buildCalendar } from "../../src/standards/calendar";
import { seedCalendarInput } from "../../src/standards/holidays";
import { type QueuePlace, queuePlace } from "../../src/standards/queue";

const calendar = buildCalendar(seedCalendarInput("Asia/Jakarta"));
// 10:00 WIB on Wednesday 23 December 2026, the last working day before Christmas.
const WED_MORNING = Date.parse("2026-12-23T03:00:00Z");

function place(at: number, quota: number | null, taken: Record<string, number>): QueuePlace {
	const outcome = queuePlace(calendar, at, quota, new Map(Object.entries(taken)));
	if (!outcome.ok) throw new Error(`no calendar data for ${outcome.year}`);
	return outcome.value;
}

describe("queuePlace", () => {
	it("queues today while open, behind those already queued", () => {
		expect(place(WED_MORNING, null, { "2026-12-23": 41 })).toEqual({
			queueDate: "2026-12-23",
			position: 42,
			firstChoice: "2026-12-23",
			rolledOver: false,
			arrivedWhileOpen: true,
		});
		expect(place(WED_MORNING, 200, {})).toMatchObject({ queueDate: "2026-12-23", position: 1 });
	});

	it("rolls a full day over to the next working day, across cuti bersama, Natal and a weekend", () => {
		expect(place(WED_MORNING, 2, { "2026-12-23": 2 })).toEqual({
			queueDate: "2026-12-28",
			position: 1,
			firstChoice: "2026-12-23",
			rolledOver: true,
			arrivedWhileOpen: true,
		});
		expect(place(WED_MORNING, 2, { "2026-12-23": 2, "2026-12-28": 1 })).toMatchObject({
			queueDate: "2026-12-28",
			position: 2,
		});
		expect(place(WED_MORNING, 2, { "2026-12-23": 3, "2026-12-28": 2 })).toMatchObject({
			queueDate: "2026-12-29",
			position: 1,
		});
	});

	it("rolls over across the year end and New Year's Day", () => {
		const full = { "2026-12-28": 5, "2026-12-29": 5, "2026-12-30": 5, "2026-12-31": 5 };
		expect(place(Date.parse("2026-12-28T02:00:00Z"), 5, full)).toMatchObject({
			queueDate: "2027-01-04",
			position: 1,
			rolledOver: true,
		});
	});

	it("queues a request sent after hours or on a holiday on the next working day", () => {
		// Friday 11 Dec 2026, 15:00 WIB: after closing.
		expect(place(Date.parse("2026-12-11T08:00:00Z"), null, {})).toMatchObject({
			queueDate: "2026-12-14",
			firstChoice: "2026-12-14",
			rolledOver: false,
			arrivedWhileOpen: false,
		});
		// Natal, Friday 25 Dec 2026, at noon.
		expect(place(Date.parse("2026-12-25T05:00:00Z"), 1, { "2026-12-28": 1 })).toMatchObject({
			queueDate: "2026-12-29",
			firstChoice: "2026-12-28",
			rolledOver: true,
		});
	});

	it("queues a request sent before opening on a working day on that day", () => {
		// 06:00 WIB Wednesday.
		expect(place(Date.parse("2026-12-22T23:00:00Z"), null, {})).toMatchObject({
			queueDate: "2026-12-23",
			arrivedWhileOpen: false,
		});
	});

	it("reports a rollover into a year without data", () => {
		const outcome = queuePlace(
			calendar,
			Date.parse("2027-12-31T03:00:00Z"),
			1,
			new Map([["2027-12-31", 1]]),
		);
		expect(outcome).toEqual({ ok: false, reason: "no_calendar_data", year: 2028 });
	});

	it("refuses a quota that is not a positive integer, and a negative count", () => {
		expect(() => queuePlace(calendar, WED_MORNING, 0, new Map())).toThrow(RangeError);
		expect(() => queuePlace(calendar, WED_MORNING, 2.5, new Map())).toThrow(RangeError);
		expect(() => queuePlace(calendar, WED_MORNING, 3, new Map([["2026-12-23", -1]]))).toThrow(
			RangeError,
		);
	});
});
