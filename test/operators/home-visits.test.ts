import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eraseRequestStatements } from "../../src/requests/erasure";
import { submitRequest } from "../../src/requests/submit";
import { remindVisits } from "../../src/scheduled/visit-reminders";
import { addDays } from "../../src/standards/iso-date";
import { instantOf, officeDate } from "../../src/standards/office-clock";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	texts,
	withResidents,
} from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/** Issue 11, home visits (jemput bola): staff set the visit; the resident is told, and again the day before. */
const t = withResidents("62815770");
const ZONE = "Asia/Jakarta";
const AREA = "16.74.01.1001";
const today = () => officeDate(Date.now(), ZONE);

/**
 * A submitted jemput bola request of `r` (or one filed at the kelurahan when `r` is absent, by
 * `operator`: with `r` too, the kelurahan filed it with the resident's number).
 */
async function visitRequest(r?: Resident, service = "jemput_bola", operator?: string) {
	const id = `visit-${crypto.randomUUID()}`;
	const chat = r ? { businessId: PHONE_NUMBER_ID, residentId: r.id } : {};
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		...(operator || !r
			? { channel: "kelurahan" as const, submittedBy: operator ?? "op-visit", ...chat }
			: { channel: "whatsapp" as const, ...chat }),
		residentName: "Warga Lansia",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: service,
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return { id, ticket };
}

/** A resident who wrote to the office today (the 24-hour window is open) and holds a visit request. */
async function residentWithVisit() {
	const r = t.resident();
	await r.say("Halo");
	r.replies();
	return { r, ...(await visitRequest(r)) };
}

const visit = (id: string, json: unknown, token?: string) =>
	api("POST", `/requests/${id}/visit`, { json, ...(token ? { token } : {}) });

describe("asking for a home visit over WhatsApp", () => {
	it("asks who and why, the address and a contact, stores them and lands in the area operator's queue", async () => {
		const r = t.resident();
		const asked = await fillDetails(r, { service: "Jemput Bola" });
		expect(texts(asked)).toContain("Siapa yang perlu dikunjungi");
		await r.tap("Lansia");
		expect(texts(await r.say("dekat"))).toContain("terlalu pendek");
		await r.say("Jl. Sudirman No. 12, RT 03/RW 02, dekat masjid");
		expect(texts(await r.say("anak saya"))).toContain("nomor HP");
		await r.say("Siti (anak) 0812-3456-7890");
		// The RT/RW letter is optional and one page: a photo, then on to the summary.
		await sendFile(r, "jpeg");
		for (let i = 0; i < 5 && !texts(r.sent().slice(-1)).includes("Sudah benar?"); i++) {
			await r.tap("Lanjut");
		}
		const summary = texts(r.sent().slice(-1));
		expect(summary).toContain("Jl. Sudirman No. 12");
		expect(summary).toContain("Lansia");
		const done = await r.tap("Kirim");
		const ticket = texts(done).match(/PBM-\d{6}-\d{4}/)?.[0];
		expect(ticket).toBeDefined();
		const [row] = await requestRows(r.id);
		const id = String(row?.id);
		const stored = await env.DB.prepare(
			"SELECT reason, address, contact FROM home_visits WHERE request_id = ?",
		)
			.bind(id)
			.first();
		expect(stored).toEqual({
			reason: "lansia",
			address: "Jl. Sudirman No. 12, RT 03/RW 02, dekat masjid",
			contact: "Siti (anak) 0812-3456-7890",
		});
		const request = await env.DB.prepare(
			"SELECT area_code, service_code FROM requests WHERE id = ?",
		)
			.bind(id)
			.first<{ area_code: string; service_code: string }>();
		expect(request?.service_code).toBe("jemput_bola");
		const own = await createStaff("kelurahan", request?.area_code);
		const stranger = await createStaff("kelurahan", "16.74.02.1003");
		const queue = async (token: string) =>
			(
				await (
					await api("GET", "/requests?limit=100", { token })
				).json<{ items: { id: string }[] }>()
			).items.map((item) => item.id);
		expect(await queue(own.token)).toContain(id);
		expect(await queue(stranger.token)).not.toContain(id);
		// The area's operator sets the visit; the resident is told.
		const slot = { date: addDays(today(), 2), from: "09:00", to: "10:00" };
		expect((await visit(id, slot, own.token)).status).toBe(200);
		await r.settle();
		expect(texts(r.replies())).toContain("09:00-10:00");
	});
});

