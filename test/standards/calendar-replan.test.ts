import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { buildCalendar } from "../../src/standards/calendar";
import { instantOf } from "../../src/standards/office-clock";
import { replannedDates } from "../../src/standards/replan";
import { newRequest } from "../helpers/requests";
import { api } from "../helpers/staff";

const ZONE = "Asia/Jakarta";

/** Files a legalisir request with the given dates and status, as staff would have left it. */
async function filed(
	queueDate: string,
	dueDate: string | null,
	status = "submitted",
	serviceCode = "legalisir",
): Promise<string> {
	const request = newRequest(serviceCode, instantOf("2027-06-10", 9 * 60, ZONE), {
		schedule: { queueDate, dueDate },
	});
	await submitRequest(env.DB, "PBM", request, ZONE);
	if (status !== "submitted") {
		await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?")
			.bind(status, request.id)
			.run();
	}
	return request.id;
}

async function dates(id: string) {
	return env.DB.prepare("SELECT queue_date, queue_position, due_date FROM requests WHERE id = ?")
		.bind(id)
		.first<{ queue_date: string; queue_position: number; due_date: string | null }>();
}

async function lastAudit(): Promise<Record<string, unknown>> {
	const row = await env.DB.prepare(
		"SELECT detail FROM audit_log WHERE action = 'calendar.update' ORDER BY at DESC, rowid DESC",
	).first<{ detail: string }>();
	return JSON.parse(row?.detail ?? "{}");
}

describe("PUT /calendar re-plans the open requests it reaches", () => {
	it("a day closed after requests were queued or due on it moves them to the next working day", async () => {
		// Monday 14 June 2027 will be closed (a local holiday declared late).
		const onIt = await filed("2027-06-14", "2027-06-15");
		// Its due date already moved by a day for papers the resident owed: 2 working days.
		const paused = await filed("2027-06-14", "2027-06-16", "in_review");
		const dueOnIt = await filed("2027-06-11", "2027-06-14", "processing");
		const nextDay = await filed("2027-06-15", "2027-06-16");
		const done = await filed("2027-06-14", "2027-06-15", "completed");
		const cancelled = await filed("2027-06-14", "2027-06-15", "cancelled");
		const elsewhere = await filed("2027-06-21", "2027-06-22", "submitted", "kk");
		expect((await dates(nextDay))?.queue_position).toBe(1);

		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: "2027-06-14", kind: "closed", name: "HUT Kota Prabumulih" }] },
		});
		expect(res.status).toBe(200);

		// Queued on the closed day: Tuesday 15, ahead of that day's own queue, in their order.
		expect(await dates(onIt)).toEqual({
			queue_date: "2027-06-15",
			queue_position: 1,
			due_date: "2027-06-16",
		});
		expect(await dates(paused)).toEqual({
			queue_date: "2027-06-15",
			queue_position: 2,
			due_date: "2027-06-17",
		});
		expect(await dates(nextDay)).toEqual({
			queue_date: "2027-06-15",
			queue_position: 3,
			due_date: "2027-06-16",
		});
		// Due on the closed day: its one working day is now Tuesday.
		expect(await dates(dueOnIt)).toMatchObject({
			queue_date: "2027-06-11",
			due_date: "2027-06-15",
		});
		// Finished requests, and those the change does not reach, keep their dates.
		expect(await dates(done)).toMatchObject({ queue_date: "2027-06-14", due_date: "2027-06-15" });
		expect(await dates(cancelled)).toMatchObject({ queue_date: "2027-06-14" });
		expect(await dates(elsewhere)).toMatchObject({
			queue_date: "2027-06-21",
			due_date: "2027-06-22",
		});
		expect(await res.json()).toMatchObject({ replanned: 3 });
		// Staff see the new due date.
		const detail = await (await api("GET", `/requests/${dueOnIt}`)).json<{ dueDate: string }>();
		expect(detail.dueDate).toBe("2027-06-15");
		expect(await lastAudit()).toEqual({
			added: ["2027-06-14"],
			removed: [],
			replanned: 3,
			queueMoved: 2,
			// Filed at the kelurahan without the resident's number or the operator's: nobody to tell.
			told: 0,
		});

		// Opening the day again re-plans by the same rule: queue dates stay, due dates follow.
		const reopened = await api("PUT", "/calendar", { json: { remove: ["2027-06-14"] } });
		expect(await reopened.json()).toMatchObject({ replanned: 1 });
		expect(await dates(dueOnIt)).toMatchObject({ due_date: "2027-06-14" });
		expect(await dates(onIt)).toMatchObject({ queue_date: "2027-06-15", due_date: "2027-06-16" });
	});

	it("a Saturday service day removed moves the requests queued on it and those due on it", async () => {
		const saturday = {
			date: "2027-06-19",
			kind: "working_day",
			name: "Pelayanan Sabtu",
			hours: { opens: "08:00", closes: "12:00" },
		};
		expect((await api("PUT", "/calendar", { json: { add: [saturday] } })).status).toBe(200);
		const queued = await filed("2027-06-19", "2027-06-21");
		const due = await filed("2027-06-18", "2027-06-19");
		const res = await api("PUT", "/calendar", { json: { remove: ["2027-06-19"] } });
		expect(await dates(queued)).toMatchObject({ queue_date: "2027-06-21", due_date: "2027-06-22" });
		expect(await dates(due)).toMatchObject({ queue_date: "2027-06-18", due_date: "2027-06-21" });
		expect(await res.json()).toMatchObject({ replanned: 2 });
	});
});

