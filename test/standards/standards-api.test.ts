import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, Settings } from "../../src/env";
import { addWorkingDays } from "../../src/standards/calendar";
import { invalidateCalendar, loadCalendar } from "../../src/standards/calendar-store";
import { api } from "../helpers/staff";

type Standard = {
	code: string;
	timeLimitDays: number;
	fee: number;
	dailyQuota: number | null;
	active: boolean;
	product: { id: string; en: string };
};

async function auditRows(action: string): Promise<{ actor: string; detail: string }[]> {
	const { results } = await env.DB.prepare(
		"SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY at",
	)
		.bind(action)
		.all<{ actor: string; detail: string }>();
	return results;
}

describe("OFFICE_TIME_ZONE", () => {
	it("defaults to Asia/Jakarta, takes WITA, WIT and any IANA zone, refuses an unknown one", () => {
		expect(new Settings({}).get("OFFICE_TIME_ZONE")).toBe("Asia/Jakarta");
		for (const zone of ["Asia/Makassar", "Asia/Jayapura", "Europe/Amsterdam"]) {
			expect(new Settings({ OFFICE_TIME_ZONE: zone }).get("OFFICE_TIME_ZONE")).toBe(zone);
		}
		const bad = new Settings({ OFFICE_TIME_ZONE: "Asia/Prabumulih" });
		// The reason is for the deployer's logs (the HTTP answer names no setting).
		expect(bad.problems().find((p) => p.setting === "OFFICE_TIME_ZONE")?.reason).toMatch(
			/must be an IANA time zone/,
		);
		expect(() => bad.get("OFFICE_TIME_ZONE")).toThrow(ConfigError);
		expect(env.OFFICE_TIME_ZONE).toBe("Asia/Jakarta");
	});
});

describe("calendar loaded from D1", () => {
	it("builds the seeded calendar: a due date skips the weekend and Christmas with its cuti bersama", async () => {
		const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
		// Wed 23 Dec 2026 + 1 working day: 24 Dec cuti bersama, 25 Dec Natal, weekend -> Mon 28 Dec.
		expect(addWorkingDays(calendar, "2026-12-23", 1)).toEqual({ ok: true, value: "2026-12-28" });
		expect(addWorkingDays(calendar, "2028-01-03", 1)).toEqual({
			ok: false,
			reason: "no_calendar_data",
			year: 2028,
		});
	});

	it("keeps its copy per isolate and drops it when an admin changes the calendar", async () => {
		invalidateCalendar(env.DB);
		const before = await loadCalendar(env.DB, "Asia/Jakarta");
		expect(await loadCalendar(env.DB, "Asia/Jakarta")).toBe(before);
		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: "2027-03-03", kind: "closed", name: "HUT Kota" }] },
		});
		expect(res.status).toBe(200);
		const after = await loadCalendar(env.DB, "Asia/Jakarta");
		expect(after).not.toBe(before);
		expect(addWorkingDays(after, "2027-03-02", 1)).toEqual({ ok: true, value: "2027-03-04" });
		await api("PUT", "/calendar", { json: { remove: ["2027-03-03"] } });
	});
});

