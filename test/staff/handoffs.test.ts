import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DialogueState } from "../../src/conversation/dialogue";
import { expireHandoff, handoffAnswerBy } from "../../src/requests/handoffs";
import { submitRequest } from "../../src/requests/submit";
import { purgeExpired } from "../../src/scheduled/retention";
import { loadCalendar } from "../../src/standards/calendar-store";
import {
	jpeg,
	type Resident,
	sendFile,
	textOf,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { api } from "../helpers/staff";
import { PHONE_NUMBER_ID, postWebhook } from "../helpers/webhook";

const t = withResidents("62818000");

interface HandoffView {
	id: string;
	waitingSince: number;
	lastReplyAt: number | null;
	optedOutSince: number | null;
	openRequests: { ticket: string; status: string }[];
	lastMessages: { kind: string; text: string | null }[];
	files: { id: string; mimeType: string; size: number; fileName: string | null }[];
}

/** The open hand-off of this resident, as staff list it. */
async function listed(r: Resident): Promise<HandoffView | undefined> {
	const res = await api("GET", "/handoffs?limit=100");
	expect(res.status).toBe(200);
	const body = await res.json<{ handoffs: HandoffView[] }>();
	const row = await env.DB.prepare(
		"SELECT id FROM handoffs WHERE resident_id = ? AND resolved_at IS NULL",
	)
		.bind(r.id)
		.first<{ id: string }>();
	return body.handoffs.find((h) => h.id === row?.id);
}

/** Moves the hold's end `ms` into the past, as if that long had passed without a staff reply. */
async function holdEndPassed(r: Resident, ms = 60_000): Promise<void> {
	await runInDurableObject(r.stub, (_i, state) => {
		const row = state.storage.sql
			.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'")
			.one();
		const saved = JSON.parse(row.value) as DialogueState;
		saved.heldUntil = Date.now() - ms;
		state.storage.sql.exec("UPDATE kv SET value = ? WHERE key = 'state'", JSON.stringify(saved));
	});
}

async function handoffRow(r: Resident) {
	return env.DB.prepare(
		"SELECT id, asked_at, resolved_at, resolved_by FROM handoffs WHERE resident_id = ? ORDER BY asked_at DESC",
	)
		.bind(r.id)
		.first<{
			id: string;
			asked_at: number;
			resolved_at: number | null;
			resolved_by: string | null;
		}>();
}

async function openRequest(r: Resident): Promise<string> {
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id: crypto.randomUUID(),
		channel: "whatsapp",
		businessId: PHONE_NUMBER_ID,
		residentId: r.id,
		residentName: "Siti",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: "16.74.03.1001",
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return ticket;
}

describe("hand-offs", () => {
	it("holds the chat: free text is for staff (listed with the open requests), commands still work", async () => {
		const r = t.resident();
		const ticket = await openRequest(r);
		await r.say("Halo");
		await r.say("petugas");
		// Free text gets no answer from the bot while a person holds the chat.
		expect(await r.say("Kapan akta saya jadi? Sudah dua minggu")).toEqual([]);
		expect(await r.say("1")).toEqual([]);
		const view = await listed(r);
		expect(view).toBeDefined();
		expect(view?.openRequests.map((q) => q.ticket)).toEqual([ticket]);
		expect(view?.lastMessages[0]).toEqual(expect.objectContaining({ kind: "text", text: "1" }));
		expect(view?.lastMessages.map((m) => m.text)).toContain(
			"Kapan akta saya jadi? Sudah dua minggu",
		);
		expect(view?.lastMessages.map((m) => m.text)).not.toContain(null);
		// A command is still answered.
		const status = await r.say("status");
		expect(texts(status)).toContain(ticket);
		// Asking again keeps the same hand-off and its waiting time.
		await r.say("petugas");
		const again = await listed(r);
		expect(again?.id).toBe(view?.id);
		expect(again?.waitingSince).toBe(view?.waitingSince);
		expect(again?.optedOutSince).toBeNull();
		// Every read of the list, with the residents' words in it, is audited with the chats shown.
		const reads = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'handoffs.list' AND detail LIKE ?",
		)
			.bind(`%${view?.id}%`)
			.all<{ actor: string; detail: string }>();
		expect(reads.results).toHaveLength(2);
		expect(reads.results[0]?.actor).toBe("bootstrap-admin");
		expect(JSON.parse(reads.results[0]?.detail ?? "{}").handoffIds).toContain(view?.id);
	});

	it("shows staff that the resident waiting has stopped messages (berhenti)", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("berhenti");
		await r.tap("Ya, berhenti");
		await r.say("petugas");
		const view = await listed(r);
		const since = await env.DB.prepare(
			"SELECT at FROM resident_opt_outs WHERE resident_id = ? AND opted_out = 1",
		)
			.bind(r.id)
			.first<number>("at");
		expect(since).toEqual(expect.any(Number));
		expect(view?.optedOutSince).toBe(since);
		await r.say("mulai");
		expect((await listed(r))?.optedOutSince).toBeNull();
	});

	it("staff write in the window, by template outside it; close hands the chat back and says so", async () => {
		const r = t.resident();
		// A draft under way is not chased while a person holds the chat: no reminder (and no
		// second template) once the window closes.
		await r.say("Halo");
		await r.say("petugas");
		const view = await listed(r);
		const id = String(view?.id);
		r.replies();
		const reply = await api("POST", `/handoffs/${id}/reply`, {
			json: { text: "Selamat siang, saya Rina. Ada yang bisa dibantu?" },
		});
		expect(reply.status).toBe(202);
		await r.settle();
		const got = r.replies();
		expect(got.map((m) => m.type)).toEqual(["text"]);
		expect(textOf(got[0])).toContain("Selamat siang, saya Rina.");
		expect((await listed(r))?.lastReplyAt).not.toBeNull();
		// Outside the window: the status template first, the words when the resident writes.
		await r.age(25 * 60 * 60 * 1000);
		await api("POST", `/handoffs/${id}/reply`, { json: { text: "Berkas Anda sudah kami cek." } });
		await r.settle();
		const nudge = r.replies();
		expect(nudge.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(nudge[0]?.body)).toContain("Pesan dari petugas");
		const back = await r.say("oke terima kasih");
		expect(texts(back)).toContain("Berkas Anda sudah kami cek.");
		// Close: the resident is told, the bot answers free text again, the list drops it.
		const closed = await api("POST", `/handoffs/${id}/close`);
		expect(closed.status).toBe(200);
		expect(await closed.json()).toMatchObject({ id, closedBy: "bootstrap-admin" });
		await r.settle();
		expect(texts(r.replies())).toContain("Percakapan dengan petugas selesai");
		expect(await listed(r)).toBeUndefined();
		expect(texts(await r.say("halo"))).toContain("Layanan apa");
		// Closing again changes nothing and tells the resident nothing more.
		expect((await api("POST", `/handoffs/${id}/close`)).status).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]);
		const late = await api("POST", `/handoffs/${id}/reply`, { json: { text: "Halo?" } });
		expect(late.status).toBe(409);
		expect(late.headers.get("content-type")).toBe("application/problem+json");
		const audit = await env.DB.prepare(
			"SELECT action, detail FROM audit_log WHERE detail LIKE ? AND action != 'handoffs.list' ORDER BY at",
		)
			.bind(`%${id}%`)
			.all<{ action: string; detail: string }>();
		expect(audit.results.map((a) => a.action)).toEqual([
			"handoff.reply",
			"handoff.reply",
			"handoff.close",
		]);
		expect(JSON.stringify(audit.results)).not.toContain("Rina");
	});

	it("menu takes the chat back to the bot: the hand-off ends by the resident", async () => {
		const r = t.resident();
		await r.say("petugas");
		expect(await r.say("halo?")).toEqual([]);
		expect(texts(await r.say("menu"))).toContain("Layanan apa");
		// Typed answers reach the bot again.
		expect(texts(await r.say("1"))).not.toEqual("");
		const row = await env.DB.prepare(
			"SELECT resolved_at, resolved_by FROM handoffs WHERE resident_id = ?",
		)
			.bind(r.id)
			.first<{ resolved_at: number | null; resolved_by: string | null }>();
		expect(row?.resolved_by).toBe("resident");
		expect(row?.resolved_at).not.toBeNull();
		expect(await listed(r)).toBeUndefined();
	});

	it("a late close of an earlier hand-off leaves the resident's new one holding the chat", async () => {
		const r = t.resident();
		await r.say("petugas");
		const first = String((await listed(r))?.id);
		await r.say("menu");
		await r.say("petugas");
		const second = (await listed(r))?.id;
		expect(second).toBeDefined();
		expect(second).not.toBe(first);
		r.replies();
		// The first hand-off's close arrives late (a job retried, an admin's retry of its letter).
		await r.stub.handoffClosed(first);
		await r.settle();
		expect(r.replies()).toEqual([]);
		expect(await r.say("Saya masih menunggu")).toEqual([]);
		expect((await r.savedState()).heldSince).not.toBeNull();
		// The current one still closes.
		expect((await api("POST", `/handoffs/${second}/close`)).status).toBe(200);
		await r.settle();
		expect(texts(r.replies())).toContain("Percakapan dengan petugas selesai");
	});

	it("staff's list names the hand-off the chat is held under, even when a close had not reached D1", async () => {
		const r = t.resident();
		await r.say("petugas");
		const first = String((await listed(r))?.id);
		// The chat is handed back (its object heard the close) before the close's D1 write lands,
		// and the resident asks again: the list must show the new hand-off, the one staff can close.
		await r.stub.handoffClosed(first);
		await r.settle();
		await r.say("petugas");
		const held = (await r.savedState()).handoffId;
		const view = await listed(r);
		expect(view?.id).toBe(held);
		expect(view?.id).not.toBe(first);
		r.replies();
		expect((await api("POST", `/handoffs/${view?.id}/close`)).status).toBe(200);
		await r.settle();
		expect(texts(r.replies())).toContain("Percakapan dengan petugas selesai");
		expect(texts(await r.say("halo"))).toContain("Layanan apa");
	});

	it("a hand-off nobody answers for two working days goes back to the bot, and staff see it expired", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("petugas");
		const asked = await handoffRow(r);
		const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
		// Two working days after the day it began, by the office's calendar.
		expect((await r.savedState()).heldUntil).toBe(
			handoffAnswerBy(calendar, Number(asked?.asked_at)),
		);
		expect(Number((await r.savedState()).heldUntil) - Number(asked?.asked_at)).toBeGreaterThan(
			2 * 24 * 60 * 60 * 1000,
		);
		// A staff reply gives staff their time again, from the reply.
		const before = Date.now();
		await api("POST", `/handoffs/${asked?.id}/reply`, { json: { text: "Sebentar ya." } });
		await r.settle();
		expect((await r.savedState()).heldUntil).toBeGreaterThanOrEqual(
			handoffAnswerBy(calendar, before),
		);
		r.replies();
		// Then nobody writes until the time is up.
		await holdEndPassed(r);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		const told = texts(r.replies());
		expect(told).toContain("belum ada petugas yang sempat membalas");
		// The question of the draft under way, again.
		expect(told).toContain("Layanan apa");
		const row = await handoffRow(r);
		expect(row).toMatchObject({ id: asked?.id, resolved_by: "expired" });
		expect(row?.resolved_at).not.toBeNull();
		expect(await listed(r)).toBeUndefined();
		const audit = await env.DB.prepare(
			"SELECT actor FROM audit_log WHERE action = 'handoff.expire' AND detail LIKE ?",
		)
			.bind(`%${asked?.id}%`)
			.all<{ actor: string }>();
		expect(audit.results).toEqual([{ actor: "system" }]);
		// Idempotent: the close again, or the alarm again, changes and says nothing more.
		await expireHandoff(env.DB, {
			conversation: `${PHONE_NUMBER_ID}:${r.id}`,
			id: String(asked?.id),
			at: Date.now(),
		});
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		expect(r.replies()).toEqual([]);
		expect((await handoffRow(r))?.resolved_at).toBe(row?.resolved_at);
		const again = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'handoff.expire' AND detail LIKE ?",
		)
			.bind(`%${asked?.id}%`)
			.first<number>("n");
		expect(again).toBe(1);
		// The bot answers free text again.
		expect(texts(await r.say("1"))).not.toBe("");
	});

	it("a draft left under a hand-off is still deleted after its 7 quiet days, without the bot's reminder", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("petugas");
		r.replies();
		await r.age(8 * 24 * 60 * 60 * 1000);
		await runDurableObjectAlarm(r.stub);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		const state = await r.savedState();
		expect(state.draft).toBeNull();
		// Still held (staff have their own time limit), and told only of the deletion (the
		// window closed: the status template first, the words when the resident writes).
		expect(state.heldSince).not.toBeNull();
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);
		const told = texts(await r.say("halo?"));
		expect(told).toContain("sudah kami hapus karena 7 hari");
		expect(told).not.toContain("belum selesai diisi");
	});

	it("a photo or PDF sent while a person holds the chat goes to staff, not to a new draft, and staff open it (audited)", async () => {
		const r = t.resident();
		await r.say("petugas");
		r.replies();
		// No word from the bot, no draft opened (before: a greeting and the service menu).
		const photo = await sendFile(r, "jpeg", jpeg(3000, 7));
		expect(photo.replies).toEqual([]);
		expect((await r.savedState()).draft).toBeNull();
		const scan = await sendFile(r, "pdf");
		expect(scan.replies).toEqual([]);
		// A type staff cannot be sent: told so, briefly, and nothing stored.
		const doc = await r.graph.addMedia(new Uint8Array([1, 2, 3]), "application/msword");
		const refused = await r.send(wire.document(doc.id, "surat.doc", "application/msword"));
		expect(texts(refused)).toContain("tidak dapat kami teruskan ke petugas");
		expect(refused.some((m) => m.type === "interactive")).toBe(false);

		const view = await listed(r);
		expect(view?.files.map((f) => f.mimeType)).toEqual(["image/jpeg", "application/pdf"]);
		expect(view?.files[1]?.fileName).toBe("scan.pdf");
		const first = view?.files[0];
		const res = await api("GET", `/handoffs/${view?.id}/files/${first?.id}`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("image/jpeg");
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo.bytes);
		const audit = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'handoff.file' AND detail LIKE ?",
		)
			.bind(`%${first?.id}%`)
			.all<{ actor: string; detail: string }>();
		expect(audit.results).toEqual([
			{
				actor: "bootstrap-admin",
				detail: JSON.stringify({ handoffId: view?.id, fileId: first?.id }),
			},
		]);
		// Another hand-off's id does not open it; an officer-only route.
		expect((await api("GET", `/handoffs/nope/files/${first?.id}`)).status).toBe(404);
		const listedKeys = await env.FILES.list({ prefix: `handoffs/${view?.id}/` });
		expect(listedKeys.objects).toHaveLength(2);

		// The resident's erasure takes the files with the hand-off.
		expect((await api("POST", "/residents/erasure", { json: { phone: `+${r.id}` } })).status).toBe(
			200,
		);
		expect((await env.FILES.list({ prefix: `handoffs/${view?.id}/` })).objects).toEqual([]);
		const rows = await env.DB.prepare(
			"SELECT count(*) AS n FROM handoff_files WHERE handoff_id = ?",
		)
			.bind(String(view?.id))
			.first<number>("n");
		expect(rows).toBe(0);
	});

	it("a photo sent while held with a draft under way is for staff: the draft keeps only its own files", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("petugas");
		r.replies();
		expect((await sendFile(r, "jpeg")).replies).toEqual([]);
		const state = await r.savedState();
		expect(state.draft?.files).toEqual([]);
		expect(state.phase.name).toBe("service");
		expect((await listed(r))?.files).toHaveLength(1);
		expect(
			(await env.FILES.list({ prefix: `requests/${state.draft?.requestId}/` })).objects,
		).toEqual([]);
	});

	it("a photo sent after `petugas` while telling a complaint is for staff, not the complaint kept", async () => {
		const r = t.resident();
		await r.say("pengaduan");
		await r.say("Antrean terlalu lama");
		expect(texts(await r.say("petugas"))).toContain("belum terkirim; kami simpan");
		// Before: "Foto diterima" and the complaint's buttons; the photo went into the complaint.
		const photo = await sendFile(r, "jpeg", jpeg(2500, 3));
		expect(photo.replies).toEqual([]);
		const state = await r.savedState();
		expect(state.complaint?.body).toBe("Antrean terlalu lama");
		expect(state.complaint?.photo).toBeUndefined();
		const view = await listed(r);
		expect(view?.files.map((f) => f.mimeType)).toEqual(["image/jpeg"]);
		const res = await api("GET", `/handoffs/${view?.id}/files/${view?.files[0]?.id}`);
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo.bytes);
	});

	it("a voice note, a video, a sticker, a place and a contact card sent while held reach staff without a word from the bot, once however often Meta delivers them", async () => {
		interface Entry {
			direction: string;
			kind: string;
			text: string | null;
			fileId: string | null;
		}
		const r = t.resident();
		await r.say("Halo");
		await r.say("petugas");
		const id = String((await listed(r))?.id);
		r.replies();
		// OGG and MP4 have no signature the checks know: stored on the declared type.
		const voiceBytes = new Uint8Array(3000).map((_, i) => (i * 7 + 3) % 256);
		voiceBytes.set(new TextEncoder().encode("OggS"), 0);
		const voice = await r.graph.addMedia(voiceBytes, "audio/ogg");
		const clip = await r.graph.addMedia(new Uint8Array(5000).fill(9), "video/mp4");
		const sent = [
			wire.voice(voice.id, voice.sha256Base64),
			wire.video(clip.id, clip.sha256Base64),
			wire.sticker(),
			wire.location({ name: "Kantor Camat Teluk", address: "Jl. Merdeka 1" }),
			wire.contacts("Budi Santoso", "+62 812-3456-7890"),
		];
		const deliveries = r.deliveryEach(sent);
		for (const body of deliveries) {
			expect((await postWebhook(body)).status).toBe(200);
			await r.settle();
		}
		// Before: "we cannot listen to voice messages", the sticker's, the place's... and the menu.
		expect(r.replies()).toEqual([]);
		// Meta delivers them all again (a retry): nothing more is kept, shown or said.
		for (const body of deliveries) expect((await postWebhook(body)).status).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]);

		const res = await api("GET", `/handoffs/${id}/messages?limit=100`);
		expect(res.status).toBe(200);
		const page = await res.json<{ messages: Entry[]; files: { id: string; mimeType: string }[] }>();
		const fromResident = page.messages.filter((m) => m.direction === "in").slice(2);
		expect(fromResident.map((m) => m.kind)).toEqual([
			"voice",
			"video",
			"sticker",
			"location",
			"contacts",
		]);
		expect(page.files.map((f) => f.mimeType)).toEqual(["audio/ogg", "video/mp4"]);
		expect(fromResident[0]?.fileId).toBe(page.files[0]?.id);
		expect(fromResident[1]?.fileId).toBe(page.files[1]?.id);
		expect(fromResident[3]?.text).toBe("Kantor Camat Teluk - Jl. Merdeka 1 - (-3.43, 104.23)");
		expect(fromResident[4]?.text).toBe("Budi Santoso: +62 812-3456-7890");
		// Staff play the voice note as it was sent.
		const played = await api("GET", `/handoffs/${id}/files/${page.files[0]?.id}`);
		expect(played.status).toBe(200);
		expect(played.headers.get("content-type")).toBe("audio/ogg");
		expect(new Uint8Array(await played.arrayBuffer())).toEqual(voiceBytes);
		const rows = await env.DB.prepare(
			"SELECT count(*) AS n FROM handoff_files WHERE handoff_id = ?",
		)
			.bind(id)
			.first<number>("n");
		expect(rows).toBe(2);

		// A recording over the size WhatsApp itself sends is not passed on: the resident is told.
		const big = await r.graph.addMedia({ size: 17 * 1024 * 1024, mimeType: "audio/ogg" });
		expect(texts(await r.send(wire.voice(big.id)))).toContain(
			"tidak dapat kami teruskan ke petugas",
		);
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM handoff_files WHERE handoff_id = ?")
				.bind(id)
				.first<number>("n"),
		).toBe(2);
		// A video WhatsApp itself could not pass on (131052): told briefly, without the bot's question.
		const lost = await r.send(wire.fileError(131052, "video"));
		expect(texts(lost)).toContain("tidak dapat kami teruskan ke petugas");
		expect(lost.some((m) => m.type === "interactive")).toBe(false);
		// A poll is for staff to read too: no answer.
		expect(await r.send(wire.unsupported())).toEqual([]);
		// Once the chat is back with the bot, a voice note gets its answer again.
		await api("POST", `/handoffs/${id}/close`);
		await r.settle();
		r.replies();
		expect(texts(await r.send(wire.voice()))).toContain("belum bisa mendengarkan pesan suara");
	});

	it("a contact card or a place sent when nobody holds the chat keeps no number or address; while held staff read them", async () => {
		const r = t.resident();
		await r.say("Halo");
		r.replies();
		// The bot refuses them: nobody needs a third party's number or where the resident is.
		expect(texts(await r.send(wire.contacts("Ani Lestari", "+62 813-1111-2222")))).toContain(
			"kontak tidak diperlukan",
		);
		expect(
			texts(await r.send(wire.location({ name: "Rumah Ani", address: "Jl. Mawar 7" }))),
		).toContain("lokasi tidak diperlukan");
		await r.say("petugas");
		await r.send(wire.contacts("Budi Santoso", "+62 812-3456-7890"));
		const events = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ event: string }>("SELECT event FROM inbox")
				.toArray()
				.map((row) => row.event)
				.join("\n"),
		);
		expect(events).not.toContain("1111");
		expect(events).not.toContain("Ani");
		expect(events).not.toContain("Mawar");
		expect(events).not.toContain("104.23");
		// Staff taking the chat see what was sent, by its kind; the card sent to them in full.
		const view = await listed(r);
		expect(view?.lastMessages.slice(0, 4)).toEqual([
			expect.objectContaining({ kind: "contacts", text: "Budi Santoso: +62 812-3456-7890" }),
			expect.objectContaining({ kind: "text", text: "petugas" }),
			expect.objectContaining({ kind: "location", text: null }),
			expect.objectContaining({ kind: "contacts", text: null }),
		]);
	});

	it("staff read the hand-off's whole conversation in order, paged: the resident's words, their replies, the files", async () => {
		interface Page {
			handoff: { id: string; closedAt: number | null; closedBy: string | null };
			messages: { direction: string; kind: string; text: string | null; fileId: string | null }[];
			files: { id: string }[];
			nextCursor: string | null;
		}
		const read = async (id: string, query: string): Promise<Page> => {
			const res = await api("GET", `/handoffs/${id}/messages${query}`);
			expect(res.status).toBe(200);
			return res.json<Page>();
		};
		const r = t.resident();
		await r.say("Saya mau ganti alamat di KK");
		await r.say("petugas");
		const id = String((await listed(r))?.id);
		for (let i = 1; i <= 6; i++) await r.say(`pesan ${i}`);
		await api("POST", `/handoffs/${id}/reply`, { json: { text: "Kirim foto KK-nya ya." } });
		await r.settle();
		await sendFile(r, "jpeg");
		await r.say("sudah saya kirim");
		const all = await read(id, "?limit=100");
		const lines = all.messages.map((m) => `${m.direction}:${m.text ?? m.kind}`);
		// What the resident asked about first, then all six (the list shows only the latest five).
		expect(lines[0]).toBe("in:Saya mau ganti alamat di KK");
		for (let i = 1; i <= 6; i++) expect(lines).toContain(`in:pesan ${i}`);
		const reply = lines.findIndex((line) => line.includes("Kirim foto KK-nya ya."));
		expect(reply).toBeGreaterThan(lines.indexOf("in:pesan 6"));
		const photo = all.messages.findIndex((m) => m.direction === "in" && m.kind === "image");
		expect(photo).toBeGreaterThan(reply);
		expect(all.messages[photo]?.fileId).toBe(all.files[0]?.id);
		expect(lines.at(-1)).toBe("in:sudah saya kirim");
		expect(all.nextCursor).toBeNull();
		// Paged: the pages together are the whole, in the same order.
		const paged: string[] = [];
		let cursor: string | null = "";
		while (cursor !== null) {
			const page = await read(id, `?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
			expect(page.messages.length).toBeLessThanOrEqual(4);
			paged.push(...page.messages.map((m) => `${m.direction}:${m.text ?? m.kind}`));
			cursor = page.nextCursor;
		}
		expect(paged).toEqual(lines);
		// Closed, it is still there to read, with its end; each read audited.
		await api("POST", `/handoffs/${id}/close`);
		await r.settle();
		const closed = await read(id, "?limit=100");
		expect(closed.handoff).toMatchObject({ id, closedBy: "bootstrap-admin" });
		expect(closed.messages.map((m) => m.text).join("\n")).toContain(
			"Percakapan dengan petugas selesai",
		);
		const views = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'handoff.view' AND detail LIKE ?",
		)
			.bind(`%${id}%`)
			.first<number>("n");
		expect(views).toBeGreaterThanOrEqual(3);
	});

	it("a closed hand-off goes with its files RETENTION_DAYS after it closed; open and recent ones stay", async () => {
		const DAY = 24 * 60 * 60 * 1000;
		const withFile = async () => {
			const r = t.resident();
			await r.say("petugas");
			await sendFile(r, "jpeg");
			return String((await listed(r))?.id);
		};
		const old = await withFile();
		const open = await withFile();
		const recent = await withFile();
		for (const id of [old, recent]) {
			expect((await api("POST", `/handoffs/${id}/close`)).status).toBe(200);
		}
		const setAt = (column: string, id: string, at: number) =>
			env.DB.prepare(`UPDATE handoffs SET ${column} = ? WHERE id = ?`).bind(at, id).run();
		await setAt("resolved_at", old, Date.now() - 91 * DAY);
		await setAt("resolved_at", recent, Date.now() - 10 * DAY);
		await setAt("asked_at", open, Date.now() - 200 * DAY);
		const kept = async (id: string) => ({
			row: await env.DB.prepare("SELECT count(*) AS n FROM handoffs WHERE id = ?")
				.bind(id)
				.first<number>("n"),
			files: await env.DB.prepare("SELECT count(*) AS n FROM handoff_files WHERE handoff_id = ?")
				.bind(id)
				.first<number>("n"),
			objects: (await env.FILES.list({ prefix: `handoffs/${id}/` })).objects.length,
		});
		expect(await kept(old)).toEqual({ row: 1, files: 1, objects: 1 });

		await purgeExpired(env, 90);
		expect(await kept(old)).toEqual({ row: 0, files: 0, objects: 0 });
		expect(await kept(open)).toEqual({ row: 1, files: 1, objects: 1 });
		expect(await kept(recent)).toEqual({ row: 1, files: 1, objects: 1 });
		const audited = () =>
			env.DB.prepare(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'retention.purge' AND actor = 'system' AND detail LIKE ?",
			)
				.bind(`%${old}%`)
				.first<number>("n");
		expect(await audited()).toBe(1);
		// The next day's run finds nothing more to do.
		await purgeExpired(env, 90);
		expect(await audited()).toBe(1);
	});

	it("answers 404 problem+json for an unknown hand-off", async () => {
		const res = await api("POST", "/handoffs/nope/close");
		expect(res.status).toBe(404);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
	});
});