describe("PUT /calendar/years/{year}", () => {
	const decree = {
		decree:
			"SKB Menteri Agama No. 1/2027, Menteri Ketenagakerjaan No. 1/2027, Menteri PANRB No. 1/2027 (1 September 2027)",
		source:
			"https://www.setneg.go.id/baca/index/skb_3_menteri_libur_nasional_dan_cuti_bersama_2028",
		verification: "Every date checked against the decree's own PDF.",
	};

	it("declares a year covered once its days are listed, dating the open requests that had no due date", async () => {
		// Filed while 2028 had no data: a KTP-el due beyond New Year, a legalisir queued in 2028.
		const ktp = await filed("2027-12-27", null, "in_review", "ktp_el");
		const early = await filed("2028-01-03", null);
		const closed = await filed("2028-01-03", null, "rejected");

		const refused = await api("PUT", "/calendar/years/2028", { json: decree });
		expect(refused.status).toBe(422);
		expect(await refused.json()).toMatchObject({
			type: expect.stringContaining("year-without-days"),
		});
		expect(await dates(ktp)).toMatchObject({ due_date: null });

		const days = await api("PUT", "/calendar", {
			json: { add: [{ date: "2028-01-01", kind: "holiday", name: "Tahun Baru 2028 Masehi" }] },
		});
		expect(days.status).toBe(200);
		const res = await api("PUT", "/calendar/years/2028", { json: decree });
		expect(res.status).toBe(200);
		const body = await res.json<{ years: { year: number }[]; backfilled: number }>();
		expect(body.years.find((year) => year.year === 2028)).toEqual({ year: 2028, ...decree });
		expect(body.backfilled).toBe(2);
		// 27 December 2027 + 14 working days (31 December a Friday, the 1st a Saturday holiday).
		expect(await dates(ktp)).toMatchObject({ queue_date: "2027-12-27", due_date: "2028-01-14" });
		expect(await dates(early)).toMatchObject({ due_date: "2028-01-04" });
		expect(await dates(closed)).toMatchObject({ due_date: null });
		const audit = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'calendar.year'",
		).first<{ actor: string; detail: string }>();
		expect(audit?.actor).toBe("bootstrap-admin");
		// Filed at the kelurahan without the resident's number or the operator's: nobody to tell.
		expect(JSON.parse(audit?.detail ?? "{}")).toEqual({
			year: 2028,
			created: true,
			backfilled: 2,
			told: 0,
		});

		// A new submission now gets a due date in 2028.
		const calendar = await (await api("GET", "/calendar")).json<{ years: { year: number }[] }>();
		expect(calendar.years.map((year) => year.year)).toContain(2028);
	});

	it("refuses a malformed year or declaration naming the field", async () => {
		for (const [path, json, field] of [
			["/calendar/years/20x8", decree, "path.year"],
			["/calendar/years/1999", decree, "path.year"],
			["/calendar/years/2029", { ...decree, source: "kemenag" }, "body.source"],
			["/calendar/years/2029", { ...decree, decree: "" }, "body.decree"],
			[
				"/calendar/years/2029",
				{ decree: decree.decree, source: decree.source },
				"body.verification",
			],
		] as const) {
			const res = await api("PUT", path, { json });
			expect(res.status, `${path} ${field}`).toBe(400);
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
	});
});

describe("replannedDates", () => {
	const calendar = (days: { date: string; kind: "closed" }[], coveredYears = [2027]) =>
		buildCalendar({
			timeZone: ZONE,
			weeklyHours: {
				1: { opens: "08:00", closes: "14:00" },
				2: { opens: "08:00", closes: "14:00" },
				3: { opens: "08:00", closes: "14:00" },
				4: { opens: "08:00", closes: "14:00" },
				5: { opens: "08:00", closes: "14:00" },
			},
			days: days.map((day) => ({ ...day, name: "Tutup", source: "admin" })),
			coveredYears,
		});

	it("answers no due date when the new one falls in a year without data, and nothing when unchanged", () => {
		const before = calendar([]);
		const after = calendar([{ date: "2027-12-31", kind: "closed" }]);
		// Thursday 30 December, due Friday 31: now closed, and 2028 has no data.
		expect(
			replannedDates(before, after, { queueDate: "2027-12-30", dueDate: "2027-12-31" }),
		).toEqual({ queueDate: "2027-12-30", dueDate: null });
		expect(
			replannedDates(before, after, { queueDate: "2027-12-20", dueDate: "2027-12-21" }),
		).toBeNull();
	});
});
