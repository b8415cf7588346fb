import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { type Resident, textOf, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62818000");

interface HandoffView {
	id: string;
	waitingSince: number;
	lastReplyAt: number | null;
	optedOutSince: number | null;
	openRequests: { ticket: string; status: string }[];
	lastMessages: { kind: string; text: string | null }[];
}

/** The open hand-off of this resident, as staff list it. */
async function listed(r: Resident): Promise<HandoffView | undefined> {
	const res = await api("GET", "/handoffs?limit=100");
	expect(res.status).toBe(200);
	const body = await res.json<{ handoffs: HandoffView[] }>();
	const row = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
		.bind(r.id)
		.first<{ id: string }>();
	return body.handoffs.find((h) => h.id === row?.id);
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
			"SELECT action, detail FROM audit_log WHERE detail LIKE ? ORDER BY at",
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

	it("answers 404 problem+json for an unknown hand-off", async () => {
		const res = await api("POST", "/handoffs/nope/close");
		expect(res.status).toBe(404);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
	});
});
