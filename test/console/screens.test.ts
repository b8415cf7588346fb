import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { wordsOf } from "../../src/console/i18n";
import { submitRequest } from "../../src/requests/submit";
import { page, post, signIn } from "../helpers/console";
import { withResidents } from "../helpers/resident";
import { ADMIN, createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/**
 * The console's screens against the real staff API: each page shows what the API answers for the
 * signed-in member, and each form's action is the API's own (roles, 409s, audit included).
 */
const AREA = "16.74.03.1001";
const OTHER_AREA = "16.74.02.1003";
const NIK = "1674015203900001";
const t = withResidents("62811950");
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

let seq = 0;
/** A Legalisir request with a PDF and a photo in R2, in `status`. */
async function seedRequest(status: string, area = AREA, name = "Siti Aminah", residentId?: string) {
	seq++;
	const id = `console-${seq}-${crypto.randomUUID()}`;
	const files = [
		{ bytes: PDF, type: "application/pdf", ext: "pdf" },
		{ bytes: PNG, type: "image/png", ext: "png" },
	];
	const attachments = [];
	for (const [n, file] of files.entries()) {
		const key = `requests/${id}/dokumen_legalisir/m${n}`;
		await env.FILES.put(key, file.bytes, { httpMetadata: { contentType: file.type } });
		const digest = await crypto.subtle.digest("SHA-256", file.bytes);
		attachments.push({
			docCode: "dokumen_legalisir",
			key,
			mimeType: file.type,
			size: file.bytes.byteLength,
			sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""),
			fileName: `scan.${file.ext}`,
		});
	}
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		channel: "kelurahan",
		submittedBy: "op",
		// Filed with the resident's WhatsApp number: their chat is told.
		...(residentId ? { businessId: PHONE_NUMBER_ID, residentId } : {}),
		residentName: name,
		nik: NIK,
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: area,
		language: "id",
		attachments,
		submittedAt: Date.now(),
	});
	await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?").bind(status, id).run();
	return { id, ticket };
}

let admin = "";
let officer = { id: "", cookie: "" };
let operator = "";
beforeAll(async () => {
	admin = await signIn(ADMIN);
	const o = await createStaff("officer");
	officer = { id: o.id, cookie: await signIn(o.token) };
	operator = await signIn((await createStaff("kelurahan", AREA)).token);
});

describe("queue", () => {
	it("lists requests with counts per status and the WhatsApp window, filtered by the API", async () => {
		const mine = await seedRequest("in_review", AREA, "Queue Resident");
		const theirs = await seedRequest("in_review", OTHER_AREA, "Other Area Resident");
		const html = await (await page("/console?status=in_review", officer.cookie)).text();
		expect(html).toContain(mine.ticket);
		expect(html).toContain(theirs.ticket);
		expect(html).toContain("Sedang diperiksa: <b>");
		expect(html).toContain("lewat kelurahan");
		// A kelurahan operator sees their area only: the API's scoping, not the console's.
		const scoped = await (await page("/console?status=in_review", operator)).text();
		expect(scoped).toContain(mine.ticket);
		expect(scoped).not.toContain(theirs.ticket);
		// Listing is not opening: the queue writes its list audit row, never a view per request.
		const views = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'request.view' AND request_id IN (?, ?)",
		)
			.bind(mine.id, theirs.id)
			.first<number>("n");
		expect(views).toBe(0);
	});

	it("searches a NIK through a POST body, never a URL, and shows a bad filter's problem", async () => {
		const { ticket } = await seedRequest("submitted", AREA, "Nik Search");
		const res = await post("/console/search", { term: NIK }, { cookie: officer.cookie });
		expect(res.status).toBe(200);
		expect(await res.text()).toContain(ticket);
		const bad = await page(`/console?q=${NIK}`, officer.cookie);
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain("NIK atau nomor HP dicari di kotak pencarian NIK.");
	});
});

