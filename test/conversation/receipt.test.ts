import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { textsFor } from "../../src/conversation/texts";
import { submitRequest } from "../../src/requests/submit";
import { addWorkingDays, firstLook } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { formatDate } from "../../src/standards/dates-id";
import { instantOf } from "../../src/standards/office-clock";
import { fillDetails, requestRows, sendFile, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

const t = withResidents("62812777");

/** Where a request sent now queues and when it is due, as the office's calendar says. */
async function expected(limit: number) {
	const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
	const look = firstLook(calendar, Date.now());
	if (!look.ok) throw new Error("no calendar data for today");
	const due = addWorkingDays(calendar, look.value.date, limit);
	if (!due.ok) throw new Error("no calendar data for the due date");
	return { queueDate: look.value.date, dueDate: due.value, openNow: look.value.openNow, calendar };
}

async function fileLegalisir(lang: "id" | "en") {
	const r = t.resident();
	if (lang === "en") await r.say("english");
	await fillDetails(r, { service: lang === "en" ? "Certified Copy" : "Legalisir" });
	await sendFile(r, "pdf");
	await r.tap(lang === "en" ? "Next" : "Lanjut");
	const done = await r.tap(lang === "en" ? "Submit" : "Kirim");
	return { r, done: texts(done) };
}

describe("the receipt after Kirim", () => {
	it("says the time limit, the expected date the Indonesian way, that it is free (id)", async () => {
		const { queueDate, dueDate, openNow } = await expected(1);
		const { r, done } = await fileLegalisir("id");
		expect(done).toContain("Batas waktu layanan: 1 hari kerja.");
		expect(done).toContain(`Perkiraan selesai: *${formatDate(dueDate, "id")}*`);
		expect(done).toMatch(/Layanan ini \*gratis\*/);
		// Outside office hours (as the test runs) it says when staff first look.
		expect(done.includes("di luar jam layanan")).toBe(!openNow);
		const [row] = await requestRows(r.id);
		expect(row).toMatchObject({ queue_date: queueDate, due_date: dueDate, queue_position: 1 });
		// status shows the expected date.
		const status = texts(await r.say("status"));
		expect(status).toContain(`perkiraan selesai ${formatDate(dueDate, "id")}`);
	});

	it("in English", async () => {
		const { dueDate } = await expected(1);
		const { r, done } = await fileLegalisir("en");
		expect(done).toContain("Time limit: 1 working day.");
		expect(done).toContain(`Expected completion: *${formatDate(dueDate, "en")}*`);
		expect(done).toContain("This service is *free*");
		expect(texts(await r.say("status"))).toContain(`expected ${formatDate(dueDate, "en")}`);
	});

	it("when the day's quota is used up: the queue date and the place in that day's queue", async () => {
		const { queueDate, calendar } = await expected(1);
		expect((await api("PATCH", "/services/legalisir", { json: { dailyQuota: 1 } })).status).toBe(
			200,
		);
		// Someone already holds the one place of the day this request would queue on.
		const taken = await submitRequest(env.DB, "PBM", {
			id: crypto.randomUUID(),
			channel: "kelurahan",
			submittedBy: "op",
			residentName: "Warga Lain",
			nik: "1674015203900002",
			nikWarnings: [],
			serviceCode: "legalisir",
			variantCode: "umum",
			areaCode: "16.74.01.1001",
			language: "id",
			attachments: [],
			submittedAt: Date.now(),
			schedule: { queueDate, dueDate: null },
		});
		expect(taken.created).toBe(true);
		const next = addWorkingDays(calendar, queueDate, 1);
		if (!next.ok) throw new Error("no calendar data");
		try {
			const { r, done } = await fileLegalisir("id");
			expect(done).toContain(
				`Kuota harian layanan ini sudah penuh, jadi permohonan Anda masuk antrean *${formatDate(next.value, "id")}*, nomor urut 1.`,
			);
			const [row] = await requestRows(r.id);
			expect(row).toMatchObject({ queue_date: next.value, queue_position: 1 });
		} finally {
			await api("PATCH", "/services/legalisir", { json: { dailyQuota: null } });
		}
	});

	it("a submission retried after its request was written says nothing of a full quota", async () => {
		const { queueDate } = await expected(1);
		// The resident's request takes the last place of the day (others of this file hold the rest).
		const held = await env.DB.prepare(
			`SELECT count(*) AS n FROM requests
			WHERE service_code = 'legalisir' AND queue_date = ? AND status <> 'cancelled'`,
		)
			.bind(queueDate)
			.first<{ n: number }>();
		const quota = (held?.n ?? 0) + 1;
		expect(
			(await api("PATCH", "/services/legalisir", { json: { dailyQuota: quota } })).status,
		).toBe(200);
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		const requestId = await r.draftId();
		// The submission's batch commits, but its answer is lost: the job runs again.
		const batch = env.DB.batch.bind(env.DB);
		let lost = false;
		const spy = vi.spyOn(env.DB, "batch").mockImplementation(async (statements) => {
			const results = await batch(statements);
			const filed = await env.DB.prepare("SELECT 1 AS x FROM requests WHERE id = ?")
				.bind(requestId)
				.first();
			if (!lost && filed !== null) {
				lost = true;
				throw new Error("D1 answer lost (injected)");
			}
			return results;
		});
		try {
			await r.tap("Kirim");
			for (let i = 0; i < 10 && !/PBM-\d{6}-\d{4}/.test(texts(r.sent())); i++) {
				await r.fastForward();
			}
		} finally {
			spy.mockRestore();
			await api("PATCH", "/services/legalisir", { json: { dailyQuota: null } });
		}
		expect(lost).toBe(true);
		const done = texts(r.sent());
		expect(done).toMatch(/PBM-\d{6}-\d{4}/);
		expect(done).not.toContain("Kuota harian");
		const [row] = await requestRows(r.id);
		expect(row).toMatchObject({ queue_date: queueDate, queue_position: quota });
	});
});

describe("the receipt's words", () => {
	// Saturday 12 December 2026, 10:00 WIB: the office opens again on Monday 14 at 08:00.
	const monday = instantOf("2026-12-14", 8 * 60, "Asia/Jakarta");
	const outside = {
		timeLimitDays: 14,
		dueDate: "2027-01-05",
		free: true,
		timeZone: "Asia/Jakarta",
		firstLook: monday,
		queue: null,
	};

	it("say when staff first look at a request sent outside office hours, id and en", () => {
		expect(textsFor("id").submitted("PBM-261212-0001", true, undefined, outside)).toContain(
			"Sekarang di luar jam layanan; petugas mulai memeriksanya Senin, 14 Desember 2026 pukul 08.00 WIB.",
		);
		expect(textsFor("en").submitted("PBM-261212-0001", true, undefined, outside)).toContain(
			"We are outside office hours now; staff will first look at it on Monday, 14 December 2026 at 08:00 WIB.",
		);
		expect(textsFor("id").submitted("PBM-261212-0001", true, undefined, outside)).toContain(
			"Batas waktu layanan: 14 hari kerja. Perkiraan selesai: *Selasa, 5 Januari 2027*.",
		);
		expect(textsFor("en").submitted("PBM-261212-0001", true, undefined, outside)).toContain(
			"Time limit: 14 working days. Expected completion: *Tuesday, 5 January 2027*.",
		);
	});

	it("give the queue date and position when the quota rolled it over, and no date without data", () => {
		const rolled = { ...outside, firstLook: null, queue: { date: "2026-12-28", position: 3 } };
		expect(textsFor("en").submitted("PBM-261223-0009", false, undefined, rolled)).toContain(
			"The daily quota of this service is full, so your request is queued for *Monday, 28 December 2026*, number 3 in that day's queue.",
		);
		const noData = { ...outside, dueDate: null, firstLook: null };
		const words = textsFor("id").submitted("PBM-271231-0001", false, undefined, noData);
		expect(words).toContain("Batas waktu layanan: 14 hari kerja.");
		expect(words).not.toContain("Perkiraan selesai");
	});
});
