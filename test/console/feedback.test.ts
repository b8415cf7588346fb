import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fileComplaint } from "../../src/requests/complaints";
import { submitRequest } from "../../src/requests/submit";
import { page, post, signIn } from "../helpers/console";
import { jpeg, type Resident, textOf, texts, wire, withResidents } from "../helpers/resident";
import { ADMIN, api, createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/**
 * The complaint, hand-off and SKM screens and the queue's area filter against the real staff
 * API: residents file complaints and ask for a person through the chat (FakeGraph), staff answer
 * and close through the console's forms, and the API's rows change as its own routes change them.
 */
const t = withResidents("62811900");
const AREA = "16.74.03.1001";
const OTHER_AREA = "16.74.02.1003";
const COMPLAINT_TICKET = /PBM-ADU-\d{6}-\d{4}/;

interface ComplaintBody {
	id: string;
	ticket: string;
	status: string;
	replies: { text: string }[];
	closedAt: number | null;
}

/** A request of this resident, filed over WhatsApp (straight into D1). */
async function ownRequest(r: Resident): Promise<{ id: string; ticket: string }> {
	const id = crypto.randomUUID();
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		channel: "whatsapp",
		businessId: PHONE_NUMBER_ID,
		residentId: r.id,
		residentName: "Budi Santoso",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return { id, ticket };
}

/** The resident complains about their request in the chat, with a photo; returns the ticket. */
async function complainWithPhoto(r: Resident, words: string): Promise<string> {
	await r.say("pengaduan");
	await r.say(words);
	const media = await r.graph.addMedia(jpeg(), "image/jpeg");
	await r.send(wire.image(media.id, media.sha256Base64));
	const done = await r.tap("Kirim pengaduan");
	const ticket = texts(done).match(COMPLAINT_TICKET)?.[0];
	if (ticket === undefined) throw new Error(`no complaint ticket in ${texts(done)}`);
	return ticket;
}

async function complaint(ticket: string): Promise<ComplaintBody> {
	const res = await api("GET", `/complaints/${ticket}`);
	expect(res.status).toBe(200);
	return res.json<ComplaintBody>();
}

let admin = "";
let officer = "";
let operator = "";
let otherOperator = "";
beforeAll(async () => {
	admin = await signIn(ADMIN);
	officer = await signIn((await createStaff("officer")).token);
	operator = await signIn((await createStaff("kelurahan", AREA)).token);
	otherOperator = await signIn((await createStaff("kelurahan", OTHER_AREA)).token);
});

describe("complaints", () => {
	it("lists, shows (words, photo, request), answers and closes a complaint as the API does", async () => {
		const r = t.resident();
		const request = await ownRequest(r);
		const ticket = await complainWithPhoto(r, `Permohonan ${request.ticket} belum juga selesai`);
		const { id } = await complaint(ticket);

		const list = await (await page("/console/complaints?status=open", officer)).text();
		expect(list).toContain(ticket);
		expect(list).toContain(request.ticket);
		// An operator sees their area's complaint, another area's operator does not (the API's scope).
		expect(await (await page("/console/complaints", operator)).text()).toContain(ticket);
		expect(await (await page("/console/complaints", otherOperator)).text()).not.toContain(ticket);

		const detailRes = await page(`/console/complaints/${id}`, officer);
		expect(detailRes.status).toBe(200);
		const detail = await detailRes.text();
		expect(detail).toContain("belum juga selesai");
		expect(detail).toContain(`href="/console/requests/${request.id}"`);
		const photoSrc = detail.match(/<img src="(\/console\/complaints\/[^"]+\/photo)"/)?.[1];
		expect(photoSrc).toBe(`/console/complaints/${id}/photo`);
		const photo = await page(photoSrc ?? "", officer);
		expect(photo.status).toBe(200);
		expect(photo.headers.get("content-type")).toBe("image/jpeg");
		expect(photo.headers.get("cache-control")).toBe("private, no-store");
		expect(new Uint8Array(await photo.arrayBuffer())).toEqual(jpeg());
		const photoViews = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'complaint.photo' AND detail LIKE ?",
		)
			.bind(`%${id}%`)
			.first<number>("n");
		expect(photoViews).toBe(1);

		// The answer goes to the resident (inside the window: as text) and onto the complaint,
		// once, though the form is posted twice (a double click): it carries its page's key.
		r.replies();
		const answer = "Mohon maaf, KK Anda selesai hari ini dan bisa diambil.";
		const once = detail.match(/name="once" value="([0-9a-f-]{36})"/)?.[1] ?? "";
		expect(once).not.toBe("");
		const reply = () =>
			post(`/console/complaints/${id}/reply`, { text: answer, once }, { cookie: officer });
		const replied = await reply();
		expect((await reply()).status).toBe(303);
		expect(replied.status).toBe(303);
		expect(replied.headers.get("location")).toBe(`/console/complaints/${id}?done=replied`);
		await r.settle();
		const sent = r.replies();
		expect(sent.map((m) => m.type)).toEqual(["text"]);
		expect(textOf(sent[0])).toContain(answer);
		const answered = await complaint(ticket);
		expect(answered.status).toBe("answered");
		expect(answered.replies.map((x) => x.text)).toEqual([answer]);
		const after = await (await page(`/console/complaints/${id}?done=replied`, officer)).text();
		expect(after).toContain("Jawaban dicatat dan diantrekan");
		expect(after).toContain(answer);
		expect(after).toContain("Dijawab");
		// Who answered, in words as on a request's history: never the raw `staff:<id>`.
		expect(after).toContain("Petugas officer (Anda) ·");
		expect(after).not.toContain("staff:");
		const adminView = await (await page(`/console/complaints/${id}`, admin)).text();
		expect(adminView).toContain("Petugas officer ·");
		expect(adminView).not.toContain("staff:");

		const closed = await post(`/console/complaints/${id}/close`, {}, { cookie: officer });
		expect(closed.headers.get("location")).toBe(`/console/complaints/${id}?done=closed`);
		expect((await complaint(ticket)).closedAt).not.toBeNull();
		const closedPage = await (await page(`/console/complaints/${id}`, officer)).text();
		expect(closedPage).not.toContain(`/console/complaints/${id}/reply`);
		// Answering a closed one: the API's 409, shown as a problem box with a reload.
		const late = await post(
			`/console/complaints/${id}/reply`,
			{ text: "Lagi" },
			{ cookie: officer },
		);
		expect(late.status).toBe(409);
		const box = await late.text();
		expect(box).toContain('role="alert"');
		expect(box).toContain("Pengaduan ini sudah ditutup");
		expect(box).toContain(`href="/console/complaints/${id}"`);
		expect((await complaint(ticket)).replies).toHaveLength(1);
	});

	it("offers an operator no answer form and shows the API's 403 when they post one", async () => {
		const r = t.resident();
		const request = await ownRequest(r);
		const ticket = await complainWithPhoto(r, `Soal ${request.ticket}, petugas tidak datang`);
		const { id } = await complaint(ticket);
		const html = await (await page(`/console/complaints/${id}`, operator)).text();
		expect(html).toContain("petugas tidak datang");
		expect(html).not.toContain(`/console/complaints/${id}/reply`);
		const refused = await post(
			`/console/complaints/${id}/reply`,
			{ text: "Halo" },
			{ cookie: operator },
		);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('class="problem"');
		expect((await complaint(ticket)).replies).toHaveLength(0);
		// Another area's operator gets the API's 404 for it, not the resident's words.
		const hidden = await page(`/console/complaints/${id}`, otherOperator);
		expect(hidden.status).toBe(404);
		expect(await hidden.text()).not.toContain("petugas tidak datang");
	});

	it("highlights an overdue complaint with its due date, and the overdue filter keeps it", async () => {
		const r = t.resident();
		await ownRequest(r);
		const ticket = await complainWithPhoto(r, "Antrean sangat lama sekali");
		await env.DB.prepare("UPDATE complaints SET due_date = '2026-01-05' WHERE ticket = ?")
			.bind(ticket)
			.run();
		const html = await (await page("/console/complaints?overdue=true", officer)).text();
		const row = html.split("<tr").find((tr) => tr.includes(ticket)) ?? "";
		expect(row).toContain('class="overdue"');
		expect(row).toContain('<time datetime="2026-01-05">Sen 5 Jan 2026</time> (Lewat batas waktu)');
		expect(html).toMatch(/<input type="checkbox" name="overdue" value="true" checked/);
	});

	it("pages through the list with the API's cursor, keeping the filters", async () => {
		// 30 complaints about no request, filed the way the chat files them, in a day of their own.
		const at = Date.parse("2029-03-05T03:00:00Z");
		for (let n = 0; n < 30; n++) {
			await fileComplaint(env.DB, {
				id: crypto.randomUUID(),
				officeCode: "PBM",
				timeZone: "Asia/Jakarta",
				conversation: `${PHONE_NUMBER_ID}:62811999000${String(n).padStart(2, "0")}`,
				businessId: PHONE_NUMBER_ID,
				residentId: `62811999000${String(n).padStart(2, "0")}`,
				body: `Keluhan nomor ${n}`,
				at: at + n * 1000,
				dueDate: "2029-03-12",
			});
		}
		const tickets = (html: string) =>
			[...html.matchAll(/>(PBM-ADU-290305-\d{4})</g)].map((m) => m[1]);
		const first = await (await page("/console/complaints?status=open", admin)).text();
		const next = first
			.match(/href="(\/console\/complaints\?[^"]*cursor=[^"]+)"/)?.[1]
			?.replaceAll("&amp;", "&");
		expect(next).toContain("status=open");
		const second = await (await page(next ?? "", admin)).text();
		const seen = [...tickets(first), ...tickets(second)];
		// Newest first: the API's order; no complaint twice; the other day's complaints may follow.
		expect(tickets(first).length).toBeGreaterThan(0);
		expect(new Set(seen).size).toBe(seen.length);
		const all = new Set(seen);
		let page3 = second
			.match(/href="(\/console\/complaints\?[^"]*cursor=[^"]+)"/)?.[1]
			?.replaceAll("&amp;", "&");
		for (let i = 0; i < 10 && page3 !== undefined; i++) {
			const html = await (await page(page3, admin)).text();
			for (const ticket of tickets(html)) all.add(ticket);
			page3 = html
				.match(/href="(\/console\/complaints\?[^"]*cursor=[^"]+)"/)?.[1]
				?.replaceAll("&amp;", "&");
		}
		expect(all.size).toBe(30);
	});

	it("lets an admin set the time limit through the form; an officer only reads it", async () => {
		const set = await post(
			"/console/complaint-settings",
			{ timeLimitDays: "4" },
			{ cookie: admin },
		);
		expect(set.status).toBe(303);
		expect(set.headers.get("location")).toBe("/console/complaints?done=1");
		const settings = await (await api("GET", "/complaint-settings")).json<{
			timeLimitDays: number;
		}>();
		expect(settings.timeLimitDays).toBe(4);
		const officerPage = await (await page("/console/complaints", officer)).text();
		expect(officerPage).toMatch(/data-testid="time-limit">4 hari kerja/);
		expect(officerPage).not.toContain('action="/console/complaint-settings"');
		const refused = await post(
			"/console/complaint-settings",
			{ timeLimitDays: "2" },
			{ cookie: officer },
		);
		expect(refused.status).toBe(403);
		const invalid = await post(
			"/console/complaint-settings",
			{ timeLimitDays: "0" },
			{ cookie: admin },
		);
		expect(invalid.status).toBe(400);
		// The API's field and message in the console's words.
		expect(await invalid.text()).toContain("Batas waktu: terlalu pendek atau terlalu kecil");
		expect(
			(await (await api("GET", "/complaint-settings")).json<{ timeLimitDays: number }>())
				.timeLimitDays,
		).toBe(4);
		await api("PUT", "/complaint-settings", { json: { timeLimitDays: 5 } });
	});

	it("refuses a complaint form posted from another origin (CSRF) and records nothing", async () => {
		const r = t.resident();
		await ownRequest(r);
		const ticket = await complainWithPhoto(r, "Berkas saya hilang di loket");
		const { id } = await complaint(ticket);
		const forged = await post(
			`/console/complaints/${id}/reply`,
			{ text: "Forged" },
			{ cookie: officer, origin: "https://evil.example" },
		);
		expect(forged.status).toBe(403);
		const closeForged = await post(
			`/console/complaints/${id}/close`,
			{},
			{ cookie: officer, origin: null },
		);
		expect(closeForged.status).toBe(403);
		const body = await complaint(ticket);
		expect(body.replies).toHaveLength(0);
		expect(body.status).toBe("open");
	});
});