describe("queue search", () => {
	it("searches by POST only, keeps the filters, and pages past 20 results with the API's cursor", async () => {
		const queue = await (await page("/console", officer.cookie)).text();
		// No GET box: a NIK typed into it would have reached the URL before the API refused it.
		expect(queue).not.toContain('name="q"');
		const tickets = new Set<string>();
		for (let i = 0; i < 21; i++)
			tickets.add((await seedRequest("submitted", AREA, "Halaman Warga")).ticket);
		const first = await post(
			"/console/search",
			{ term: "Halaman Warga", status: "submitted" },
			{ cookie: officer.cookie },
		);
		expect(first.status).toBe(200);
		const html = await first.text();
		expect(html).toContain('value="Halaman Warga"');
		const cursor = /name="cursor" value="([^"]+)"/.exec(html)?.[1];
		expect(cursor).toBeDefined();
		expect(html).toMatch(/<input type="hidden" name="status" value="submitted"/);
		const second = await post(
			"/console/search",
			{
				term: "Halaman Warga",
				status: "submitted",
				cursor: (cursor ?? "").replaceAll("&amp;", "&"),
			},
			{ cookie: officer.cookie },
		);
		const rest = await second.text();
		const shown = [...`${html}${rest}`.matchAll(/>(PBM-\d{6}-\d{4})</g)].map((m) => m[1]);
		for (const ticket of tickets) expect(shown).toContain(ticket);
	});
});

