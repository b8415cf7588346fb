/**
 * Seed data of the working calendar: the national holidays (libur nasional) and cuti bersama of
 * 2026 and 2027, each year from its joint decree of three ministers (SKB 3 Menteri: Menteri
 * Agama, Menteri Ketenagakerjaan, Menteri PANRB), and the office hours the office already tells
 * residents (`office_info.hours`: Senin-Jumat 08.00-14.00).
 *
 * The same rows are written by `migrations/0100_calendar.sql`; test/standards/holidays.test.ts
 * holds the two to each other. Admins change the live calendar in D1, not here.
 *
 * Islamic holidays are the decree's dates, never computed: the decrees say that 1 Ramadan,
 * Idulfitri and Iduladha are finally fixed by the Minister of Religious Affairs (sidang isbat),
 * so an admin may have to move those days in D1 when the ministry's decision differs.
 *
 * @module
 */

import type { CalendarDay, CalendarInput, DayKind, WeeklyHours } from "./calendar";
import type { IsoDate } from "./iso-date";

/** A decree that sets a year's holidays and cuti bersama. */
export interface Decree {
	year: number;
	/** The decree's numbers and date, as it names itself. */
	decree: string;
	/** Where its text or its lists were read. */
	sources: readonly string[];
	/** How the dates were checked. */
	verification: string;
}

/**
 * SKB Menteri Agama Nomor 1497 Tahun 2025, Menteri Ketenagakerjaan Nomor 2 Tahun 2025 dan
 * Menteri PANRB Nomor 5 Tahun 2025 tentang Hari Libur Nasional dan Cuti Bersama Tahun 2026,
 * ditetapkan di Jakarta, 19 September 2025: 17 hari libur nasional, 8 hari cuti bersama.
 */
export const DECREE_2026: Decree = {
	year: 2026,
	decree:
		"SKB Menteri Agama No. 1497/2025, Menteri Ketenagakerjaan No. 2/2025, Menteri PANRB No. 5/2025 (19 September 2025)",
	sources: [
		"https://www.setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2026",
		"https://disdiksmg.semarangkota.go.id/post-detail/resmi-daftar-hari-libur-nasional-dan-cuti-bersama-tahun-2026-berdasarkan-skb-3-menteri",
		"https://pembelajaranbermaknaid.blogspot.com/2025/11/skb-3-menteri-rilis-daftar-cuti-bersama.html",
		"https://www.thecuy.com/2025/09/19/pemerintah-menetapkan-17-hari-libur-nasional-dan-8-cuti-bersama-untuk-tahun-2026",
	],
	verification:
		"Decree number and counts from a government site (Disdik Kota Semarang); every date agreed by several press copies of the decree's lists.",
};

/**
 * SKB Menteri Agama Nomor 1205 Tahun 2026, Menteri Ketenagakerjaan Nomor 3 Tahun 2026 dan
 * Menteri PANRB Nomor 2 Tahun 2026 tentang Hari Libur Nasional dan Cuti Bersama Tahun 2027,
 * ditetapkan 15 September 2026: 18 hari libur nasional (Isra Mikraj falls twice in 2027),
 * 8 hari cuti bersama.
 */
export const DECREE_2027: Decree = {
	year: 2027,
	decree:
		"SKB Menteri Agama No. 1205/2026, Menteri Ketenagakerjaan No. 3/2026, Menteri PANRB No. 2/2026 (15 September 2026)",
	sources: [
		"https://setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2027",
		"https://www.kemenkopmk.go.id/pemerintah-tetapkan-18-hari-libur-nasional-dan-8-cuti-bersama-tahun-2027",
	],
	verification:
		"Secondary: the decree's lists as copied by three independent public repositories that cite the setneg.go.id and kemenkopmk.go.id pages; the pages themselves were not read. Check against the decree before relying on it.",
};

/** The decrees the seed covers, one per year. */
export const DECREES: readonly Decree[] = [DECREE_2026, DECREE_2027];

type Row = readonly [IsoDate, Exclude<DayKind, "closed" | "working_day">, string];

const LN = "holiday";
const CB = "cuti_bersama";