describe("chats with staff (hand-offs)", () => {
	it("lists a waiting resident with requests and messages; a reply reaches them; close hands back", async () => {
		const r = t.resident();
		const request = await ownRequest(r);
		await r.say("Halo");
		await r.say("petugas");
		await r.say("Kapan akta saya jadi? Sudah dua minggu");
		const row = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
			.bind(r.id)
			.first<{ id: string }>();
		const id = String(row?.id);

		const list = await (await page("/console/handoffs", officer)).text();
		const card =
			list.split("<article").find((a) => a.includes(`/console/handoffs/${id}/reply`)) ?? "";
		expect(card).toContain("Kapan akta saya jadi? Sudah dua minggu");
		expect(card).toContain(`href="/console/requests/${request.id}">${request.ticket}</a>`);
		expect(card).not.toContain('data-testid="opted-out"');

		r.replies();
		const text = "Selamat siang, saya Rina. Akta Anda sedang diproses.";
		const replied = await post(`/console/handoffs/${id}/reply`, { text }, { cookie: officer });
		expect(replied.headers.get("location")).toBe("/console/handoffs?done=replied");
		await r.settle();
		const got = r.replies();
		expect(got.map((m) => m.type)).toEqual(["text"]);
		expect(textOf(got[0])).toContain(text);
		expect(await (await page("/console/handoffs?done=replied", officer)).text()).toContain(
			"Pesan diantrekan",
		);
		// The whole conversation, from the card's link: the resident's words and the reply, in order.
		expect(card).toContain(`href="/console/handoffs/${id}"`);
		const whole = await (await page(`/console/handoffs/${id}`, officer)).text();
		const asked = whole.indexOf("Kapan akta saya jadi? Sudah dua minggu");
		expect(asked).toBeGreaterThan(-1);
		expect(whole.indexOf("Selamat siang, saya Rina.")).toBeGreaterThan(asked);

		// Outside the 24-hour window the same form is answered the same way, and the resident gets
		// the status template first (what the page's notice says happens).
		await r.age(25 * 60 * 60 * 1000);
		const late = await post(
			`/console/handoffs/${id}/reply`,
			{ text: "Berkas Anda sudah kami cek." },
			{ cookie: officer },
		);
		expect(late.headers.get("location")).toBe("/console/handoffs?done=replied");
		await r.settle();
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);

		const closed = await post(`/console/handoffs/${id}/close`, {}, { cookie: officer });
		expect(closed.headers.get("location")).toBe("/console/handoffs?done=closed");
		const closedAt = await env.DB.prepare("SELECT resolved_at FROM handoffs WHERE id = ?")
			.bind(id)
			.first<number | null>("resolved_at");
		expect(closedAt).toEqual(expect.any(Number));
		await r.settle();
		expect(await (await page("/console/handoffs", officer)).text()).not.toContain(id);
		// Its whole conversation, closed, says who closed it in words.
		const closedWhole = await (await page(`/console/handoffs/${id}`, admin)).text();
		expect(closedWhole).toContain("Petugas officer (");
		expect(closedWhole).not.toContain("staff:");
		// The bot answers the resident again.
		expect(texts(await r.say("halo"))).toContain("Layanan apa");
		const again = await post(
			`/console/handoffs/${id}/reply`,
			{ text: "Lagi" },
			{ cookie: officer },
		);
		expect(again.status).toBe(409);
		expect(await again.text()).toContain("Obrolan ini sudah ditutup");
	});

	it("names what the resident sent that is not text (a sticker) in words, in the staff's language", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("petugas");
		await r.send(wire.sticker());
		const row = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
			.bind(r.id)
			.first<{ id: string }>();
		const id = String(row?.id);
		const cardOf = (html: string) =>
			html.split("<article").find((a) => a.includes(`/console/handoffs/${id}/reply`)) ?? "";
		const list = cardOf(await (await page("/console/handoffs", officer)).text());
		expect(list).toContain('<span class="muted">(bukan teks) stiker</span>');
		const en = cardOf(
			await (await page("/console/handoffs", `${officer}; console_lang=en`)).text(),
		);
		expect(en).toContain('<span class="muted">(not text) sticker</span>');
		const whole = await (await page(`/console/handoffs/${id}`, officer)).text();
		expect(whole).toContain('<span class="muted">(bukan teks) stiker</span>');
	});

	it("shows the opted-out flag, and is neither offered nor served to an operator", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("berhenti");
		await r.tap("Ya, berhenti");
		await r.say("petugas");
		const row = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
			.bind(r.id)
			.first<{ id: string }>();
		const list = await (await page("/console/handoffs", admin)).text();
		const card = list.split("<article").find((a) => a.includes(String(row?.id))) ?? "";
		expect(card).toContain('data-testid="opted-out"');
		const queue = await (await page("/console", operator)).text();
		expect(queue).not.toContain('href="/console/handoffs"');
		expect(queue).not.toContain('href="/console/skm"');
		expect(queue).toContain('href="/console/complaints"');
		const refused = await page("/console/handoffs", operator);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('class="problem"');
	});
});