describe("request screen", () => {
	it("shows the checklist with each file inline through the audited file route", async () => {
		const { id, ticket } = await seedRequest("submitted");
		const html = await (await page(`/console/requests/${ticket}`, officer.cookie)).text();
		expect(html).toContain(ticket);
		expect(html).toContain(NIK);
		const hrefs = [...html.matchAll(/href="(\/console\/requests\/[^"]+\/files\/[^"]+)"/g)].map(
			(m) => m[1] ?? "",
		);
		expect(new Set(hrefs).size).toBe(2);
		expect(html).toMatch(/<img src="\/console\/requests\/[^"]+\/files\//);
		for (const href of new Set(hrefs)) {
			const file = await page(href.replaceAll("&amp;", "&"), officer.cookie);
			expect(file.status).toBe(200);
			expect(file.headers.get("content-disposition")).toMatch(/^inline/);
			expect(["application/pdf", "image/png"]).toContain(file.headers.get("content-type"));
			await file.arrayBuffer();
		}
		const views = await env.DB.prepare(
			"SELECT COUNT(*) AS n FROM audit_log WHERE action = 'attachment.view' AND request_id = ? AND actor = ?",
		)
			.bind(id, `staff:${officer.id}`)
			.first<{ n: number }>();
		expect(views?.n).toBe(2);
	});

	it("asks for a revision with the ticked documents, through the API", async () => {
		const { id, ticket } = await seedRequest("in_review");
		const res = await post(
			`/console/requests/${id}/transition`,
			{
				to: "needs_revision",
				version: "1",
				documents: ["dokumen_legalisir"],
				reason: "Foto buram",
			},
			{ cookie: officer.cookie },
		);
		expect(res.status).toBe(303);
		// Filed at the kelurahan without a number, by an operator with none: nobody was told over
		// WhatsApp, and the screen says so (staff tell the resident themselves).
		expect(res.headers.get("location")).toBe(`/console/requests/${id}?done=untold`);
		const row = await env.DB.prepare("SELECT status FROM requests WHERE id = ?")
			.bind(id)
			.first<{ status: string }>();
		expect(row?.status).toBe("needs_revision");
		const html = await (
			await page(`/console/requests/${ticket}?done=untold`, officer.cookie)
		).text();
		expect(html).toContain("Perlu perbaikan");
		expect(html).toContain("Foto buram");
		expect(html).toContain("beri tahu warga sendiri");
		expect(html).not.toContain(">Tersimpan.<");
	});

	it("says only that it saved when the resident was told over WhatsApp", async () => {
		const r = t.resident();
		const { id, ticket } = await seedRequest("submitted", AREA, "Siti Aminah", r.id);
		const res = await post(
			`/console/requests/${id}/transition`,
			{ to: "in_review", version: "1" },
			{ cookie: officer.cookie },
		);
		expect(res.headers.get("location")).toBe(`/console/requests/${id}?done=1`);
		const html = await (await page(`/console/requests/${ticket}?done=1`, officer.cookie)).text();
		expect(html).toContain("Tersimpan.");
		expect(html).not.toContain("beri tahu warga sendiri");
		await r.settle();
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);
	});

	it("shows a 409 (moved meanwhile) as such, with a reload link", async () => {
		const { id } = await seedRequest("submitted");
		await env.DB.prepare("UPDATE requests SET version = version + 1 WHERE id = ?").bind(id).run();
		const res = await post(
			`/console/requests/${id}/transition`,
			{ to: "in_review", version: "1" },
			{ cookie: officer.cookie },
		);
		expect(res.status).toBe(409);
		const html = await res.text();
		expect(html).toContain("baru saja diubah orang lain");
		expect(html).toContain(`href="/console/requests/${id}"`);
	});

	it("headlines a 409 by its kind: no WhatsApp, window closed; 'changed by someone else' only for a conflict", async () => {
		const filed = await seedRequest("in_review");
		const noWhatsapp = await post(
			`/console/requests/${filed.id}/message`,
			{ text: "Berkas Anda sudah kami terima." },
			{ cookie: officer.cookie },
		);
		expect(noWhatsapp.status).toBe(409);
		const html = await noWhatsapp.text();
		expect(html).toContain("Warga ini tidak bisa dihubungi lewat WhatsApp.");
		expect(html).not.toContain("diubah orang lain");
		const r = t.resident();
		const chat = await seedRequest("in_review", AREA, "Siti Aminah", r.id);
		const closed = await post(
			`/console/requests/${chat.id}/message`,
			{ text: "Berkas Anda sudah kami terima." },
			{ cookie: officer.cookie },
		);
		expect(closed.status).toBe(409);
		const closedHtml = await closed.text();
		expect(closedHtml).toContain("Jendela 24 jam WhatsApp tertutup");
		expect(closedHtml).not.toContain("diubah orang lain");
	});

	it("keeps what was typed when an action fails, with the problem above its form", async () => {
		const moved = await seedRequest("in_review");
		await env.DB.prepare("UPDATE requests SET version = version + 1 WHERE id = ?")
			.bind(moved.id)
			.run();
		const revision = await post(
			`/console/requests/${moved.id}/transition`,
			{
				to: "needs_revision",
				version: "1",
				documents: ["dokumen_legalisir"],
				reason: "Cap legalisir pada halaman dua tidak terbaca",
			},
			{ cookie: officer.cookie },
		);
		expect(revision.status).toBe(409);
		const html = await revision.text();
		const section = html.split('id="revision"')[1] ?? "";
		expect(section).toContain("baru saja diubah orang lain");
		expect(section).toContain('value="Cap legalisir pada halaman dua tidak terbaca"');
		expect(section).toMatch(/value="dokumen_legalisir" checked=""/);
		// The page answered a POST: its language switch leads to the request's page, which exists.
		expect(html).toContain(
			`href="/console/lang/en?back=${encodeURIComponent(`/console/requests/${moved.id}`)}"`,
		);
		// A message refused (the window closed): its text and once-key come back.
		const chat = await seedRequest("in_review", AREA, "Siti Aminah", t.resident().id);
		const once = crypto.randomUUID();
		const text = "Mohon bawa KTP asli saat mengambil dokumen hari Senin.";
		const message = await post(
			`/console/requests/${chat.id}/message`,
			{ text, once },
			{ cookie: officer.cookie },
		);
		expect(message.status).toBe(409);
		const box = (await message.text()).split('id="message"')[1] ?? "";
		expect(box).toContain("Jendela 24 jam WhatsApp tertutup");
		expect(box).toContain(`>${text}</textarea>`);
		expect(box).toContain(`value="${once}"`);
	});

	it("disables messaging with the reason when the window is closed, and shows no actions to an operator", async () => {
		const { ticket } = await seedRequest("submitted", AREA, "Siti Aminah", t.resident().id);
		const html = await (await page(`/console/requests/${ticket}`, officer.cookie)).text();
		expect(html).toMatch(/<button type="submit" disabled="">Kirim<\/button>/);
		expect(html).toContain("Jendela 24 jam WhatsApp tertutup");
		const scoped = await (await page(`/console/requests/${ticket}`, operator)).text();
		expect(scoped).not.toContain("/transition");
		// A forged post from an operator is the API's 403 (audited as denied).
		const { id } = await seedRequest("submitted");
		const denied = await post(
			`/console/requests/${id}/transition`,
			{ to: "in_review" },
			{ cookie: operator },
		);
		expect(denied.status).toBe(403);
	});

	it("offers no pick-up form and no message for a request without a WhatsApp recipient, and says why", async () => {
		// A printed card (KTP-el) filed at the kelurahan without the resident's number.
		const card = await seedRequest("processing");
		await env.DB.prepare(
			"UPDATE requests SET service_code = 'ktp_el', variant_code = 'rusak' WHERE id = ?",
		)
			.bind(card.id)
			.run();
		const html = await (await page(`/console/requests/${card.ticket}`, officer.cookie)).text();
		expect(html).toContain("Tempat dan waktu pengambilan");
		expect(html).not.toContain(`/console/requests/${card.id}/pickup`);
		expect(html).toMatch(/data-testid="pickup-why">[^<]*tidak punya penerima WhatsApp/);
		expect(html).toMatch(/data-testid="message-why">[^<]*tidak punya penerima WhatsApp/);
		expect(html).not.toContain("Jendela 24 jam WhatsApp tertutup");
		// With the resident's chat, the pick-up form is there.
		const chat = await seedRequest("processing", AREA, "Siti Aminah", t.resident().id);
		await env.DB.prepare(
			"UPDATE requests SET service_code = 'ktp_el', variant_code = 'rusak' WHERE id = ?",
		)
			.bind(chat.id)
			.run();
		const reachable = await (await page(`/console/requests/${chat.ticket}`, officer.cookie)).text();
		expect(reachable).toContain(`action="/console/requests/${chat.id}/pickup"`);
	});

	it("uploads the finished PDF, then completes the request", async () => {
		const { id } = await seedRequest("processing");
		const form = new FormData();
		form.append("file", new File([PDF], "hasil.pdf", { type: "application/pdf" }));
		const res = await post(`/console/requests/${id}/result`, form, { cookie: officer.cookie });
		expect(res.status).toBe(303);
		const stored = await env.DB.prepare(
			"SELECT COUNT(*) AS n FROM audit_log WHERE request_id = ? AND action LIKE 'result%'",
		)
			.bind(id)
			.first<{ n: number }>();
		expect(stored?.n).toBeGreaterThan(0);
		const done = await post(
			`/console/requests/${id}/transition`,
			{ to: "completed" },
			{ cookie: officer.cookie },
		);
		expect(done.status).toBe(303);
		const notPdf = new FormData();
		notPdf.append("file", new File([PNG], "x.png", { type: "image/png" }));
		const refused = await post(`/console/requests/${id}/result`, notPdf, {
			cookie: officer.cookie,
		});
		expect(refused.status).toBe(415);
	});
});

