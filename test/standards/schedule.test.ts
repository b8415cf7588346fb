import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { resubmitDocuments } from "../../src/requests/revision";
import { planSubmission, resumedDueDate } from "../../src/requests/schedule";
import { submitRequest } from "../../src/requests/submit";
import { transitionRequest } from "../../src/requests/transitions";
import { addWorkingDays, isWorkingDay, workingDaysBetween } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { addDays } from "../../src/standards/iso-date";
import { instantOf, officeDate } from "../../src/standards/office-clock";
import { newRequest } from "../helpers/requests";
import { api } from "../helpers/staff";

const ZONE = "Asia/Jakarta";
/** The instant of an office-local date and time (WIB). */
const wib = (date: string, hhmm: string): number => {
	const [h, m] = hhmm.split(":").map(Number) as [number, number];
	return instantOf(date, h * 60 + m, ZONE);
};

/** Plans and files a request as the conversation does. */
async function file(
	serviceCode: string,
	at: number,
	standard: { timeLimitDays: number; dailyQuota: number | null },
) {
	const calendar = await loadCalendar(env.DB, ZONE);
	const plan = await planSubmission(env.DB, calendar, serviceCode, standard, at);
	const result = await submitRequest(
		env.DB,
		"PBM",
		newRequest(serviceCode, at, { schedule: { queueDate: plan.queueDate, dueDate: plan.dueDate } }),
		ZONE,
	);
	return { plan, result };
}

describe("queue date and due date at submission", () => {
	it("a request on a working morning queues today and is due the time limit later", async () => {
		// Monday 7 December 2026, 09:00 WIB; legalisir's 1 working day -> Tuesday 8 December.
		const { plan, result } = await file("legalisir", wib("2026-12-07", "09:00"), {
			timeLimitDays: 1,
			dailyQuota: null,
		});
		expect(plan).toMatchObject({
			queueDate: "2026-12-07",
			rolledOver: false,
			arrivedWhileOpen: true,
		});
		expect(result).toMatchObject({
			queueDate: "2026-12-07",
			dueDate: "2026-12-08",
			queuePosition: 1,
		});
	});

	it("after hours on a Friday it queues on Monday; 14 working days skip weekends", async () => {
		const { result } = await file("ktp_el", wib("2026-12-04", "15:30"), {
			timeLimitDays: 14,
			dailyQuota: null,
		});
		// Mon 7 Dec + 14 working days: 8-11 (4), 14-18 (9), 21-23 (12; 24 cuti bersama, 25 Natal),
		// 28 (13), 29 (14).
		expect(result).toMatchObject({ queueDate: "2026-12-07", dueDate: "2026-12-29" });
	});

	it("rolls over a full day across Christmas and its cuti bersama, with the place in the queue", async () => {
		const standard = { timeLimitDays: 1, dailyQuota: 2 };
		const at = wib("2026-12-23", "10:00");
		const first = await file("kia", at, standard);
		const second = await file("kia", at + 1000, standard);
		expect([first.result.queueDate, second.result.queueDate]).toEqual(["2026-12-23", "2026-12-23"]);
		expect([first.result.queuePosition, second.result.queuePosition]).toEqual([1, 2]);
		// Wednesday 23 is full; 24 is cuti bersama, 25 Natal, 26-27 a weekend: Monday 28.
		const third = await file("kia", at + 2000, standard);
		expect(third.plan).toMatchObject({ rolledOver: true, firstLookDate: "2026-12-23" });
		expect(third.result).toMatchObject({
			queueDate: "2026-12-28",
			queuePosition: 1,
			dueDate: "2026-12-29",
		});
		const fourth = await file("kia", at + 3000, standard);
		expect(fourth.result).toMatchObject({ queueDate: "2026-12-28", queuePosition: 2 });
	});

	it("a request the resident cancelled gives its place in a full day back", async () => {
		const standard = { timeLimitDays: 1, dailyQuota: 2 };
		const at = wib("2026-12-09", "10:00");
		const first = await file("akta_kematian", at, standard);
		await file("akta_kematian", at + 1000, standard);
		const id = await env.DB.prepare("SELECT id FROM requests WHERE ticket = ?")
			.bind(first.result.ticket)
			.first<{ id: string }>();
		const cancelled = await transitionRequest(env.DB, {
			requestId: id?.id ?? "",
			to: "cancelled",
			by: "resident",
			actor: "resident",
			at: at + 1500,
		});
		expect(cancelled.ok).toBe(true);
		// Wednesday 9 December holds one live request of two: the next one still queues that day,
		// with a place of its own after both (a position is a number, not a count).
		const third = await file("akta_kematian", at + 2000, standard);
		expect(third.plan).toMatchObject({ queueDate: "2026-12-09", rolledOver: false });
		expect(third.result).toMatchObject({ queueDate: "2026-12-09", queuePosition: 3 });
		// Now the day is full again.
		const fourth = await file("akta_kematian", at + 3000, standard);
		expect(fourth.result).toMatchObject({ queueDate: "2026-12-10", queuePosition: 1 });
	});

	it("a repeated submission returns the first call's figures", async () => {
		const request = newRequest("akta_kelahiran", wib("2026-12-08", "09:00"), {
			schedule: { queueDate: "2026-12-08", dueDate: "2026-12-09" },
		});
		const first = await submitRequest(env.DB, "PBM", request, ZONE);
		const again = await submitRequest(
			env.DB,
			"PBM",
			{ ...request, schedule: { queueDate: "2026-12-10", dueDate: "2026-12-11" } },
			ZONE,
		);
		expect(again).toEqual({ ...first, created: false });
		expect(again.dueDate).toBe("2026-12-09");
	});
});