// Libur nasional and cuti bersama of 2026 (DECREE_2026), in date order.
const ROWS_2026: readonly Row[] = [
	["2026-01-01", LN, "Tahun Baru 2026 Masehi"],
	["2026-01-16", LN, "Isra Mikraj Nabi Muhammad S.A.W."],
	["2026-02-16", CB, "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"],
	["2026-02-17", LN, "Tahun Baru Imlek 2577 Kongzili"],
	["2026-03-18", CB, "Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)"],
	["2026-03-19", LN, "Hari Suci Nyepi (Tahun Baru Saka 1948)"],
	["2026-03-20", CB, "Cuti Bersama Idulfitri 1447 Hijriah"],
	["2026-03-21", LN, "Idulfitri 1447 Hijriah"],
	["2026-03-22", LN, "Idulfitri 1447 Hijriah"],
	["2026-03-23", CB, "Cuti Bersama Idulfitri 1447 Hijriah"],
	["2026-03-24", CB, "Cuti Bersama Idulfitri 1447 Hijriah"],
	["2026-04-03", LN, "Wafat Yesus Kristus"],
	["2026-04-05", LN, "Kebangkitan Yesus Kristus (Paskah)"],
	["2026-05-01", LN, "Hari Buruh Internasional"],
	["2026-05-14", LN, "Kenaikan Yesus Kristus"],
	["2026-05-15", CB, "Cuti Bersama Kenaikan Yesus Kristus"],
	["2026-05-27", LN, "Iduladha 1447 Hijriah"],
	["2026-05-28", CB, "Cuti Bersama Iduladha 1447 Hijriah"],
	["2026-05-31", LN, "Hari Raya Waisak 2570 BE"],
	["2026-06-01", LN, "Hari Lahir Pancasila"],
	["2026-06-16", LN, "1 Muharam Tahun Baru Islam 1448 Hijriah"],
	["2026-08-17", LN, "Proklamasi Kemerdekaan"],
	["2026-08-25", LN, "Maulid Nabi Muhammad S.A.W."],
	["2026-12-24", CB, "Cuti Bersama Kelahiran Yesus Kristus"],
	["2026-12-25", LN, "Kelahiran Yesus Kristus"],
];

// Libur nasional and cuti bersama of 2027 (DECREE_2027), in date order.
const ROWS_2027: readonly Row[] = [
	["2027-01-01", LN, "Tahun Baru 2027 Masehi"],
	["2027-01-05", LN, "Isra Mikraj Nabi Muhammad S.A.W."],
	["2027-02-05", CB, "Cuti Bersama Tahun Baru Imlek 2578 Kongzili"],
	["2027-02-06", LN, "Tahun Baru Imlek 2578 Kongzili"],
	["2027-03-08", LN, "Hari Suci Nyepi (Tahun Baru Saka 1949)"],
	["2027-03-09", CB, "Cuti Bersama Idulfitri 1448 Hijriah"],
	["2027-03-10", LN, "Idulfitri 1448 Hijriah"],
	["2027-03-11", LN, "Idulfitri 1448 Hijriah"],
	["2027-03-12", CB, "Cuti Bersama Idulfitri 1448 Hijriah"],
	["2027-03-15", CB, "Cuti Bersama Idulfitri 1448 Hijriah"],
	["2027-03-25", CB, "Cuti Bersama Wafat Yesus Kristus"],
	["2027-03-26", LN, "Wafat Yesus Kristus"],
	["2027-03-28", LN, "Kebangkitan Yesus Kristus (Paskah)"],
	["2027-05-01", LN, "Hari Buruh Internasional"],
	["2027-05-06", LN, "Kenaikan Yesus Kristus"],
	["2027-05-17", LN, "Iduladha 1448 Hijriah"],
	["2027-05-18", CB, "Cuti Bersama Iduladha 1448 Hijriah"],
	["2027-05-19", CB, "Cuti Bersama Hari Raya Waisak 2571 BE"],
	["2027-05-20", LN, "Hari Raya Waisak 2571 BE"],
	["2027-06-01", LN, "Hari Lahir Pancasila"],
	["2027-06-06", LN, "1 Muharam Tahun Baru Islam 1449 Hijriah"],
	["2027-08-15", LN, "Maulid Nabi Muhammad S.A.W."],
	["2027-08-17", LN, "Proklamasi Kemerdekaan"],
	["2027-12-24", CB, "Cuti Bersama Kelahiran Yesus Kristus"],
	["2027-12-25", LN, "Kelahiran Yesus Kristus"],
	["2027-12-26", LN, "Isra Mikraj Nabi Muhammad S.A.W."],
];

/** The `source` written on each seeded day: the decree's short name. */
export function decreeSource(year: number): string {
	return year === 2026
		? "SKB 3 Menteri 2026 (1497/2/5 Tahun 2025)"
		: "SKB 3 Menteri 2027 (1205/3/2 Tahun 2026)";
}

/** Every decreed day of 2026 and 2027, in date order. */
export const NATIONAL_DAYS: readonly CalendarDay[] = [...ROWS_2026, ...ROWS_2027].map(
	([date, kind, name]) => ({ date, kind, name, source: decreeSource(Number(date.slice(0, 4))) }),
);

/**
 * The seed's office hours, Monday to Friday 08:00-14:00, as `office_info.hours` tells residents;
 * Saturday and Sunday closed.
 */
export const SEED_WEEKLY_HOURS: WeeklyHours = {
	1: { opens: "08:00", closes: "14:00" },
	2: { opens: "08:00", closes: "14:00" },
	3: { opens: "08:00", closes: "14:00" },
	4: { opens: "08:00", closes: "14:00" },
	5: { opens: "08:00", closes: "14:00" },
};

/** The seed calendar in a time zone (the office's `OFFICE_TIME_ZONE`, WIB by default). */
export function seedCalendarInput(timeZone = "Asia/Jakarta"): CalendarInput {
	return {
		timeZone,
		weeklyHours: SEED_WEEKLY_HOURS,
		days: NATIONAL_DAYS,
		coveredYears: DECREES.map((decree) => decree.year),
	};
}