describe("the console's words for the API's codes", () => {
	it("names services, roles, channels, NIK warnings, groupings and who acted, not their codes", async () => {
		const { id, ticket } = await seedRequest("submitted", AREA, "Kode Resident");
		await env.DB.prepare("UPDATE requests SET nik_warnings = '[\"impossible_date\"]' WHERE id = ?")
			.bind(id)
			.run();
		const queue = await (
			await page(`/console?q=${encodeURIComponent("Kode Resident")}`, officer.cookie)
		).text();
		expect(queue).toContain('<td data-label="Layanan">Legalisir</td>');
		expect(queue).toContain("(petugas kantor)");
		const moved = await post(
			`/console/requests/${id}/transition`,
			{ to: "in_review", version: "1" },
			{ cookie: officer.cookie },
		);
		expect(moved.status).toBe(303);
		const mine = await (await page(`/console/requests/${ticket}`, officer.cookie)).text();
		expect(mine).toContain("<dd>diajukan di kelurahan</dd>");
		expect(mine).toContain("tanggal lahir dalam NIK tidak ada di kalender");
		expect(mine).toContain("(Petugas officer (Anda))");
		expect(mine).not.toContain(`staff:${officer.id}`);
		// An admin reads the staff list: the officer by name.
		const theirs = await (await page(`/console/requests/${ticket}`, admin)).text();
		expect(theirs).toContain("(Petugas officer)");
		const staffPage = await (await page("/console/staff", admin)).text();
		expect(staffPage).toContain('<option value="kelurahan">operator kelurahan</option>');
		const reports = await (await page("/console/reports", admin)).text();
		expect(reports).toContain('<option value="channel">Saluran</option>');
		// The complaints' due column is "Batas jawab", not the filing ticket's "Perkiraan selesai"
		// (two screens' words once shared a key, and the later spread won).
		expect(wordsOf("id").dueBy).toBe("Batas jawab");
		expect(wordsOf("id").expectedBy).toBe("Perkiraan selesai");
	});
});