describe("the clock stops while the resident owes papers", () => {
	it("moves the due date by the working days spent in needs_revision, recorded on the event", async () => {
		const calendar = await loadCalendar(env.DB, ZONE);
		const { result } = await file("akta_kematian", wib("2026-12-07", "09:00"), {
			timeLimitDays: 1,
			dailyQuota: null,
		});
		expect(result.dueDate).toBe("2026-12-08");
		const row = await env.DB.prepare("SELECT id FROM requests WHERE ticket = ?")
			.bind(result.ticket)
			.first<{ id: string }>();
		const requestId = row?.id ?? "";
		const asked = await transitionRequest(env.DB, {
			requestId,
			to: "needs_revision",
			reason: "Foto KK buram",
			documents: ["kk"],
			actor: "staff:officer",
			at: wib("2026-12-07", "11:00"),
		});
		expect(asked.ok).toBe(true);
		// Back on Thursday 10 December: 8, 9, 10 December waited -> due Tuesday 8 + 3 = Friday 11.
		const back = wib("2026-12-10", "09:00");
		const move = await resumedDueDate(env.DB, calendar, requestId, back);
		expect(move).toEqual({ from: "2026-12-08", to: "2026-12-11", waitedDays: 3 });
		await resubmitDocuments(env.DB, {
			requestId,
			at: back,
			dueDate: move,
			files: [
				{
					docCode: "kk",
					key: `requests/${requestId}/kk/wamid.resent`,
					mimeType: "image/jpeg",
					size: 10,
					sha256: "a".repeat(64),
					messageId: "wamid.resent",
				},
			],
		});
		const after = await env.DB.prepare("SELECT status, due_date FROM requests WHERE id = ?")
			.bind(requestId)
			.first();
		expect(after).toEqual({ status: "submitted", due_date: "2026-12-11" });
		const event = await env.DB.prepare(
			"SELECT detail FROM request_events WHERE request_id = ? AND from_status = 'needs_revision'",
		)
			.bind(requestId)
			.first<{ detail: string }>();
		expect(JSON.parse(event?.detail ?? "{}")).toEqual({
			documents: ["kk"],
			dueDate: { from: "2026-12-08", to: "2026-12-11", waitedDays: 3 },
		});
	});

	it("an operator returning it to submitted moves the due date too", async () => {
		const calendar = await loadCalendar(env.DB, ZONE);
		const request = newRequest("kk", wib("2026-11-27", "09:00"), {
			variantCode: "hilang_rusak",
			schedule: { queueDate: "2026-11-27", dueDate: "2026-11-30" },
		});
		await submitRequest(env.DB, "PBM", request, ZONE);
		const asked = await api("POST", `/requests/${request.id}/transitions`, {
			json: { to: "needs_revision", reason: "Foto KTP buram", documents: ["ktp_el"] },
		});
		expect(asked.status).toBe(200);
		// It went to needs_revision on Friday 27 November (moved back: the route stamps now).
		await env.DB.prepare(
			"UPDATE request_events SET at = ? WHERE request_id = ? AND to_status = 'needs_revision'",
		)
			.bind(wib("2026-11-27", "10:00"), request.id)
			.run();
		const today = officeDate(Date.now(), ZONE);
		const waited = workingDaysBetween(calendar, "2026-11-27", today);
		const moved = waited.ok ? addWorkingDays(calendar, "2026-11-30", waited.value) : waited;
		if (!moved.ok || !waited.ok) throw new Error("no calendar data");
		const back = await api("POST", `/requests/${request.id}/transitions`, {
			json: { to: "submitted" },
		});
		expect(back.status).toBe(200);
		const detail = await (await api("GET", `/requests/${request.id}`)).json<{
			dueDate: string;
			events: { to: string }[];
		}>();
		expect(detail.dueDate).toBe(waited.value > 0 ? moved.value : "2026-11-30");
		const event = await env.DB.prepare(
			"SELECT detail FROM request_events WHERE request_id = ? AND from_status = 'needs_revision'",
		)
			.bind(request.id)
			.first<{ detail: string }>();
		expect(JSON.parse(event?.detail ?? "{}")).toEqual({
			dueDate: { from: "2026-11-30", to: moved.value, waitedDays: waited.value },
		});
	});

	it("a request asked for papers before its queue date loses only the days from its queue date", async () => {
		const calendar = await loadCalendar(env.DB, ZONE);
		// Filed on Wednesday 23 December, queued (a full day) for Monday 28, due Tuesday 29.
		const request = newRequest("perubahan_data", wib("2026-12-23", "09:00"), {
			schedule: { queueDate: "2026-12-28", dueDate: "2026-12-29" },
		});
		await submitRequest(env.DB, "PBM", request, ZONE);
		await transitionRequest(env.DB, {
			requestId: request.id,
			to: "needs_revision",
			reason: "Foto KK buram",
			actor: "staff:officer",
			at: wib("2026-12-23", "10:00"),
		});
		// Back on Tuesday 29: its clock ran from the 28th, so it waited one working day (the 29th),
		// not the two working days since the 23rd.
		const move = await resumedDueDate(env.DB, calendar, request.id, wib("2026-12-29", "09:00"));
		expect(move).toEqual({ from: "2026-12-29", to: "2026-12-30", waitedDays: 1 });
		// Back before its queue date: nothing waited.
		expect(
			await resumedDueDate(env.DB, calendar, request.id, wib("2026-12-28", "09:00")),
		).toBeNull();
	});

	it("a request back the same day keeps its due date", async () => {
		const calendar = await loadCalendar(env.DB, ZONE);
		const { result } = await file("surat_pindah", wib("2026-12-07", "09:00"), {
			timeLimitDays: 1,
			dailyQuota: null,
		});
		const row = await env.DB.prepare("SELECT id FROM requests WHERE ticket = ?")
			.bind(result.ticket)
			.first<{ id: string }>();
		await transitionRequest(env.DB, {
			requestId: row?.id ?? "",
			to: "needs_revision",
			reason: "Foto buram",
			actor: "staff:officer",
			at: wib("2026-12-07", "10:00"),
		});
		expect(
			await resumedDueDate(env.DB, calendar, row?.id ?? "", wib("2026-12-07", "13:00")),
		).toBeNull();
	});
});

