import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { firstLook } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { formatDate } from "../../src/standards/dates-id";
import { fillDetails, requestRows, sendFile, texts, withResidents } from "../helpers/resident";

const t = withResidents("62812779");

/** Files a legalisir request by someone else, queued on `queueDate`. */
async function other(queueDate: string): Promise<string> {
	const id = crypto.randomUUID();
	const filed = await submitRequest(env.DB, "PBM", {
		id,
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
	expect(filed.created).toBe(true);
	return id;
}

/** Today's queue day: the day staff first look at a request arriving now. */
async function todaysQueue(): Promise<string> {
	const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
	const look = firstLook(calendar, Date.now());
	if (!look.ok) throw new Error("no calendar data for today");
	return look.value.date;
}

/** A resident files a legalisir over WhatsApp; returns them and their request's row. */
async function fileLegalisir() {
	const r = t.resident();
	await fillDetails(r, { service: "Legalisir" });
	await sendFile(r, "pdf");
	await r.tap("Lanjut");
	await r.tap("Kirim");
	const [mine] = await requestRows(r.id);
	return { r, mine };
}

describe("status shows a request's place among those not yet started", () => {
	it("counts the submitted requests ahead in its queue day, and moves up as staff start them", async () => {
		const queueDate = await todaysQueue();
		// Two residents are ahead in the same service's queue for the same day.
		const first = await other(queueDate);
		await other(queueDate);

		const { r, mine } = await fileLegalisir();
		expect(mine).toMatchObject({ queue_date: queueDate, queue_position: 3 });
		const due = String(mine?.due_date);

		expect(texts(await r.say("status"))).toContain(
			`antrean ke-3, perkiraan selesai ${formatDate(due, "id")}`,
		);

		// Staff start the first one: it is no longer waiting, so this request moves up.
		await env.DB.prepare("UPDATE requests SET status = 'in_review' WHERE id = ?").bind(first).run();
		const status = texts(await r.say(`status ${mine?.ticket}`));
		expect(status).toContain("antrean ke-2,");
		expect(status).not.toContain("antrean ke-3");

		// Once staff start this one, no place is shown any more (the expected date still is).
		await env.DB.prepare("UPDATE requests SET status = 'in_review' WHERE id = ?")
			.bind(mine?.id)
			.run();
		const started = texts(await r.say("status"));
		expect(started).not.toContain("antrean");
		expect(started).toContain(`perkiraan selesai ${formatDate(due, "id")}`);
	});

	it("counts a backlog of earlier days as ahead, and neither later days nor other services", async () => {
		const queueDate = await todaysQueue();
		const { r, mine } = await fileLegalisir();
		const before = texts(await r.say("status")).match(/antrean ke-(\d+),/)?.[1];
		expect(before).toBeDefined();

		// Two requests of days staff have not reached yet (one a week old, one yesterday's), one
		// queued for a later day, and one of another service on an earlier day.
		const day = (offset: number) =>
			new Date(Date.parse(`${queueDate}T00:00:00Z`) + offset * 86_400_000)
				.toISOString()
				.slice(0, 10);
		await other(day(-7));
		const yesterday = await other(day(-1));
		await other(day(3));
		const otherService = await other(day(-2));
		await env.DB.prepare(
			"UPDATE requests SET service_code = 'akta_kematian', variant_code = 'umum' WHERE id = ?",
		)
			.bind(otherService)
			.run();

		const after = texts(await r.say(`status ${mine?.ticket}`));
		expect(after).toContain(`antrean ke-${Number(before) + 2},`);

		// Staff start yesterday's: one fewer ahead.
		await env.DB.prepare("UPDATE requests SET status = 'in_review' WHERE id = ?")
			.bind(yesterday)
			.run();
		expect(texts(await r.say("status"))).toContain(`antrean ke-${Number(before) + 1},`);
	});

	it("in English", async () => {
		const r = t.resident();
		await r.say("english");
		await fillDetails(r, { service: "Certified Copy" });
		await sendFile(r, "pdf");
		await r.tap("Next");
		await r.tap("Submit");
		const [mine] = await requestRows(r.id);
		const ahead = await env.DB.prepare(
			`SELECT COUNT(*) AS n FROM requests WHERE service_code = 'legalisir' AND status = 'submitted'
			AND (queue_date < ?1 OR (queue_date = ?1 AND queue_position <= ?2))`,
		)
			.bind(mine?.queue_date, mine?.queue_position)
			.first<{ n: number }>();
		expect(texts(await r.say("status"))).toContain(`number ${ahead?.n} in the queue`);
	});
});