describe("admin screens", () => {
	it("creates a member with the token shown once, rotates and revokes it", async () => {
		const created = await post(
			"/console/staff",
			{ name: "Rina Console", role: "officer", expiresInDays: "30" },
			{ cookie: admin },
		);
		expect(created.status).toBe(201);
		const html = await created.text();
		const token = /data-testid="new-token">(dks_[\w-]+)</.exec(html)?.[1] ?? "";
		expect(token).not.toBe("");
		expect(html).toContain("data-copy=");
		// The new token works, and the list never shows it again.
		await signIn(token);
		const list = await (await page("/console/staff", admin)).text();
		expect(list).toContain("Rina Console");
		expect(list).not.toContain(token);
		const row = await env.DB.prepare("SELECT id FROM staff WHERE name = 'Rina Console'").first<{
			id: string;
		}>();
		const rotated = await post(`/console/staff/${row?.id}/rotate`, {}, { cookie: admin });
		expect(rotated.status).toBe(200);
		expect(await rotated.text()).toMatch(/data-testid="new-token">dks_/);
		const revoked = await post(`/console/staff/${row?.id}/revoke`, {}, { cookie: admin });
		expect(revoked.status).toBe(303);
		expect(await (await page("/console/staff", admin)).text()).toContain("dicabut");
	});

	it("creates a member once when the creation form is posted again (a refreshed page)", async () => {
		const form = await (await page("/console/staff", admin)).text();
		const once = /name="once" value="([0-9a-f-]{36})"/.exec(form)?.[1] ?? "";
		expect(once).not.toBe("");
		const fields = { name: "Dedi Sekali", role: "officer", expiresInDays: "30", once };
		expect((await post("/console/staff", fields, { cookie: admin })).status).toBe(201);
		const again = await post("/console/staff", fields, { cookie: admin });
		expect(again.status).toBe(409);
		const html = await again.text();
		expect(html).toContain("Petugas ini sudah dibuat oleh kiriman sebelumnya.");
		expect(html).not.toContain('data-testid="new-token"');
		const { n } = (await env.DB.prepare(
			"SELECT count(*) AS n FROM staff WHERE name = 'Dedi Sekali'",
		).first<{ n: number }>()) ?? { n: -1 };
		expect(n).toBe(1);
	});

	it("refuses the admin screens to an officer with the API's 403", async () => {
		for (const path of [
			"/console/staff",
			"/console/audit",
			"/console/dead-letters",
			"/console/account-alerts",
		]) {
			const res = await page(path, officer.cookie);
			expect(res.status).toBe(403);
			expect(await res.text()).toContain("Tidak diizinkan.");
		}
	});

	it("shows the account's alerts in words, the refused token's with what to do", async () => {
		await env.DB.prepare(
			`INSERT INTO account_alerts (fingerprint, received_at, account_id, field, event, detail)
			 VALUES ('screens-token', ?, '106540352242922', 'access_token', 'TOKEN_REFUSED', ?)`,
		)
			.bind(Date.now(), JSON.stringify({ httpStatus: 401, code: 190, action: "Rotate it." }))
			.run();
		const res = await page("/console/account-alerts", admin);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("Peringatan akun");
		expect(html).toContain("token akses ditolak Meta");
		expect(html).toContain("TOKEN_REFUSED");
		expect(html).toContain("<dd>190</dd>");
		expect(html).toContain("<dd>Rotate it.</dd>");
		// Meta's nested detail in words a person reads, not JSON.
		await env.DB.prepare(
			`INSERT INTO account_alerts (fingerprint, received_at, account_id, field, event, detail)
			 VALUES ('screens-restriction', ?, '102290129340398', 'account_update', 'ACCOUNT_RESTRICTION', ?)`,
		)
			.bind(
				Date.now() + 1,
				JSON.stringify({
					restriction_info: [
						{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: 1 },
					],
				}),
			)
			.run();
		const restricted = await (await page("/console/account-alerts", admin)).text();
		expect(restricted).toContain(
			"<dd>restriction_type: RESTRICTED_BIZ_INITIATED_MESSAGING, expiration: 1</dd>",
		);
		expect(html).toContain('href="/console/account-alerts"');
	});

	it("pages through the dead letters, 50 at a time, to the oldest", async () => {
		const at = Date.now() - 60_000;
		await env.DB.batch(
			Array.from({ length: 55 }, (_, i) =>
				env.DB.prepare(
					`INSERT INTO dead_letters (id, conversation, kind, request_id, error, attempts,
						first_attempt_at, last_attempt_at, state) VALUES (?, 'x', 'notice', NULL, ?, 12, ?, ?, 'open')`,
				).bind(`paged-letter-${i}`, `paged-error-${i}.`, at, at - i),
			),
		);
		const first = await (await page("/console/dead-letters", admin)).text();
		const next = /href="(\/console\/dead-letters\?cursor=[^"]+)"/.exec(first)?.[1] ?? "";
		expect(next).not.toBe("");
		const second = await (await page(next.replaceAll("&amp;", "&"), admin)).text();
		const shown = (html: string) => [...html.matchAll(/paged-error-(\d+)\./g)].map((m) => m[1]);
		// Newest failure first; together the two pages show each letter once.
		expect(shown(first)[0]).toBe("0");
		expect(shown(second).at(-1)).toBe("54");
		expect(new Set([...shown(first), ...shown(second)]).size).toBe(55);
		expect(shown(first).length + shown(second).length).toBe(55);
		// Each letter's kind and state in words, its code beside it for the API's list.
		expect(first).toContain('menyampaikan pemberitahuan <code class="muted">notice</code>');
		expect(first).toContain("menunggu");
	});

	it("shows the audit log, the dead letters and the reports with their CSV", async () => {
		const audit = await page("/console/audit?action=console.sign_in", admin);
		expect(audit.status).toBe(200);
		expect(await audit.text()).toContain("console.sign_in");
		expect((await page("/console/dead-letters", admin)).status).toBe(200);
		const reports = await page(
			"/console/reports?from=2026-01-01&to=2026-12-31&groupBy=service",
			admin,
		);
		expect(reports.status).toBe(200);
		const html = await reports.text();
		expect(html).toContain("Unduh CSV");
		const csv = await page(
			"/console/reports/requests.csv?from=2026-01-01&to=2026-12-31&delimiter=%3B",
			admin,
		);
		expect(csv.status).toBe(200);
		expect(csv.headers.get("content-type")).toContain("text/csv");
		expect(await csv.text()).toContain(";");
	});
});