describe("setting a home visit", () => {
	it("stores the visit, audits it without personal data and tells the resident the date and hours", async () => {
		const { r, id, ticket } = await residentWithVisit();
		const date = addDays(today(), 3);
		const res = await visit(id, { date, from: "09:00", to: "11:30" });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({
			id,
			ticket,
			date,
			from: "09:00",
			to: "11:30",
			residentNotified: true,
		});
		await r.settle();
		const told = texts(r.replies());
		expect(told).toContain(ticket);
		expect(told).toContain("09:00-11:30");
		const row = await env.DB.prepare("SELECT * FROM home_visits WHERE request_id = ?")
			.bind(id)
			.first();
		expect(row).toMatchObject({
			visit_date: date,
			visit_from: "09:00",
			visit_to: "11:30",
			reminded_at: null,
		});
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE request_id = ? AND action = 'request.visit'",
		)
			.bind(id)
			.all<{ detail: string }>();
		expect(audit.results).toHaveLength(1);
		expect(audit.results[0]?.detail).not.toContain("Warga");
		expect(audit.results[0]?.detail).not.toContain("1674015203900001");
		// The same call again (a client's retry): nothing new is stored, audited or told.
		const again = await visit(id, { date, from: "09:00", to: "11:30" });
		expect(again.status).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]);
		const audited = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE request_id = ? AND action = 'request.visit'",
		)
			.bind(id)
			.first<{ n: number }>();
		expect(audited?.n).toBe(1);
		const pending = await env.DB.prepare(
			"SELECT count(*) AS n FROM pending_notices WHERE request_id = ?",
		)
			.bind(id)
			.first<{ n: number }>();
		expect(pending?.n).toBe(0);
	});

	it("answers field problems for a bad date or hours, and today is allowed but not yesterday", async () => {
		const { id } = await visitRequest();
		const cases: [unknown, string][] = [
			[{ date: addDays(today(), -1), from: "09:00", to: "10:00" }, "body.date"],
			[{ date: "2026-02-30", from: "09:00", to: "10:00" }, "body.date"],
			[{ date: addDays(today(), 1), from: "9:00", to: "10:00" }, "body.from"],
			[{ date: addDays(today(), 1), from: "10:00", to: "10:00" }, "body.to"],
			[{ date: addDays(today(), 1), from: "11:00", to: "24:00" }, "body.to"],
		];
		for (const [json, field] of cases) {
			const res = await visit(id, json);
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
		expect(
			(
				await env.DB.prepare("SELECT count(*) AS n FROM home_visits WHERE request_id = ?")
					.bind(id)
					.first<{ n: number }>()
			)?.n,
		).toBe(0);
		const ok = await visit(id, { date: today(), from: "13:00", to: "14:00" });
		expect(ok.status).toBe(200);
		// Filed at the kelurahan without a WhatsApp resident: stored, nobody to tell.
		expect(await ok.json()).toMatchObject({ residentNotified: false });
	});

	it("refuses a request that is not a home visit (409) and one of another area to its operator (404)", async () => {
		const other = await visitRequest(undefined, "legalisir");
		const res = await visit(other.id, { date: addDays(today(), 1), from: "09:00", to: "10:00" });
		expect(res.status).toBe(409);
		const { id } = await visitRequest();
		const own = await createStaff("kelurahan", AREA);
		const stranger = await createStaff("kelurahan", "16.74.02.1003");
		const slot = { date: addDays(today(), 2), from: "08:00", to: "09:00" };
		expect((await visit(id, slot, stranger.token)).status).toBe(404);
		expect((await visit(id, slot, own.token)).status).toBe(200);
	});
});