type Summary = { id: string; ticket: string; dueDate: string | null };

describe("GET /requests by due date", () => {
	it("lists overdue open requests, those due before a date, and sorts by due date", async () => {
		const filed: Record<string, string> = {};
		for (const [name, due, status] of [
			["late", "2026-11-03", "submitted"],
			["lateWaiting", "2026-11-02", "needs_revision"],
			["lateDone", "2026-11-04", "completed"],
			["future", "2027-06-01", "submitted"],
		] as const) {
			const request = newRequest("perubahan_data", wib("2026-11-02", "09:00"), {
				schedule: { queueDate: "2026-11-02", dueDate: due },
			});
			await submitRequest(env.DB, "PBM", request, ZONE);
			await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?")
				.bind(status, request.id)
				.run();
			filed[name] = request.id;
		}
		const list = async (query: string) => {
			const res = await api("GET", `/requests?service=perubahan_data&limit=100&${query}`);
			expect(res.status, query).toBe(200);
			return (await res.json<{ items: Summary[]; nextCursor: string | null }>()).items;
		};
		expect((await list("overdue=true")).map((i) => i.id)).toEqual([filed.late]);
		expect((await list("dueBefore=2026-11-04")).map((i) => i.id).sort()).toEqual(
			[filed.late, filed.lateWaiting].sort(),
		);
		const sorted = (await list("sort=due")).map((i) => i.dueDate);
		expect(sorted).toEqual([...sorted].sort());
		// Paging in due order with the cursor gives the same order.
		const first = await api("GET", "/requests?service=perubahan_data&sort=due&limit=2");
		const page1 = await first.json<{ items: Summary[]; nextCursor: string }>();
		const second = await api(
			"GET",
			`/requests?service=perubahan_data&sort=due&limit=2&cursor=${page1.nextCursor}`,
		);
		const page2 = await second.json<{ items: Summary[] }>();
		expect([...page1.items, ...page2.items].map((i) => i.dueDate)).toEqual(sorted.slice(0, 4));

		const late = await (await api("GET", `/requests/${filed.late}`)).json<
			Record<string, unknown>
		>();
		expect(late).toMatchObject({ queueDate: "2026-11-02", dueDate: "2026-11-03", daysLeft: null });
		expect(late.daysLate).toBeGreaterThan(0);
		const future = await (await api("GET", `/requests/${filed.future}`)).json<
			Record<string, unknown>
		>();
		expect(future).toMatchObject({ dueDate: "2027-06-01", daysLate: null });
		expect(future.daysLeft).toBeGreaterThan(0);
		const waiting = await (await api("GET", `/requests/${filed.lateWaiting}`)).json<
			Record<string, unknown>
		>();
		expect(waiting).toMatchObject({ daysLeft: null, daysLate: null });
		const audited = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'requests.list' AND detail LIKE '%overdue%'",
		).first<{ detail: string }>();
		expect(JSON.parse(audited?.detail ?? "{}")).toMatchObject({ overdue: true });
	});

	it("on a closed day right after the due date, a request listed overdue is a day late, in the list and its view", async () => {
		const calendar = await loadCalendar(env.DB, ZONE);
		const today = officeDate(Date.now(), ZONE);
		const yesterday = addDays(today, -1);
		const open = isWorkingDay(calendar, today);
		if (!open.ok) throw new Error("no calendar data for today");
		// Today is closed (the office's own closure when it would have worked).
		if (open.value) {
			const closed = await api("PUT", "/calendar", {
				json: { add: [{ date: today, kind: "closed", name: "Tutup (uji)" }] },
			});
			expect(closed.status).toBe(200);
		}
		try {
			const request = newRequest("akta_kelahiran", wib(yesterday, "09:00"), {
				schedule: { queueDate: yesterday, dueDate: yesterday },
			});
			await submitRequest(env.DB, "PBM", request, ZONE);
			const res = await api("GET", "/requests?service=akta_kelahiran&overdue=true&limit=100");
			const { items } = await res.json<{ items: (Summary & { daysLate: number | null })[] }>();
			expect(items.find((item) => item.id === request.id)).toMatchObject({ daysLate: 1 });
			const view = await (await api("GET", `/requests/${request.id}`)).json<
				Record<string, unknown>
			>();
			expect(view).toMatchObject({ dueDate: yesterday, daysLeft: null, daysLate: 1 });
		} finally {
			if (open.value) await api("PUT", "/calendar", { json: { remove: [today] } });
		}
	});

	it("refuses a malformed dueBefore, overdue or sort naming the parameter", async () => {
		for (const [query, field] of [
			["dueBefore=2026-02-30", "query.dueBefore"],
			["overdue=yes", "query.overdue"],
			["sort=name", "query.sort"],
		] as const) {
			const res = await api("GET", `/requests?${query}`);
			expect(res.status, query).toBe(400);
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
	});
});
