import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DECREES, NATIONAL_DAYS, SEED_WEEKLY_HOURS } from "../../src/standards/holidays";
import { dayNumber, isoWeekday } from "../../src/standards/iso-date";

function count(year: number, kind: string): number {
	return NATIONAL_DAYS.filter((d) => d.date.startsWith(`${year}-`) && d.kind === kind).length;
}

describe("the decreed days", () => {
	it("hold the counts each decree announces", () => {
		expect([count(2026, "holiday"), count(2026, "cuti_bersama")]).toEqual([17, 8]);
		expect([count(2027, "holiday"), count(2027, "cuti_bersama")]).toEqual([18, 8]);
	});

	it("are real dates, in order, each listed once, each in a year a decree covers", () => {
		const years = new Set(DECREES.map((d) => d.year));
		for (const [i, day] of NATIONAL_DAYS.entries()) {
			expect(years.has(Number(day.date.slice(0, 4)))).toBe(true);
			const previous = NATIONAL_DAYS[i - 1];
			if (previous !== undefined) {
				expect(dayNumber(day.date)).toBeGreaterThan(dayNumber(previous.date));
			}
		}
	});

	it("fall on the weekdays the decrees name", () => {
		// Spot checks against the weekdays printed next to the dates in the decrees' lists.
		expect(isoWeekday("2026-01-01")).toBe(4); // Kamis
		expect(isoWeekday("2026-03-21")).toBe(6); // Sabtu, Idulfitri
		expect(isoWeekday("2026-05-27")).toBe(3); // Rabu, Iduladha
		expect(isoWeekday("2026-12-24")).toBe(4); // Kamis, cuti bersama Natal
		expect(isoWeekday("2027-01-01")).toBe(5); // Jumat
		expect(isoWeekday("2027-01-05")).toBe(2); // Selasa, Isra Mikraj
		expect(isoWeekday("2027-03-08")).toBe(1); // Senin, Nyepi
		expect(isoWeekday("2027-12-24")).toBe(5); // Jumat, cuti bersama Natal
	});

	it("never put a cuti bersama on a weekend", () => {
		for (const day of NATIONAL_DAYS.filter((d) => d.kind === "cuti_bersama")) {
			expect(isoWeekday(day.date), day.date).toBeLessThan(6);
		}
	});
});

describe("the D1 seed (migrations/0100_calendar.sql)", () => {
	it("holds exactly the same days as the TypeScript seed", async () => {
		const { results } = await env.DB.prepare(
			"SELECT date, kind, name, source FROM calendar_days ORDER BY date",
		).all<{ date: string; kind: string; name: string; source: string }>();
		expect(results).toEqual(
			NATIONAL_DAYS.map(({ date, kind, name, source }) => ({ date, kind, name, source })),
		);
	});

	it("holds the same office hours and the same covered years", async () => {
		const hours = await env.DB.prepare(
			"SELECT weekday, opens, closes FROM office_hours ORDER BY weekday",
		).all<{ weekday: number; opens: string; closes: string }>();
		expect(hours.results).toEqual(
			Object.entries(SEED_WEEKLY_HOURS).map(([weekday, h]) => ({
				weekday: Number(weekday),
				opens: h?.opens,
				closes: h?.closes,
			})),
		);
		const years = await env.DB.prepare(
			"SELECT year, decree, verification FROM calendar_years ORDER BY year",
		).all<{ year: number; decree: string; verification: string }>();
		expect(years.results).toEqual(
			DECREES.map(({ year, decree, verification }) => ({ year, decree, verification })),
		);
	});

	it("refuses a working day without hours and a kind it does not know", async () => {
		await expect(
			env.DB.prepare(
				"INSERT INTO calendar_days (date, kind, name, source) VALUES ('2026-12-12', 'working_day', 'x', 'admin')",
			).run(),
		).rejects.toThrow(/CHECK/);
		await expect(
			env.DB.prepare(
				"INSERT INTO calendar_days (date, kind, name, source) VALUES ('2026-12-12', 'fiesta', 'x', 'admin')",
			).run(),
		).rejects.toThrow(/CHECK/);
	});
});