describe("the day-before reminder", () => {
	it("is sent once, from 08:00 until 20:00 office time on the day before, and again when the visit moves", async () => {
		const { r, id, ticket } = await residentWithVisit();
		const day = today();
		const tomorrow = addDays(day, 1);
		expect((await visit(id, { date: tomorrow, from: "10:00", to: "12:00" })).status).toBe(200);
		await r.settle();
		r.replies();

		expect(await remindVisits(env, instantOf(day, 7 * 60 + 59, ZONE))).toBe(0);
		// Nor late in the evening: nobody is woken by it.
		expect(await remindVisits(env, instantOf(day, 20 * 60, ZONE))).toBe(0);
		expect(await remindVisits(env, instantOf(day, 23 * 60 + 30, ZONE))).toBe(0);
		expect(await remindVisits(env, instantOf(day, 9 * 60, ZONE))).toBe(1);
		await r.settle();
		const reminder = texts(r.replies());
		expect(reminder).toContain("besok");
		expect(reminder).toContain(ticket);
		expect(reminder).toContain("10:00-12:00");
		// Later runs of the hourly cron remind nobody again.
		expect(await remindVisits(env, instantOf(day, 10 * 60, ZONE))).toBe(0);
		await r.settle();
		expect(r.replies()).toEqual([]);

		// Moved to other hours of the same day: told, and reminded again.
		expect((await visit(id, { date: tomorrow, from: "13:00", to: "14:00" })).status).toBe(200);
		expect(await remindVisits(env, instantOf(day, 11 * 60, ZONE))).toBe(1);
		await r.settle();
		expect(texts(r.replies())).toContain("13:00-14:00");
	});
});

describe("a visit the kelurahan filed", () => {
	it("with the resident's number: the resident is told and reminded the day before", async () => {
		const r = t.resident();
		await r.say("Halo");
		r.replies();
		const { id, ticket } = await visitRequest(r, "jemput_bola", "op-visit");
		const day = today();
		expect((await visit(id, { date: addDays(day, 1), from: "10:00", to: "12:00" })).status).toBe(
			200,
		);
		await r.settle();
		expect(texts(r.replies())).toContain(ticket);
		expect(await remindVisits(env, instantOf(day, 9 * 60, ZONE))).toBeGreaterThanOrEqual(1);
		await r.settle();
		expect(texts(r.replies())).toContain("besok");
	});

	it("without a number: the filing operator is told and reminded, to tell the resident", async () => {
		const operator = t.resident();
		await operator.say("Halo");
		operator.replies();
		const created = await api("POST", "/staff", {
			json: { name: "Operator Kelurahan", role: "kelurahan", areas: [AREA], phone: operator.id },
		});
		expect(created.status).toBe(201);
		const staffId = (await created.json<{ id: string }>()).id;
		const { id, ticket } = await visitRequest(undefined, "jemput_bola", staffId);
		const day = today();
		const res = await visit(id, { date: addDays(day, 1), from: "10:00", to: "12:00" });
		expect(await res.json()).toMatchObject({ residentNotified: true });
		await operator.settle();
		expect(texts(operator.replies())).toContain(ticket);
		expect(await remindVisits(env, instantOf(day, 9 * 60, ZONE))).toBeGreaterThanOrEqual(1);
		await operator.settle();
		const reminder = texts(operator.replies());
		expect(reminder).toContain("besok");
		expect(reminder).toContain(ticket);
	});
});

describe("erasure", () => {
	it("blanks a closed request's visit address and contact, keeping its date", async () => {
		const { id } = await visitRequest();
		await env.DB.prepare(
			`INSERT INTO home_visits (request_id, reason, address, contact, visit_date, visit_from, visit_to)
			 VALUES (?, 'sakit', 'Jl. Merdeka 1, RT 01/RW 01', 'Budi 081234567890', '2031-01-02', '09:00', '10:00')`,
		)
			.bind(id)
			.run();
		// Open: left alone, like the request itself.
		await env.DB.batch(eraseRequestStatements(env.DB, id, Date.now()));
		const read = () =>
			env.DB.prepare(
				"SELECT reason, address, contact, visit_date FROM home_visits WHERE request_id = ?",
			)
				.bind(id)
				.first();
		expect(await read()).toMatchObject({ address: "Jl. Merdeka 1, RT 01/RW 01" });
		await env.DB.prepare("UPDATE requests SET status = 'completed', closed_at = ? WHERE id = ?")
			.bind(Date.now(), id)
			.run();
		await env.DB.batch(eraseRequestStatements(env.DB, id, Date.now()));
		expect(await read()).toEqual({
			reason: "sakit",
			address: null,
			contact: null,
			visit_date: "2031-01-02",
		});
	});
});
