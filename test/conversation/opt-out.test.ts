import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { recordOptOut } from "../../src/residents/opt-outs";
import userChangedNumber from "../fixtures/whatsapp/user-changed-number.json?raw";
import { Resident, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";
import { freshen, PHONE_NUMBER_ID, postWebhook } from "../helpers/webhook";

const t = withResidents("62816200");

/** A WhatsApp request of `r`, put straight into `status`. */
async function seed(r: Resident, status: string): Promise<{ id: string; ticket: string }> {
	const id = crypto.randomUUID();
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		channel: "whatsapp",
		businessId: PHONE_NUMBER_ID,
		residentId: r.id,
		residentName: "Warga Uji",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: "16.74.03.1001",
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?").bind(status, id).run();
	return { id, ticket };
}

async function changes(r: Resident): Promise<{ opted_out: number; at: number }[]> {
	const { results } = await env.DB.prepare(
		"SELECT opted_out, at FROM resident_opt_outs WHERE business_id = ? AND resident_id = ? ORDER BY at, rowid",
	)
		.bind(PHONE_NUMBER_ID, r.id)
		.all<{ opted_out: number; at: number }>();
	return results;
}

async function optedOutSince(requestId: string): Promise<unknown> {
	const res = await api("GET", `/requests/${requestId}`);
	expect(res.status).toBe(200);
	const body = await res.json<{ whatsapp: { optedOutSince: number | null } | null }>();
	return body.whatsapp?.optedOutSince;
}

describe("berhenti / mulai", () => {
	it("asks first, then holds a status notice until the resident writes; mulai undoes it", async () => {
		const r = t.resident();
		await r.say("status");
		const { id, ticket } = await seed(r, "processing");
		r.replies();
		const asked = texts(await r.say("berhenti"));
		expect(asked).toContain("Berhenti menerima pesan dari kami?");
		expect(await changes(r)).toEqual([]);
		expect(texts(await r.tap("Ya, berhenti"))).toContain("Ketik *mulai*");
		expect((await changes(r)).map((c) => c.opted_out)).toEqual([1]);
		expect(await optedOutSince(id)).toEqual((await changes(r))[0]?.at);
		// The job's write, retried, records the change once.
		const { id: changeId } = (await env.DB.prepare(
			"SELECT id FROM resident_opt_outs WHERE resident_id = ?",
		)
			.bind(r.id)
			.first<{ id: string }>()) ?? { id: "" };
		await recordOptOut(env.DB, {
			id: changeId,
			businessId: PHONE_NUMBER_ID,
			residentId: r.id,
			optedOut: true,
			at: Date.now(),
		});
		expect(await changes(r)).toHaveLength(1);

		// Staff complete the request: inside the window, yet nothing is sent (nor a survey offered),
		// and no template nudge either; the notice waits.
		const before = r.sent().length;
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "completed" } })).status,
		).toBe(200);
		await r.settle();
		expect(r.sent().length).toBe(before);
		expect((await r.outbox()).filter((m) => m.state === "waiting")).toHaveLength(1);
		const survey = await env.DB.prepare("SELECT 1 FROM skm_responses WHERE request_id = ?")
			.bind(id)
			.first();
		expect(survey).toBeNull();

		// The resident writes: the notice is delivered then, after the answer.
		const back = texts(await r.say("mulai"));
		expect(back).toContain("Anda akan menerima pesan dari kami lagi");
		expect(back).toContain(`Permohonan *${ticket}* sudah *selesai*`);
		expect((await changes(r)).map((c) => c.opted_out)).toEqual([1, 0]);
		expect(await optedOutSince(id)).toBeNull();
		// `mulai` from a resident who receives messages is the menu, as before.
		expect(texts(await r.say("mulai"))).toContain("Layanan apa yang Anda perlukan?");
	});

	it("delivers held notices on any next message, and keeps messages when the answer is no", async () => {
		const r = t.resident();
		await r.say("status");
		const { id, ticket } = await seed(r, "in_review");
		await r.say("stop");
		expect(texts(await r.tap("Tidak"))).toContain("tetap berjalan");
		expect(await changes(r)).toEqual([]);
		await r.say("berhenti");
		await r.say("ya");
		r.replies();
		// A staff message and a status change while stopped: both wait, in order.
		expect(
			(await api("POST", `/requests/${id}/messages`, { json: { text: "Berkas lengkap." } })).status,
		).toBe(202);
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "processing" } })).status,
		).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]);
		// Still stopped, the resident asks for their status: the answer and the held news come.
		const replies = texts(await r.say("status"));
		expect(replies).toContain("Berkas lengkap.");
		expect(replies).toContain(ticket);
		expect(replies.indexOf("Berkas lengkap.")).toBeLessThan(replies.lastIndexOf("diproses"));
		// Stopping twice says so, and records nothing more.
		expect(texts(await r.say("berhenti"))).toContain("Anda sudah berhenti");
		expect((await changes(r)).map((c) => c.opted_out)).toEqual([1]);
	});

	it("sends no reminder for an unfinished draft after berhenti", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.say("berhenti");
		// Back to the draft's question after the answer.
		const stopped = texts(await r.tap("Ya, berhenti"));
		expect(stopped).toContain("Layanan apa yang Anda perlukan?");
		await r.age(23.5 * 60 * 60 * 1000);
		await r.fastForward();
		const { runDurableObjectAlarm } = await import("cloudflare:test");
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		expect(r.replies()).toEqual([]);
	});

	it("outside the window: no template nudge, the result and the notice wait for the next message", async () => {
		const r = t.resident();
		await r.say("status");
		const { id, ticket } = await seed(r, "processing");
		await r.say("berhenti");
		await r.tap("Ya, berhenti");
		await r.age(25 * 60 * 60 * 1000);
		r.replies();
		const put = await api("PUT", `/requests/${id}/result`, {
			body: "%PDF-1.7\nhasil",
			headers: { "content-type": "application/pdf", "content-length": "14" },
		});
		expect(put.status).toBe(201);
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "completed" } })).status,
		).toBe(200);
		await r.settle();
		// Not even the status template (STATUS_TEMPLATE_NAME is set in the tests).
		expect(r.replies()).toEqual([]);
		const back = await r.say("halo");
		expect(back.some((m) => m.type === "document")).toBe(true);
		expect(texts(back)).toContain(`Permohonan *${ticket}* sudah *selesai*`);
		expect(back.some((m) => m.type === "template")).toBe(false);
	});

	it("answers to a hand-off the resident asked for go out in the window; a request's notice waits; outside the window no template", async () => {
		const r = t.resident();
		await r.say("status");
		const { id, ticket } = await seed(r, "submitted");
		await r.say("berhenti");
		await r.tap("Ya, berhenti");
		await r.say("petugas");
		const handoff = await env.DB.prepare(
			"SELECT id FROM handoffs WHERE resident_id = ? AND resolved_at IS NULL",
		)
			.bind(r.id)
			.first<string>("id");
		r.replies();
		// In the window: staff's words in the chat the resident asked for go out...
		await api("POST", `/handoffs/${handoff}/reply`, {
			json: { text: "Halo, ada yang bisa dibantu?" },
		});
		await r.settle();
		expect(texts(r.replies())).toContain("Halo, ada yang bisa dibantu?");
		// ...while a notice about their request, which they did not ask for, waits.
		await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		await r.settle();
		expect(r.replies()).toEqual([]);
		// Outside the window the answer waits too, with no template to call the resident back.
		await r.age(25 * 60 * 60 * 1000);
		await api("POST", `/handoffs/${handoff}/reply`, { json: { text: "Berkas sudah kami cek." } });
		await api("POST", `/handoffs/${handoff}/close`);
		await r.settle();
		expect(r.replies()).toEqual([]);
		const back = texts(await r.say("oke"));
		expect(back).toContain("Berkas sudah kami cek.");
		expect(back).toContain("Percakapan dengan petugas selesai");
		expect(back).toContain(`Permohonan *${ticket}*`);
	});

	it("is forgotten when an admin erases the resident; a survey's answers stay, unlinked", async () => {
		const r = t.resident();
		await r.say("status");
		await r.say("berhenti");
		await r.tap("Ya, berhenti");
		const { id } = await seed(r, "completed");
		await env.DB.prepare("UPDATE requests SET closed_at = ? WHERE id = ?")
			.bind(Date.now(), id)
			.run();
		await env.DB.prepare(
			`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at, finished_at, u1, suggestion)
			 VALUES (?, ?, 'legalisir', '16.74.03.1001', 1, 2, 4, 'Pak Budi ramah')`,
		)
			.bind(`skm-${id}`, id)
			.run();
		expect(await changes(r)).toHaveLength(1);
		const res = await api("POST", "/residents/erasure", { json: { phone: r.id } });
		expect(res.status).toBe(200);
		expect(await changes(r)).toEqual([]);
		const survey = await env.DB.prepare(
			"SELECT request_id, u1, suggestion FROM skm_responses WHERE id = ?",
		)
			.bind(`skm-${id}`)
			.first();
		// The text is gone; '' keeps the fact a suggestion was left, for the period's count.
		expect(survey).toEqual({ request_id: null, u1: 4, suggestion: "" });
	});

	it("follows the resident to a new number: the flag and its record", async () => {
		const old = t.resident();
		const moved = `${old.id.slice(0, -1)}9`;
		await old.say("status");
		await old.say("berhenti");
		await old.tap("Ya, berhenti");
		const { id } = await seed(old, "processing");
		const res = await postWebhook(
			freshen(
				userChangedNumber.replaceAll("6281300000007", old.id).replaceAll("6281300000008", moved),
			),
		);
		expect(res.status).toBe(200);
		await old.settle();
		const next = new Resident(moved, t.graph);
		expect(await changes(old)).toEqual([]);
		expect((await changes(next)).map((c) => c.opted_out)).toEqual([1]);
		expect(await optedOutSince(id)).toEqual(expect.any(Number));
		expect(texts(await next.say("berhenti"))).toContain("Anda sudah berhenti");
	});
});
