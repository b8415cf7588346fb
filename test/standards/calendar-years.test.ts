import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { warnMissingYears } from "../../src/scheduled/calendar-years";
import { instantOf } from "../../src/standards/office-clock";

/** An office-local instant (WIB). */
const wib = (date: string, hour: number, minute = 10) =>
	instantOf(date, hour * 60 + minute, "Asia/Jakarta");

afterEach(() => {
	vi.restoreAllMocks();
});

describe("the warning of a calendar year missing", () => {
	it("from October, once a day at 07:00, names next year while it is not covered", async () => {
		const warned = vi.spyOn(console, "warn").mockImplementation(() => undefined);
		// 2027 is covered by migration 0009, 2028 is not.
		expect(await warnMissingYears(env, wib("2027-09-30", 7))).toEqual([]);
		expect(await warnMissingYears(env, wib("2027-10-04", 8))).toEqual([]);
		expect(warned).not.toHaveBeenCalled();
		expect(await warnMissingYears(env, wib("2027-12-01", 7))).toEqual([2028]);
		expect(warned).toHaveBeenCalledTimes(1);
		expect(JSON.parse(String(warned.mock.calls[0]?.[0]))).toMatchObject({
			level: "warn",
			event: "calendar.year_missing",
			year: 2028,
		});
		// A year already begun without data is named all year.
		expect(await warnMissingYears(env, wib("2028-03-01", 7))).toEqual([2028]);
	});
});
