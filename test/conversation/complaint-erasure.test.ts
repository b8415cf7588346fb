import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { purgeComplaints } from "../../src/scheduled/retention";
import { jpeg, type Resident, texts, wire, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

const t = withResidents("62817500");
const DAY = 24 * 60 * 60 * 1000;

/** A complaint with a photo, filed through the dialogue; returns its id. */
async function complaintWithPhoto(r: Resident, text: string): Promise<string> {
	await r.say("pengaduan");
	await r.say(text);
	const media = await r.graph.addMedia(jpeg(), "image/jpeg");
	await r.send(wire.image(media.id, media.sha256Base64));
	const done = await r.tap("Kirim pengaduan");
	const ticket = texts(done).match(/PBM-ADU-\d{6}-\d{4}/)?.[0];
	const row = await env.DB.prepare("SELECT id FROM complaints WHERE ticket = ?")
		.bind(ticket)
		.first<{ id: string }>();
	return String(row?.id);
}

async function complaintRow(id: string) {
	return env.DB.prepare("SELECT * FROM complaints WHERE id = ?")
		.bind(id)
		.first<Record<string, string | number | null>>();
}

async function photos(id: string): Promise<number> {
	return (await env.FILES.list({ prefix: `complaints/${id}/` })).objects.length;
}

describe("complaints: retention and erasure", () => {
	it("erases the words, answers and photo of complaints closed longer ago than RETENTION_DAYS; keeps the figures", async () => {
		const oldId = await complaintWithPhoto(t.resident(), "Petugas loket 3 meminta uang");
		const recentId = await complaintWithPhoto(t.resident(), "Antrean panjang sekali");
		const openId = await complaintWithPhoto(t.resident(), "Belum ada jawaban");
		await api("POST", `/complaints/${oldId}/reply`, {
			json: { text: "Sudah kami tindak lanjuti." },
		});
		for (const [id, daysAgo] of [
			[oldId, 91],
			[recentId, 10],
		] as const) {
			await api("POST", `/complaints/${id}/close`);
			await env.DB.prepare("UPDATE complaints SET closed_at = ? WHERE id = ?")
				.bind(Date.now() - daysAgo * DAY, id)
				.run();
		}
		const before = await complaintRow(oldId);
		expect(await photos(oldId)).toBe(1);
		expect(await purgeComplaints(env, 90)).toBe(1);
		const after = await complaintRow(oldId);
		expect(after).toMatchObject({
			body: "",
			conversation: "",
			business_id: "",
			resident_id: "",
			attachment_key: null,
			ticket: before?.ticket,
			due_date: before?.due_date,
			status: "closed",
			created_at: before?.created_at,
		});
		expect(after?.erased_at).not.toBeNull();
		expect(await photos(oldId)).toBe(0);
		const replies = await env.DB.prepare(
			"SELECT body FROM complaint_replies WHERE complaint_id = ?",
		)
			.bind(oldId)
			.all<{ body: string }>();
		expect(replies.results).toEqual([{ body: "" }]);
		// The recent and the open complaint keep everything; a second run finds nothing to do.
		expect((await complaintRow(recentId))?.body).toBe("Antrean panjang sekali");
		expect(await photos(recentId)).toBe(1);
		expect((await complaintRow(openId))?.body).toBe("Belum ada jawaban");
		expect(await purgeComplaints(env, 90)).toBe(0);
		expect(await complaintRow(oldId)).toEqual(after);
	});

	it("closes a complaint answered and left open for 30 days, so retention can take it in time", async () => {
		const leftOpen = await complaintWithPhoto(t.resident(), "Berkas hilang di loket");
		const recent = await complaintWithPhoto(t.resident(), "Loket tutup siang");
		const unanswered = await complaintWithPhoto(t.resident(), "Tidak ada yang membalas");
		for (const id of [leftOpen, recent]) {
			await api("POST", `/complaints/${id}/reply`, { json: { text: "Kami cek dulu." } });
		}
		await env.DB.prepare("UPDATE complaint_replies SET created_at = ? WHERE complaint_id = ?")
			.bind(Date.now() - 31 * DAY, leftOpen)
			.run();
		expect(await purgeComplaints(env, 90)).toBe(0);
		expect(await complaintRow(leftOpen)).toMatchObject({ status: "closed", closed_by: "system" });
		// Its words stay for RETENTION_DAYS after the close, like any closed complaint.
		expect((await complaintRow(leftOpen))?.body).toBe("Berkas hilang di loket");
		expect(await complaintRow(recent)).toMatchObject({ status: "answered", closed_at: null });
		expect(await complaintRow(unanswered)).toMatchObject({ status: "open", closed_at: null });
		const audited = await env.DB.prepare(
			"SELECT actor FROM audit_log WHERE action = 'complaint.close' AND detail LIKE ?",
		)
			.bind(`%${leftOpen}%`)
			.all<{ actor: string }>();
		expect(audited.results).toEqual([{ actor: "system" }]);
		// Again: nothing more to close, no second audit row.
		await purgeComplaints(env, 90);
		const again = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'complaint.close' AND detail LIKE ?",
		)
			.bind(`%${leftOpen}%`)
			.first<{ n: number }>();
		expect(again?.n).toBe(1);
	});

	it("an admin's erasure of a resident erases their complaints (an open one is closed by it) and photos", async () => {
		const r = t.resident();
		const id = await complaintWithPhoto(r, "Nama saya salah di KK");
		const res = await api("POST", "/residents/erasure", { json: { phone: `+${r.id}` } });
		expect(res.status).toBe(200);
		const row = await complaintRow(id);
		expect(row).toMatchObject({
			body: "",
			resident_id: "",
			attachment_key: null,
			status: "closed",
			closed_by: "bootstrap-admin",
		});
		expect(await photos(id)).toBe(0);
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'resident.erasure' ORDER BY at DESC LIMIT 1",
		).first<{ detail: string }>();
		expect(audit?.detail).not.toContain(r.id);
	});
});