describe("GET/PATCH /services", () => {
	it("lists each service's standard: time limit, free, product, quota", async () => {
		const res = await api("GET", "/services");
		expect(res.status).toBe(200);
		const { services } = await res.json<{ services: Standard[] }>();
		expect(services.map((s) => s.code)).toContain("kk");
		expect(services.every((s) => s.fee === 0 && s.product.id !== "" && s.product.en !== "")).toBe(
			true,
		);
		expect(services.find((s) => s.code === "kk")).toMatchObject({
			timeLimitDays: 1,
			dailyQuota: null,
			active: true,
		});
		expect(services.find((s) => s.code === "ktp_el")).toMatchObject({
			timeLimitDays: 14,
			dailyQuota: 50,
		});
	});

	it("names each service's variants in the catalog's order (a filing picks one)", async () => {
		const { services } = await (await api("GET", "/services")).json<{
			services: { code: string; variants: { code: string; label: { id: string; en: string } }[] }[];
		}>();
		expect(services.find((s) => s.code === "legalisir")?.variants).toEqual([
			{ code: "umum", label: { id: expect.any(String), en: expect.any(String) } },
		]);
		const ktp = services.find((s) => s.code === "ktp_el")?.variants.map((v) => v.code);
		expect(ktp).toEqual(expect.arrayContaining(["hilang", "rusak", "perubahan_data", "baru"]));
	});

	it("lets an admin change the time limit, quota and availability, audited", async () => {
		const res = await api("PATCH", "/services/akta_kematian", {
			json: { timeLimitDays: 3, dailyQuota: 20 },
		});
		expect(res.status).toBe(200);
		expect(await res.json<Standard>()).toMatchObject({ timeLimitDays: 3, dailyQuota: 20 });
		const cleared = await api("PATCH", "/services/akta_kematian", {
			json: { dailyQuota: null, timeLimitDays: 1 },
		});
		expect(await cleared.json<Standard>()).toMatchObject({ timeLimitDays: 1, dailyQuota: null });
		const rows = await auditRows("service.update");
		expect(rows.map((row) => JSON.parse(row.detail))).toContainEqual({
			code: "akta_kematian",
			timeLimitDays: 3,
			dailyQuota: 20,
		});
		expect(rows.at(-1)?.actor).toBe("bootstrap-admin");
	});

	it("refuses bad bodies naming the field, and an unknown service with 404", async () => {
		for (const [json, field] of [
			[{ timeLimitDays: -1 }, "body.timeLimitDays"],
			[{ timeLimitDays: 1.5 }, "body.timeLimitDays"],
			[{ dailyQuota: 0 }, "body.dailyQuota"],
			[{ fee: 1000 }, "body.fee"],
			[{}, "body"],
		] as const) {
			const res = await api("PATCH", "/services/kk", { json });
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
		const missing = await api("PATCH", "/services/no_such", { json: { active: false } });
		expect(missing.status).toBe(404);
		expect(missing.headers.get("content-type")).toBe("application/problem+json");
	});
});

describe("GET/PUT /calendar", () => {
	it("shows office hours, listed days with their source, covered years", async () => {
		const res = await api("GET", "/calendar");
		expect(res.status).toBe(200);
		const calendar = await res.json<{
			timeZone: string;
			officeHours: { weekday: number; opens: string; closes: string }[];
			days: { date: string; kind: string; hours: unknown }[];
			years: { year: number; decree: string }[];
			missingYears: number[];
		}>();
		expect(calendar.timeZone).toBe("Asia/Jakarta");
		expect(calendar.officeHours).toHaveLength(5);
		expect(calendar.officeHours[0]).toEqual({ weekday: 1, opens: "08:00", closes: "14:00" });
		expect(calendar.days.find((d) => d.date === "2026-12-25")).toMatchObject({
			kind: "holiday",
			hours: null,
		});
		expect(calendar.years.map((y) => y.year)).toEqual([2026, 2027]);
		const thisYear = new Date().getUTCFullYear();
		expect(calendar.missingYears).toEqual(
			[thisYear, thisYear + 1].filter((year) => year !== 2026 && year !== 2027),
		);
	});

	it("lets an admin add a Saturday service day and remove it, audited", async () => {
		const add = await api("PUT", "/calendar", {
			json: {
				add: [
					{
						date: "2027-05-08",
						kind: "working_day",
						name: "Pelayanan Sabtu",
						hours: { opens: "08:00", closes: "12:00" },
					},
				],
			},
		});
		expect(add.status).toBe(200);
		const body = await add.json<{ days: { date: string; source: string; hours: unknown }[] }>();
		expect(body.days.find((d) => d.date === "2027-05-08")).toMatchObject({
			source: "admin",
			hours: { opens: "08:00", closes: "12:00" },
		});
		const removed = await api("PUT", "/calendar", { json: { remove: ["2027-05-08"] } });
		const after = await removed.json<{ days: { date: string }[] }>();
		expect(after.days.some((d) => d.date === "2027-05-08")).toBe(false);
		const rows = (await auditRows("calendar.update")).map((row) => JSON.parse(row.detail));
		expect(rows).toContainEqual({
			added: ["2027-05-08"],
			removed: [],
			replanned: 0,
			queueMoved: 0,
			told: 0,
		});
		expect(rows).toContainEqual({
			added: [],
			removed: ["2027-05-08"],
			replanned: 0,
			queueMoved: 0,
			told: 0,
		});
	});

	it("refuses malformed days naming the field", async () => {
		for (const [json, field] of [
			[{ add: [{ date: "2027-02-30", kind: "closed", name: "Libur" }] }, "body.add.0.date"],
			[{ add: [{ date: "2027-02-01", kind: "working_day", name: "Sabtu" }] }, "body.add.0.hours"],
			[
				{
					add: [
						{
							date: "2027-02-01",
							kind: "closed",
							name: "Libur",
							hours: { opens: "08:00", closes: "12:00" },
						},
					],
				},
				"body.add.0.hours",
			],
			[{ add: [{ date: "2027-02-01", kind: "party", name: "Libur" }] }, "body.add.0.kind"],
			[{ remove: ["tomorrow"] }, "body.remove.0"],
			[{}, "body"],
		] as const) {
			const res = await api("PUT", "/calendar", { json });
			expect(res.status, JSON.stringify(json)).toBe(400);
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
	});
});
