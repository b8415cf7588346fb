import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { closeComplaint, fileComplaint, recordComplaintReply } from "../../src/requests/complaints";
import { moveResident } from "../../src/requests/resident-moves";
import { submitRequest } from "../../src/requests/submit";
import { addWorkingDays } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { officeDate } from "../../src/standards/office-clock";
import { jpeg, type Resident, textOf, texts, wire, withResidents } from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";
import { conversation, PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62817000");
const AREA = "16.74.03.1001";
const OTHER_AREA = "16.74.02.1003";
const COMPLAINT_TICKET = /PBM-ADU-\d{6}-\d{4}/;
const DAY = 24 * 60 * 60 * 1000;

/** A request of this resident, filed over WhatsApp (straight into D1). */
async function ownRequest(r: Resident, area = AREA): Promise<{ id: string; ticket: string }> {
	const id = crypto.randomUUID();
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		channel: "whatsapp",
		businessId: PHONE_NUMBER_ID,
		residentId: r.id,
		residentName: "Budi",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: area,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return { id, ticket };
}

/** Files a complaint through the dialogue; returns its ticket and D1 row. */
async function complain(r: Resident, text: string) {
	await r.say("pengaduan");
	await r.say(text);
	const done = await r.tap("Kirim pengaduan");
	const ticket = texts(done).match(COMPLAINT_TICKET)?.[0] ?? "";
	const row = await env.DB.prepare("SELECT * FROM complaints WHERE ticket = ?")
		.bind(ticket)
		.first<Record<string, unknown>>();
	return { ticket, row, done };
}

/** Tells a complaint, its words then a photo, without sending it; returns the photo's key. */
async function tellWithPhoto(r: Resident, text: string): Promise<string> {
	await r.say("pengaduan");
	await r.say(text);
	const media = await r.graph.addMedia(jpeg(), "image/jpeg");
	await r.send(wire.image(media.id, media.sha256Base64));
	return String((await r.savedState()).complaint?.photo?.key);
}

/** Taps Send on the complaint being told; returns the filed complaint's words and photo key. */
async function sendKept(r: Resident) {
	const done = await r.tap("Kirim pengaduan");
	const ticket = texts(done).match(COMPLAINT_TICKET)?.[0] ?? "";
	return env.DB.prepare("SELECT body, attachment_key FROM complaints WHERE ticket = ?")
		.bind(ticket)
		.first<{ body: string; attachment_key: string | null }>();
}

interface ComplaintBody {
	id: string;
	status: string;
	text: string;
	overdue: boolean;
	requestId: string | null;
	replies: { text: string }[];
}

describe("complaints: the resident's side", () => {
	it("asks what happened, takes a photo and a ticket, gives a complaint ticket and the time limit", async () => {
		const r = t.resident();
		const request = await ownRequest(r);
		const asked = await r.say("keluhan");
		expect(texts(asked)).toContain("Ceritakan apa yang terjadi");
		const extra = await r.say(`Permohonan ${request.ticket} belum selesai padahal sudah lewat`);
		expect(textOf(extra.at(-1))).toContain("satu foto");
		const media = await r.graph.addMedia(jpeg(), "image/jpeg");
		const stored = await r.send(wire.image(media.id, media.sha256Base64));
		expect(texts(stored)).toContain("Foto diterima");
		const done = await r.tap("Kirim pengaduan");
		const ticket = texts(done).match(COMPLAINT_TICKET)?.[0];
		expect(ticket).toBeDefined();
		expect(texts(done)).toContain("5 hari kerja");
		const row = await env.DB.prepare("SELECT * FROM complaints WHERE ticket = ?")
			.bind(ticket)
			.first<Record<string, unknown>>();
		const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
		const due = addWorkingDays(calendar, officeDate(Date.now(), "Asia/Jakarta"), 5);
		expect(row).toMatchObject({
			request_id: request.id,
			area_code: AREA,
			status: "open",
			attachment_type: "image/jpeg",
			due_date: due.ok ? due.value : "",
			resident_id: r.id,
		});
		expect(String(row?.body)).toContain("belum selesai");
		expect(String(row?.attachment_key)).toMatch(/^complaints\//);
		expect(await env.FILES.head(String(row?.attachment_key))).not.toBeNull();
		// The audit row names the complaint, never its words.
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'complaint.filed' AND detail LIKE ?",
		)
			.bind(`%${String(row?.id)}%`)
			.all<{ detail: string }>();
		expect(audit.results).toHaveLength(1);
		expect(audit.results[0]?.detail).not.toContain("belum selesai");
	});

	it("links no request that is not the resident's own, and `batal` drops a complaint", async () => {
		const other = t.resident();
		const theirs = await ownRequest(other);
		const r = t.resident();
		const { row } = await complain(r, `Soal ${theirs.ticket}, pelayanan lambat`);
		expect(row).toMatchObject({ request_id: null, area_code: null });
		const before = await env.DB.prepare("SELECT count(*) AS n FROM complaints").first<{
			n: number;
		}>();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		// The word again goes on with the same complaint.
		expect(texts(await r.say("pengaduan petugasnya juga ketus"))).toContain(
			"Keterangan tambahan dicatat",
		);
		expect(texts(await r.say("batal"))).toContain("tidak jadi dikirim");
		const after = await env.DB.prepare("SELECT count(*) AS n FROM complaints").first<{
			n: number;
		}>();
		expect(after?.n).toBe(before?.n);
		// Back to the bot: free text starts the menu again.
		expect(texts(await r.say("halo"))).toContain("Layanan apa");
	});

	it("says a complaint being told is not sent when the resident types `menu`, then shows the menu", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Loket tutup sebelum jam 12");
		const left = texts(await r.say("menu"));
		expect(left).toContain("Pengaduan tidak jadi dikirim");
		expect(left).toContain("Layanan apa");
		expect(left.indexOf("tidak jadi dikirim")).toBeLessThan(left.indexOf("Layanan apa"));
		// Nothing told yet: nothing to say, the menu alone.
		await r.say("pengaduan");
		const empty = texts(await r.say("menu"));
		expect(empty).not.toContain("tidak jadi dikirim");
		expect(empty).toContain("Layanan apa");
	});

	it("takes two words that begin with a command's word as the complaint, not as the command", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		const told = texts(await r.say("Petugas kasar"));
		expect(told).toContain("satu foto");
		const { row } = await (async () => {
			const done = await r.tap("Kirim pengaduan");
			const ticket = texts(done).match(COMPLAINT_TICKET)?.[0] ?? "";
			return {
				row: await env.DB.prepare("SELECT body FROM complaints WHERE ticket = ?")
					.bind(ticket)
					.first<{ body: string }>(),
			};
		})();
		expect(row?.body).toContain("Petugas kasar");
		// A command's word alone still works there.
		await r.say("pengaduan");
		expect(texts(await r.say("batal"))).toContain("tidak jadi dikirim");
	});

	it("keeps the complaint being told when the resident asks for a person, says so, and staff read what follows", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		// A sentence that begins with the word is the complaint's text, not the command.
		expect(texts(await r.say("petugas loket 3 juga membentak saya"))).toContain(
			"Keterangan tambahan dicatat",
		);
		// The word alone asks for a person: the hand-off begins, and the resident learns that the
		// complaint was neither sent nor lost.
		const held = texts(await r.say("petugas"));
		expect(held).toContain("sudah kami teruskan ke petugas");
		expect(held).toContain("Pengaduan yang sedang Anda tulis belum terkirim; kami simpan.");
		// What follows is for the person: no word from the bot, and staff read it with the rest.
		expect(await r.say("Saya sudah antre sejak pagi")).toEqual([]);
		const handoff = await env.DB.prepare(
			"SELECT id FROM handoffs WHERE resident_id = ? AND resolved_at IS NULL",
		)
			.bind(r.id)
			.first<string>("id");
		const read = await api("GET", `/handoffs/${handoff}/messages?limit=100`);
		const lines = (await read.json<{ messages: { text: string | null }[] }>()).messages.map(
			(m) => m.text,
		);
		expect(lines).toEqual(
			expect.arrayContaining([
				"Antrean terlalu lama",
				"petugas loket 3 juga membentak saya",
				"petugas",
				"Saya sudah antre sejak pagi",
			]),
		);
		// Staff hand the chat back: the complaint is asked for again, its words kept, and sent.
		expect((await api("POST", `/handoffs/${handoff}/close`)).status).toBe(200);
		await r.settle();
		expect(texts(r.replies())).toContain("Kirim pengaduan");
		const done = await r.tap("Kirim pengaduan");
		const ticket = texts(done).match(COMPLAINT_TICKET)?.[0] ?? "";
		const row = await env.DB.prepare("SELECT body FROM complaints WHERE ticket = ?")
			.bind(ticket)
			.first<string>("body");
		expect(row).toBe("Antrean terlalu lama\npetugas loket 3 juga membentak saya");
	});

	it("`menu` after asking for a person goes back to the bot with the complaint kept, words and photo, and asks for it again", async () => {
		const r = t.resident();
		const key = await tellWithPhoto(r, "Antrean terlalu lama");
		const held = texts(await r.say("petugas"));
		expect(held).toContain("ketik *menu* untuk kembali ke asisten otomatis");
		expect(held).toContain("belum terkirim; kami simpan");
		// As the hand-off's words say: `menu`. The complaint kept is asked for again, not dropped.
		const back = await r.say("menu");
		expect(texts(back)).toContain("Pengaduan yang Anda tulis tadi belum terkirim");
		expect(texts(back)).toContain("Kirim pengaduan");
		expect(texts(back)).not.toContain("Layanan apa");
		const state = await r.savedState();
		expect(state.heldSince).toBeNull();
		expect(state.complaint?.body).toBe("Antrean terlalu lama");
		expect(await env.FILES.head(key)).not.toBeNull();
		const handoff = await env.DB.prepare("SELECT resolved_by FROM handoffs WHERE resident_id = ?")
			.bind(r.id)
			.first<string>("resolved_by");
		expect(handoff).toBe("resident");
		const row = await sendKept(r);
		expect(row).toEqual({ body: "Antrean terlalu lama", attachment_key: key });
	});

	it("`batal` after asking for a person drops the complaint kept and says so; the person still holds the chat", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		await r.say("petugas");
		expect(texts(await r.say("batal"))).toContain("Pengaduan tidak jadi dikirim");
		const state = await r.savedState();
		expect(state.complaint).toBeNull();
		expect(state.heldSince).not.toBeNull();
		expect(await r.say("Masih ada yang mau saya tanyakan")).toEqual([]);
	});

	it("words typed while the complaint is being filed wait for its ticket, then are read as the next message", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		// D1 refuses the complaint for now: the filing is retried, the complaint stays "filing".
		await env.DB.exec(
			"CREATE TRIGGER hold_complaints BEFORE INSERT ON complaints BEGIN SELECT RAISE(ABORT, 'injected'); END",
		);
		try {
			expect(texts(await r.tap("Kirim pengaduan"))).toContain("sedang kami catat");
			expect((await r.savedState()).phase).toEqual({ name: "complaint", step: "filing" });
			// Not answered "sedang kami catat" and forgotten: the message waits behind the filing.
			expect(await r.say("Loketnya nomor 3")).toEqual([]);
		} finally {
			await env.DB.exec("DROP TRIGGER hold_complaints");
		}
		await r.fastForward();
		const after = r.replies();
		expect(texts(after)).toMatch(COMPLAINT_TICKET);
		// Then the words, handled as any message after a complaint: the bot's menu.
		expect(textOf(after.at(-1))).toContain("Layanan apa");
		expect(texts(after)).not.toContain("sedang kami catat");
	});

	it("lets go of a complaint with nothing told yet when the resident asks for a person instead", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		const held = texts(await r.say("petugas"));
		expect(held).toContain("sudah kami teruskan ke petugas");
		expect(held).not.toContain("Pengaduan");
		expect((await r.savedState()).complaint).toBeNull();
		const handoff = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
			.bind(r.id)
			.first<string>("id");
		await api("POST", `/handoffs/${handoff}/close`);
		await r.settle();
		// After the staff's conversation the bot does not ask for a complaint the resident never began.
		const back = texts(r.replies());
		expect(back).toContain("Percakapan dengan petugas selesai");
		expect(back).not.toContain("Ceritakan apa yang terjadi");
	});

	it("goes on with the complaint being told, words and photo, when `pengaduan` comes after `berhenti`", async () => {
		const r = t.resident();
		const key = await tellWithPhoto(r, "Antrean terlalu lama");
		expect(texts(await r.say("berhenti"))).toContain("Berhenti menerima pesan");
		const back = texts(await r.say("pengaduan"));
		expect(back).toContain("Kirim pengaduan");
		const row = await sendKept(r);
		expect(row).toEqual({ body: "Antrean terlalu lama", attachment_key: key });
		expect(await env.FILES.head(key)).not.toBeNull();
	});

	it("drops a complaint left untold for a week, with its photo, and says nothing", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		const media = await r.graph.addMedia(jpeg(), "image/jpeg");
		expect(texts(await r.send(wire.image(media.id, media.sha256Base64)))).toContain(
			"Foto diterima",
		);
		const photo = async () => (await r.savedState()).complaint?.photo?.key;
		const key = String(await photo());
		expect(key).toMatch(/^complaints\//);
		expect(await env.FILES.head(key)).not.toBeNull();
		r.replies();

		// Six quiet days: still there, to be finished.
		await r.age(6 * DAY);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		expect(await env.FILES.head(key)).not.toBeNull();
		// Eight: dropped, the photo deleted (nothing else would ever delete it), no message.
		await r.age(2 * DAY);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		expect(await photo()).toBeUndefined();
		expect(await env.FILES.head(key)).toBeNull();
		expect(r.replies()).toEqual([]);
		// The resident writes again: the bot's menu, not the old complaint.
		expect(texts(await r.say("halo"))).toContain("Layanan apa");
	});

	it("files once however often the job runs (same id: same ticket, one row, one audit row)", async () => {
		const input = {
			id: crypto.randomUUID(),
			officeCode: "PBM",
			timeZone: "Asia/Jakarta",
			conversation: `${PHONE_NUMBER_ID}:6281700000999`,
			businessId: PHONE_NUMBER_ID,
			residentId: "6281700000999",
			body: "Petugas tidak ramah",
			at: Date.now(),
			dueDate: "2026-12-09",
		};
		const first = await fileComplaint(env.DB, input);
		const again = await fileComplaint(env.DB, { ...input, at: input.at + 5000 });
		expect(again).toEqual(first);
		const rows = await env.DB.prepare("SELECT count(*) AS n FROM complaints WHERE id = ?")
			.bind(input.id)
			.first<{ n: number }>();
		expect(rows?.n).toBe(1);
		const audits = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'complaint.filed' AND detail LIKE ?",
		)
			.bind(`%${input.id}%`)
			.first<{ n: number }>();
		expect(audits?.n).toBe(1);
	});

	it("follows the resident to a new number, so staff's answers reach them there", async () => {
		const input = {
			id: crypto.randomUUID(),
			officeCode: "PBM",
			timeZone: "Asia/Jakarta",
			conversation: `${PHONE_NUMBER_ID}:6281700000777`,
			businessId: PHONE_NUMBER_ID,
			residentId: "6281700000777",
			body: "Nomor saya akan berganti",
			at: Date.now(),
			dueDate: "2026-12-09",
		};
		await fileComplaint(env.DB, input);
		await moveResident(env.DB, {
			businessId: PHONE_NUMBER_ID,
			from: "6281700000777",
			to: "6281700000778",
			at: Date.now(),
			kind: "number_changed",
		});
		const row = await env.DB.prepare(
			"SELECT conversation, resident_id FROM complaints WHERE id = ?",
		)
			.bind(input.id)
			.first();
		expect(row).toEqual({
			conversation: `${PHONE_NUMBER_ID}:6281700000778`,
			resident_id: "6281700000778",
		});
	});

	it("uses the admin's time limit for complaints filed after the change", async () => {
		const officer = await createStaff("officer");
		const refused = await api("PUT", "/complaint-settings", {
			token: officer.token,
			json: { timeLimitDays: 3 },
		});
		expect(refused.status).toBe(403);
		const invalid = await api("PUT", "/complaint-settings", { json: { timeLimitDays: 0 } });
		expect(invalid.status).toBe(400);
		expect(invalid.headers.get("content-type")).toBe("application/problem+json");
		expect(JSON.stringify(await invalid.json())).toContain("body.timeLimitDays");
		const set = await api("PUT", "/complaint-settings", { json: { timeLimitDays: 3 } });
		expect(set.status).toBe(200);
		expect(await set.json()).toMatchObject({ timeLimitDays: 3, updatedBy: "bootstrap-admin" });
		try {
			const r = t.resident();
			const { done, row } = await complain(r, "Berkas saya hilang");
			expect(texts(done)).toContain("3 hari kerja");
			const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
			const due = addWorkingDays(calendar, officeDate(Date.now(), "Asia/Jakarta"), 3);
			expect(row?.due_date).toBe(due.ok ? due.value : "");
		} finally {
			await api("PUT", "/complaint-settings", { json: { timeLimitDays: 5 } });
		}
	});
});

