import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { closeComplaint, fileComplaint, recordComplaintReply } from "../../src/requests/complaints";
import { submitRequest } from "../../src/requests/submit";
import { sendDigest } from "../../src/scheduled/digest";
import { isWorkingDay } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { addDays } from "../../src/standards/iso-date";
import { instantOf } from "../../src/standards/office-clock";
import { withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

const TZ = "Asia/Jakarta";
const t = withResidents("62812780");

async function working(date: string): Promise<boolean> {
	const outcome = isWorkingDay(await loadCalendar(env.DB, TZ), date);
	if (!outcome.ok) throw new Error(`no calendar data for ${date}`);
	return outcome.value;
}

/** The first working day before `date`, found by walking back one day at a time. */
async function workingDayBefore(date: string): Promise<string> {
	for (let day = addDays(date, -1); ; day = addDays(day, -1)) {
		if (await working(day)) return day;
	}
}

type Status = "submitted" | "in_review" | "needs_revision" | "processing" | "completed";
interface Seed {
	service: "legalisir" | "kk";
	createdAt: number;
	due: string;
	status: Status;
}

/** Files a request created at `createdAt` and due on `due`, then puts it in `status`. */
async function seed(row: Seed): Promise<void> {
	const id = crypto.randomUUID();
	const variant = row.service === "kk" ? "baru" : "umum";
	const filed = await submitRequest(env.DB, "PBM", {
		id,
		channel: "kelurahan",
		submittedBy: "op",
		residentName: "Warga Uji",
		nik: "1674015203900002",
		nikWarnings: [],
		serviceCode: row.service,
		variantCode: variant,
		areaCode: "16.74.01.1001",
		language: "id",
		attachments: [],
		submittedAt: row.createdAt,
		schedule: { queueDate: row.due, dueDate: row.due },
	});
	expect(filed.created).toBe(true);
	await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?").bind(row.status, id).run();
}

interface Counts {
	new: number;
	dueToday: number;
	overdue: number;
}
interface DigestBody {
	date: string;
	totals: Counts;
	services: ({ code: string } & Counts)[];
	complaints: { dueToday: number; overdue: number };
	summary: string;
}

async function digest(date: string): Promise<DigestBody> {
	const res = await api("GET", `/reports/digest?date=${date}`);
	expect(res.status).toBe(200);
	return res.json<DigestBody>();
}

const ZERO: Counts = { new: 0, dueToday: 0, overdue: 0 };
const OWED: Status[] = ["submitted", "in_review", "processing"];

describe("GET /reports/digest", () => {
	it("counts new since the previous working day, due today and overdue, overall and by service", async () => {
		// A Monday: "new" reaches back to the previous working day (the Friday), weekend included.
		const day = "2027-02-15";
		expect(await working(day)).toBe(true);
		const previous = await workingDayBefore(day);
		const since = instantOf(previous, 0, TZ);
		const until = instantOf(day, 0, TZ);
		const before = await digest(day);

		const seeds: Seed[] = [
			{ service: "kk", createdAt: since + 3_600_000, due: addDays(day, 5), status: "submitted" },
			{ service: "kk", createdAt: until - 60_000, due: day, status: "in_review" },
			{ service: "kk", createdAt: since - 60_000, due: day, status: "processing" },
			{ service: "kk", createdAt: since - 86_400_000, due: addDays(day, -3), status: "submitted" },
			{ service: "legalisir", createdAt: until, due: day, status: "submitted" },
			{ service: "legalisir", createdAt: since - 1, due: addDays(day, -1), status: "processing" },
			{ service: "legalisir", createdAt: since, due: day, status: "needs_revision" },
			{ service: "legalisir", createdAt: since - 5, due: addDays(day, -7), status: "completed" },
		];
		for (const row of seeds) await seed(row);

		// The expectation, computed from the seeds on their own.
		const expected = new Map<string, Counts>();
		for (const row of seeds) {
			const counts = expected.get(row.service) ?? { ...ZERO };
			if (row.createdAt >= since && row.createdAt < until) counts.new++;
			if (OWED.includes(row.status) && row.due === day) counts.dueToday++;
			if (OWED.includes(row.status) && row.due < day) counts.overdue++;
			expected.set(row.service, counts);
		}
		const after = await digest(day);
		expect(after.date).toBe(day);
		for (const [code, counts] of expected) {
			const was = before.services.find((s) => s.code === code) ?? { ...ZERO };
			expect(after.services.find((s) => s.code === code)).toEqual({
				code,
				new: was.new + counts.new,
				dueToday: was.dueToday + counts.dueToday,
				overdue: was.overdue + counts.overdue,
			});
		}
		const sum = (key: keyof Counts) =>
			before.totals[key] + [...expected.values()].reduce((n, c) => n + c[key], 0);
		expect(after.totals).toEqual({
			new: sum("new"),
			dueToday: sum("dueToday"),
			overdue: sum("overdue"),
		});
		expect(after.summary).toBe(
			`${sum("new")} baru, ${sum("dueToday")} jatuh tempo hari ini, ${sum("overdue")} terlambat`,
		);
	});

	it("counts complaints not answered whose answer is due that day or overdue, and says so in the line", async () => {
		const day = "2027-03-10";
		const before = await digest(day);
		expect(before.summary).not.toContain("pengaduan");
		const file = async (due: string) => {
			const id = crypto.randomUUID();
			await fileComplaint(env.DB, {
				id,
				officeCode: "PBM",
				timeZone: TZ,
				conversation: `c-${id}`,
				businessId: "b",
				residentId: `r-${id}`,
				body: "Antrean lama",
				at: Date.now(),
				dueDate: due,
			});
			return id;
		};
		await file(day);
		await file(addDays(day, -2));
		await file(addDays(day, -1));
		await file(addDays(day, 3));
		// Answered, or closed: nothing owed any more.
		const answered = await file(addDays(day, -4));
		await recordComplaintReply(env.DB, {
			id: crypto.randomUUID(),
			complaintId: answered,
			actor: "a",
			body: "Ok",
		});
		await closeComplaint(env.DB, await file(day), "a");
		const after = await digest(day);
		expect(after.complaints).toEqual({
			dueToday: before.complaints.dueToday + 1,
			overdue: before.complaints.overdue + 2,
		});
		expect(after.summary).toMatch(
			/; pengaduan belum dijawab: \d+ jatuh tempo hari ini, \d+ terlambat$/,
		);
		expect(after.summary).toContain(
			`pengaduan belum dijawab: ${after.complaints.dueToday} jatuh tempo hari ini, ${after.complaints.overdue} terlambat`,
		);
	});

	it("is for admins and officers, and names a bad date", async () => {
		const bad = await api("GET", "/reports/digest?date=2027-02-30");
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain("date");
		// Its previous working day is in year 99, which Date.UTC reads as 1999 (a 500 once).
		const early = await api("GET", "/reports/digest?date=0100-01-01");
		expect(early.status).toBe(200);
		const res = await api("POST", "/staff", {
			json: { name: "Operator Kel", role: "kelurahan", kelurahan: "16.74.01.1001" },
		});
		const { token } = await res.json<{ token: string }>();
		expect((await api("GET", "/reports/digest", { token })).status).toBe(403);
		const today = await api("GET", "/reports/digest");
		expect(today.status).toBe(200);
	});
});

describe("staff phones", () => {
	it("POST /staff takes a phone, stores it as E.164 digits and lists it; a bad one is named", async () => {
		const res = await api("POST", "/staff", {
			json: { name: "Petugas Telepon", role: "officer", phone: "0812-3456-7001" },
		});
		expect(res.status).toBe(201);
		const { id, phone } = await res.json<{ id: string; phone: string }>();
		expect(phone).toBe("6281234567001");
		const list = await (await api("GET", "/staff")).json<{
			staff: { id: string; phone: string | null }[];
		}>();
		expect(list.staff.find((s) => s.id === id)?.phone).toBe("6281234567001");
		const bad = await api("POST", "/staff", {
			json: { name: "Petugas Salah", role: "officer", phone: "call me" },
		});
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain("phone");
	});
});

describe("the morning digest cron", () => {
	async function staff(role: string, phone?: string): Promise<string> {
		const res = await api("POST", "/staff", {
			json: {
				name: `Petugas ${role}`,
				role,
				...(role === "kelurahan" ? { kelurahan: "16.74.01.1001" } : {}),
				...(phone ? { phone } : {}),
			},
		});
		expect(res.status).toBe(201);
		return (await res.json<{ id: string }>()).id;
	}

	it("sends one template per admin and officer with a phone at 07:00 on a working day, once", async () => {
		await env.DB.prepare("UPDATE staff SET phone = NULL").run();
		await staff("admin", "6281299900001");
		await staff("officer", "6281299900002");
		await staff("officer");
		await staff("kelurahan", "6281299900003");
		const revoked = await staff("officer", "6281299900004");
		expect((await api("DELETE", `/staff/${revoked}`)).status).toBe(200);

		const day = "2027-02-17";
		expect(await working(day)).toBe(true);
		const graph = t.graph;
		// Before 07:00 nothing goes out.
		expect(await sendDigest(env, instantOf(day, 6 * 60 + 59, TZ))).toMatchObject({ sent: 0 });
		expect(graph.sent).toEqual([]);

		const run = await sendDigest(env, instantOf(day, 7 * 60, TZ));
		expect(run).toEqual({ day, sent: 2, failed: 0 });
		expect(graph.sent.map((m) => m.to).sort()).toEqual(["6281299900001", "6281299900002"]);
		const summary = (await digest(day)).summary;
		for (const message of graph.sent) {
			expect(message.type).toBe("template");
			expect(message.body.template).toMatchObject({
				name: "staff_digest",
				components: [
					{
						type: "body",
						parameters: [
							{ type: "text", text: env.OFFICE_NAME },
							{ type: "text", text: summary },
						],
					},
				],
			});
		}
		// A second run the same day (the same hour or later) sends nothing again.
		expect(await sendDigest(env, instantOf(day, 7 * 60 + 30, TZ))).toMatchObject({ sent: 0 });
		expect(await sendDigest(env, instantOf(day, 9 * 60, TZ))).toMatchObject({ sent: 0 });
		expect(graph.sent).toHaveLength(2);
		const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM digest_days WHERE day = ?")
			.bind(day)
			.first<{ n: number }>();
		expect(rows?.n).toBe(1);
	});

	it("sends nothing on a holiday or without the setting", async () => {
		await env.DB.prepare("UPDATE staff SET phone = NULL").run();
		await staff("admin", "6281299900011");
		const graph = t.graph;
		// Christmas Day 2026 is a national holiday.
		expect(await working("2026-12-25")).toBe(false);
		expect(await sendDigest(env, instantOf("2026-12-25", 7 * 60, TZ))).toEqual({
			sent: 0,
			failed: 0,
		});
		// No template configured: the digest stays in the API.
		const quiet = { ...env, DIGEST_TEMPLATE_NAME: "" } as Env;
		expect(await sendDigest(quiet, instantOf("2027-02-19", 7 * 60, TZ))).toEqual({
			sent: 0,
			failed: 0,
		});
		expect(graph.sent).toEqual([]);
	});

	it("is sent by a later run of the day when the 07:00 run did not happen, once, to those chosen then", async () => {
		await env.DB.prepare("UPDATE staff SET phone = NULL").run();
		await staff("admin", "6281299900031");
		const day = "2027-02-18";
		expect(await working(day)).toBe(true);
		const graph = t.graph;
		// The 07:00 run failed before it chose anyone: the 10:00 run sends the day's digest.
		expect(await sendDigest(env, instantOf(day, 10 * 60, TZ))).toEqual({ day, sent: 1, failed: 0 });
		expect(graph.sent.map((m) => m.to)).toEqual(["6281299900031"]);
		// Someone given a phone afterwards waits for tomorrow; nobody gets it twice.
		await staff("officer", "6281299900032");
		expect(await sendDigest(env, instantOf(day, 11 * 60, TZ))).toMatchObject({ sent: 0 });
		expect(graph.sent).toHaveLength(1);
	});

	it("tries a failed send again on the next run of the same day, and logs the number masked", async () => {
		await env.DB.prepare("UPDATE staff SET phone = NULL").run();
		await staff("officer", "6281299900021");
		const day = "2027-02-22";
		expect(await working(day)).toBe(true);
		const graph = t.graph;
		graph.fail("messages", { kind: "http", status: 503 });
		const logged: string[] = [];
		const spy = (...args: unknown[]) => logged.push(args.map(String).join(" "));
		const original = console.warn;
		console.warn = spy;
		try {
			expect(await sendDigest(env, instantOf(day, 7 * 60, TZ))).toEqual({
				day,
				sent: 0,
				failed: 1,
			});
		} finally {
			console.warn = original;
		}
		expect(logged.join("\n")).toContain("digest.send_failed");
		expect(logged.join("\n")).not.toContain("6281299900021");
		expect(await sendDigest(env, instantOf(day, 8 * 60, TZ))).toEqual({ day, sent: 1, failed: 0 });
		expect(graph.sent.map((m) => m.to)).toEqual(["6281299900021"]);
		expect(await sendDigest(env, instantOf(day, 9 * 60, TZ))).toMatchObject({ sent: 0 });
	});
});