describe("SKM", () => {
	const JAN_1 = Date.parse("2030-12-31T17:00:00Z");
	const DAY = 86_400_000;
	beforeAll(async () => {
		const answers = [
			[4, 4, 3, 3, 4, 4, 4, 3, 3],
			[3, 3, 3, 2, 3, 3, 4, 3, 3],
			[4, 3, 4, 3, 4, 4, 4, 4, null],
		];
		for (const [n, row] of answers.entries()) {
			await env.DB.prepare(
				`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at, finished_at,
				 u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion) VALUES (?, NULL, 'kk', ?, ?, ?,
				 ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
			)
				.bind(crypto.randomUUID(), AREA, JAN_1, JAN_1 + (n + 1) * DAY, ...row)
				.run();
		}
	});

	it("shows the API's figures: responses, the nine elements by name, IKM and grade", async () => {
		const period = "from=2031-01-01&to=2031-01-10";
		const skm = await (await api("GET", `/reports/skm?${period}`)).json<{
			responses: number;
			ikm: number;
			grade: { grade: string; label: string };
			elements: { code: string; average: number | null; answers: number }[];
		}>();
		expect(skm.responses).toBe(3);
		const html = await (await page(`/console/skm?${period}`, officer)).text();
		const id = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 4 });
		expect(html).toContain(`data-testid="ikm">${id.format(skm.ikm)}<`);
		expect(html).toContain(`data-testid="grade">${skm.grade.grade} (${skm.grade.label})<`);
		expect(html).toContain("<dd>3</dd>");
		const rows = html.split("<tbody>")[1]?.split("<tr") ?? [];
		expect(rows.filter((row) => row.includes("<th"))).toHaveLength(9);
		for (const e of skm.elements) {
			const row = rows.find((r) => r.includes(`>${e.code.toUpperCase()} `)) ?? "";
			expect(row).toContain(`>${e.answers}</td>`);
			expect(row).toContain(`>${e.average === null ? "—" : id.format(e.average)}</td>`);
		}
		expect(html).toContain("U1 Persyaratan");
		expect(html).toContain("U9 Penanganan pengaduan, saran dan masukan");
		// An operator is not offered the page and the API refuses it.
		const refused = await page(`/console/skm?${period}`, operator);
		expect(refused.status).toBe(403);
		expect(await refused.text()).toContain('class="problem"');
	});
});

describe("queue filters", () => {
	it("offers the areas as a select: all to an officer, an operator's own only", async () => {
		const options = (html: string) =>
			[
				...(html.split('data-testid="area-filter"')[1]?.split("</select>")[0] ?? "").matchAll(
					/<option value="([^"]*)"/g,
				),
			].map((m) => m[1]);
		const mine = options(await (await page("/console", operator)).text());
		expect(mine).toEqual(["", AREA]);
		const all = options(await (await page(`/console?kelurahan=${AREA}`, officer)).text());
		expect(all).toContain(AREA);
		expect(all).toContain(OTHER_AREA);
		expect(all.length).toBeGreaterThan(10);
		const selected = await (await page(`/console?kelurahan=${AREA}`, officer)).text();
		expect(selected).toContain(`<option value="${AREA}" selected="">`);
	});
});