describe("complaints: the staff's side", () => {
	it("round trip in the window: listed, read, answered (the resident gets it), closed", async () => {
		const r = t.resident();
		const { ticket, row } = await complain(r, "KTP saya belum jadi");
		const id = String(row?.id);
		const list = await api("GET", "/complaints?status=open&limit=100");
		expect(list.status).toBe(200);
		const listed = await list.json<{ complaints: { ticket: string }[] }>();
		expect(listed.complaints.map((c) => c.ticket)).toContain(ticket);
		const detail = await api("GET", `/complaints/${ticket}`);
		expect(await detail.json()).toMatchObject({ id, text: "KTP saya belum jadi", replies: [] });
		r.replies();
		const reply = await api("POST", `/complaints/${id}/reply`, {
			json: { text: "KTP Anda bisa diambil besok." },
		});
		expect(reply.status).toBe(202);
		await r.settle();
		const got = r.replies();
		expect(got.map((m) => m.type)).toEqual(["text"]);
		expect(textOf(got[0])).toContain(`Jawaban atas pengaduan *${ticket}*`);
		expect(textOf(got[0])).toContain("KTP Anda bisa diambil besok.");
		const answered = await (await api("GET", `/complaints/${id}`)).json<ComplaintBody>();
		expect(answered.status).toBe("answered");
		expect(answered.replies.map((x) => x.text)).toEqual(["KTP Anda bisa diambil besok."]);
		const closed = await api("POST", `/complaints/${id}/close`);
		expect(closed.status).toBe(200);
		expect(await closed.json()).toMatchObject({ status: "closed", closedBy: "bootstrap-admin" });
		expect((await api("POST", `/complaints/${id}/close`)).status).toBe(200);
		const late = await api("POST", `/complaints/${id}/reply`, { json: { text: "Lagi" } });
		expect(late.status).toBe(409);
		expect(late.headers.get("content-type")).toBe("application/problem+json");
		// Audit rows carry ids, never the words.
		const audit = await env.DB.prepare(
			"SELECT action, detail FROM audit_log WHERE detail LIKE ? ORDER BY at",
		)
			.bind(`%${id}%`)
			.all<{ action: string; detail: string }>();
		expect(audit.results.map((a) => a.action)).toEqual(
			expect.arrayContaining([
				"complaint.filed",
				"complaint.view",
				"complaint.reply",
				"complaint.close",
			]),
		);
		expect(JSON.stringify(audit.results)).not.toContain("KTP");
	});

	it("tells the resident an answer once however often it is handed to their conversation", async () => {
		const r = t.resident();
		const { ticket, row } = await complain(r, "Berkas tertukar");
		r.replies();
		const reply = {
			replyId: crypto.randomUUID(),
			complaintId: String(row?.id),
			ticket,
			text: "Sudah kami perbaiki.",
		};
		await conversation(r.id).complaintReply(reply);
		await conversation(r.id).complaintReply(reply);
		await r.settle();
		expect(r.replies().map(textOf)).toEqual([
			`Jawaban atas pengaduan *${ticket}*:\nSudah kami perbaiki.`,
		]);
	});

	it("round trip outside the window: the status template first, the answer when the resident writes", async () => {
		const r = t.resident();
		const { ticket, row } = await complain(r, "Antrean di kantor terlalu lama");
		r.replies();
		await r.age(25 * 60 * 60 * 1000);
		const reply = await api("POST", `/complaints/${String(row?.id)}/reply`, {
			json: { text: "Kami tambah loket mulai Senin." },
		});
		expect(reply.status).toBe(202);
		await r.settle();
		const nudge = r.replies();
		expect(nudge.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(nudge[0]?.body)).toContain(`${ticket}: Jawaban pengaduan`);
		expect(texts(nudge)).not.toContain("loket");
		await r.say("halo");
		expect(texts(r.sent())).toContain("Kami tambah loket mulai Senin.");
	});

	it("shows a complaint about a request to that request's area only; others to admins and officers", async () => {
		const r = t.resident();
		const request = await ownRequest(r);
		const about = await complain(r, `Soal ${request.ticket}: berkas ditolak tanpa alasan`);
		const general = await complain(t.resident(), "Toilet kantor kotor");
		const own = await createStaff("kelurahan", AREA);
		const other = await createStaff("kelurahan", OTHER_AREA);
		const officer = await createStaff("officer");
		const ids = async (token: string) =>
			(
				await (
					await api("GET", "/complaints?limit=100", { token })
				).json<{
					complaints: { id: string }[];
				}>()
			).complaints.map((c) => c.id);
		const aboutId = String(about.row?.id);
		const generalId = String(general.row?.id);
		expect(await ids(own.token)).toContain(aboutId);
		expect(await ids(own.token)).not.toContain(generalId);
		expect(await ids(other.token)).not.toContain(aboutId);
		expect(await ids(officer.token)).toEqual(expect.arrayContaining([aboutId, generalId]));
		expect((await api("GET", `/complaints/${aboutId}`, { token: own.token })).status).toBe(200);
		const hidden = await api("GET", `/complaints/${aboutId}`, { token: other.token });
		expect(hidden.status).toBe(404);
		expect((await api("GET", `/complaints/${generalId}`, { token: own.token })).status).toBe(404);
		const byRequest = await api("GET", `/complaints?request=${request.id}`, { token: own.token });
		expect(
			(await byRequest.json<{ complaints: { id: string }[] }>()).complaints.map((c) => c.id),
		).toEqual([aboutId]);
		// Kelurahan operators read; answering is for admins and officers.
		const refused = await api("POST", `/complaints/${aboutId}/reply`, {
			token: own.token,
			json: { text: "Halo" },
		});
		expect(refused.status).toBe(403);
	});

	it("keeps an answer that was on its way when a colleague closed the complaint", async () => {
		const { row } = await complain(t.resident(), "Loket tutup lebih awal");
		const id = String(row?.id);
		await closeComplaint(env.DB, id, "staff-b");
		// The reply handler queued the answer before the close and records it after.
		const replyId = crypto.randomUUID();
		const answer = { id: replyId, complaintId: id, actor: "staff-a", body: "Maaf, sudah ditegur." };
		expect(await recordComplaintReply(env.DB, answer)).toBe(true);
		expect(await recordComplaintReply(env.DB, answer)).toBe(false);
		const body = await (await api("GET", `/complaints/${id}`)).json<
			ComplaintBody & { answeredAt: number | null }
		>();
		expect(body.status).toBe("closed");
		expect(body.replies.map((x) => x.text)).toEqual(["Maaf, sudah ditegur."]);
		expect(body.answeredAt).not.toBeNull();
		const audited = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'complaint.reply' AND detail LIKE ?",
		)
			.bind(`%${replyId}%`)
			.first<{ n: number }>();
		expect(audited?.n).toBe(1);
	});

	it("lists the overdue ones: unanswered past their due date", async () => {
		const late = await complain(t.resident(), "Belum ada jawaban");
		const fresh = await complain(t.resident(), "Baru saja");
		await env.DB.prepare("UPDATE complaints SET due_date = '2020-01-02' WHERE id = ?")
			.bind(String(late.row?.id))
			.run();
		const res = await api("GET", "/complaints?overdue=true&limit=100");
		const body = await res.json<{ complaints: { id: string; overdue: boolean }[] }>();
		const overdueIds = body.complaints.map((c) => c.id);
		expect(overdueIds).toContain(String(late.row?.id));
		expect(overdueIds).not.toContain(String(fresh.row?.id));
		expect(body.complaints.every((c) => c.overdue)).toBe(true);
		const bad = await api("GET", "/complaints?overdue=maybe");
		expect(bad.status).toBe(400);
	});
});
