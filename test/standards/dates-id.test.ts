import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, weekdayName, zoneLabel } from "../../src/standards/dates-id";
import { addDays, isIsoDate, isoWeekday } from "../../src/standards/iso-date";

describe("formatDate", () => {
	it("writes a date the Indonesian and the English way", () => {
		expect(formatDate("2026-12-11", "id")).toBe("Jumat, 11 Desember 2026");
		expect(formatDate("2026-12-11", "en")).toBe("Friday, 11 December 2026");
		expect(formatDate("2027-01-04", "id")).toBe("Senin, 4 Januari 2027");
		expect(formatDate("2027-08-17", "id")).toBe("Selasa, 17 Agustus 2027");
	});

	it("names every weekday and every month", () => {
		const week = Array.from({ length: 7 }, (_, i) => weekdayName(addDays("2026-12-07", i), "id"));
		expect(week).toEqual(["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]);
		const months = Array.from(
			{ length: 12 },
			(_, i) => formatDate(`2026-${String(i + 1).padStart(2, "0")}-01`, "id").split(" ")[2],
		);
		expect(months).toEqual([
			"Januari",
			"Februari",
			"Maret",
			"April",
			"Mei",
			"Juni",
			"Juli",
			"Agustus",
			"September",
			"Oktober",
			"November",
			"Desember",
		]);
	});

	it("refuses a date that does not exist", () => {
		expect(() => formatDate("2026-02-30", "id")).toThrow(RangeError);
		expect(() => formatDate("11/12/2026", "en")).toThrow(RangeError);
	});
});

describe("formatDateTime", () => {
	it("writes the office's time with its zone", () => {
		const at = Date.parse("2026-12-11T01:00:00Z");
		expect(formatDateTime(at, "Asia/Jakarta", "id")).toBe(
			"Jumat, 11 Desember 2026 pukul 08.00 WIB",
		);
		expect(formatDateTime(at, "Asia/Jakarta", "en")).toBe("Friday, 11 December 2026 at 08:00 WIB");
		expect(formatDateTime(at, "Asia/Makassar", "id")).toBe(
			"Jumat, 11 Desember 2026 pukul 09.00 WITA",
		);
		expect(formatDateTime(at, "Asia/Jayapura", "id")).toBe(
			"Jumat, 11 Desember 2026 pukul 10.00 WIT",
		);
	});

	it("labels zones outside Indonesia by name", () => {
		expect(zoneLabel("Asia/Pontianak")).toBe("WIB");
		expect(zoneLabel("UTC")).toBe("UTC");
	});
});

describe("iso dates", () => {
	it("checks dates and weekdays without the runtime's time zone", () => {
		expect(isIsoDate("2028-02-29")).toBe(true);
		expect(isIsoDate("2027-02-29")).toBe(false);
		expect(isoWeekday("1970-01-01")).toBe(4);
		expect(isoWeekday("2026-12-11")).toBe(5);
		expect(isoWeekday("1969-12-29")).toBe(1);
		expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
		expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
	});
});
