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
