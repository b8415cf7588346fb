import { describe, expect, it } from "vitest";
import {
	formatDate,
	formatDateTime,
	formatShortDate,
	formatShortDateTime,
	weekdayName,
	zoneLabel,
} from "../../src/standards/dates-id";
import { addDays, isIsoDate, isoWeekday } from "../../src/standards/iso-date";
import { isoDateTime } from "../../src/standards/office-clock";

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

describe("short forms (the console's tables)", () => {
	it("cuts the names to their usual three letters in both languages", () => {
		expect(formatShortDate("2026-12-04", "id")).toBe("Jum 4 Des 2026");
		expect(formatShortDate("2026-12-04", "en")).toBe("Fri 4 Dec 2026");
		expect(formatShortDate("2027-08-17", "id")).toBe("Sel 17 Agu 2027");
		expect(formatShortDate("2027-08-17", "en")).toBe("Tue 17 Aug 2027");
		const week = Array.from({ length: 7 }, (_, i) =>
			formatShortDate(addDays("2026-12-07", i), "id").slice(0, 3),
		);
		expect(week).toEqual(["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]);
		const months = Array.from(
			{ length: 12 },
			(_, i) => formatShortDate(`2026-${String(i + 1).padStart(2, "0")}-01`, "id").split(" ")[2],
		);
		expect(months).toEqual([
			"Jan",
			"Feb",
			"Mar",
			"Apr",
			"Mei",
			"Jun",
			"Jul",
			"Agu",
			"Sep",
			"Okt",
			"Nov",
			"Des",
		]);
		expect(() => formatShortDate("2026-02-30", "id")).toThrow(RangeError);
	});

	it("writes an instant as the office's date and clock, without the zone", () => {
		const at = Date.parse("2026-12-04T16:30:00Z");
		expect(formatShortDateTime(at, "Asia/Jakarta", "id")).toBe("Jum 4 Des 2026 23.30");
		expect(formatShortDateTime(at, "Asia/Jakarta", "en")).toBe("Fri 4 Dec 2026 23:30");
		// Past midnight in Makassar: the next day.
		expect(formatShortDateTime(at, "Asia/Makassar", "id")).toBe("Sab 5 Des 2026 00.30");
	});

	it("keeps the instant machine-readable as office time with its offset", () => {
		const at = Date.parse("2026-12-04T16:30:05.250Z");
		expect(isoDateTime(at, "Asia/Jakarta")).toBe("2026-12-04T23:30:05+07:00");
		expect(isoDateTime(at, "Asia/Makassar")).toBe("2026-12-05T00:30:05+08:00");
		expect(isoDateTime(at, "UTC")).toBe("2026-12-04T16:30:05+00:00");
		expect(isoDateTime(at, "America/St_Johns")).toBe("2026-12-04T13:00:05-03:30");
		expect(Date.parse(isoDateTime(at, "Asia/Jayapura"))).toBe(at - 250);
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
