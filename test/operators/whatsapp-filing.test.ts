import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { redeliverNotices } from "../../src/scheduled/notice-redelivery";
import { formatDate } from "../../src/standards/dates-id";
import { pendingRows, unreachableObjects } from "../helpers/faults";
import { type Resident, sendFile, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/**
 * Issue 11: a kelurahan operator files for a resident from their own WhatsApp. Who the number is
 * comes from D1 (the staff account's phone), never from what the sender says.
 */
const t = withResidents("62819");
const PRABUMULIH = "16.74.01.1001";
const CAMBAI = "16.74.03.1001";
const RESIDENT_NIK = "1674015203900001";

/** An operator account whose WhatsApp number is the resident-simulator's number. */
async function operatorFor(r: Resident, areas: string[]): Promise<string> {
	const res = await api("POST", "/staff", {
		json: { name: "Operator Kelurahan", role: "kelurahan", areas, phone: r.id },
	});
	expect(res.status, await res.clone().text()).toBe(201);
	return (await res.json<{ id: string }>()).id;
}

async function menuTitles(r: Resident): Promise<string[]> {
	await r.say("Halo");
	return r.options().map((o) => o.title);
}

/** The operator files a Legalisir for the resident with this WhatsApp number (or "tidak ada"). */
/** The operator starts filing for the resident with this WhatsApp number (or "tidak ada"), up to
 * the question whether the resident agreed. */
async function askConsent(operator: Resident, phone: string): Promise<void> {
	await operator.say("menu");
	await operator.tap("Ajukan untuk warga");
	await operator.say(RESIDENT_NIK);
	await operator.say("Sarinah");
	await operator.say(phone);
}

async function fileFor(operator: Resident, phone: string): Promise<{ ticket: string; id: string }> {
	await askConsent(operator, phone);
	await operator.tap("Ya, warga setuju");
	await operator.tap("Legalisir");
	await sendFile(operator);
	await operator.tap("Lanjut");
	const done = texts(await operator.tap("Kirim"));
	const ticket = /PBM-\d{6}-\d{4}/.exec(done)?.[0] ?? "";
	const row = await env.DB.prepare("SELECT id FROM requests WHERE ticket = ?")
		.bind(ticket)
		.first<{ id: string }>();
	return { ticket, id: row?.id ?? "" };
}

async function requestById(id: string) {
	return env.DB.prepare("SELECT * FROM requests WHERE id = ?")
		.bind(id)
		.first<Record<string, unknown>>();
}

describe("filing from the operator's own WhatsApp", () => {
	it("offers the path to an active operator, files with the resident's details and lists it in status", async () => {
		const r = t.resident();
		const staffId = await operatorFor(r, [PRABUMULIH]);
		const titles = await menuTitles(r);
		expect(titles[0]).toBe("Ajukan untuk warga");

		expect(texts(await r.tap("Ajukan untuk warga"))).toContain("Ketik *NIK warga*");
		expect(texts(await r.say(RESIDENT_NIK))).toContain("nama lengkap warga");
		expect(texts(await r.say("Sarinah Binti Ahmad"))).toContain("nomor WhatsApp warga");
		expect(texts(await r.say("nomor saya"))).toContain("tidak bisa kami baca");
		expect(texts(await r.say("0812-3456-7890"))).toContain("sudah *setuju*");
		await r.tap("Ya, warga setuju");
		// The services follow, without the operator's row this time.
		expect(r.options().map((o) => o.title)).not.toContain("Ajukan untuk warga");
		// The operator's one area is taken: no kecamatan or kelurahan question, the document next.
		const asked = texts(await r.tap("Legalisir"));
		expect(asked).not.toContain("kecamatan");
		expect(asked).toContain("Dokumen 1/1");
		await sendFile(r);
		const summary = texts(await r.tap("Lanjut"));
		expect(summary).toContain("Sarinah Binti Ahmad");
		expect(summary).toContain("WhatsApp warga: 6281234567890");
		const done = texts(await r.tap("Kirim"));
		const ticket = /PBM-\d{6}-\d{4}/.exec(done)?.[0];
		expect(ticket).toBeDefined();
		expect(done).toContain("ketik *menu* lalu pilih *Ajukan untuk warga*");

		const row = await env.DB.prepare("SELECT * FROM requests WHERE ticket = ?")
			.bind(ticket)
			.first<Record<string, unknown>>();
		expect(row).toMatchObject({
			channel: "kelurahan",
			submitted_by: staffId,
			nik: RESIDENT_NIK,
			resident_name: "Sarinah Binti Ahmad",
			resident_phone: "6281234567890",
			area_code: PRABUMULIH,
			// The resident's number is their chat (see the test below).
			business_id: expect.any(String),
			resident_id: "6281234567890",
		});
		expect(await requestById(String(row?.id))).not.toBeNull();

		// `status` lists the requests the operator filed.
		expect(texts(await r.say("status"))).toContain(ticket);
		// And the next one can start at once.
		await r.say("menu");
		expect(r.options()[0]?.title).toBe("Ajukan untuk warga");
	});

	it("asks the area among the operator's own areas, and files nothing without consent", async () => {
		const r = t.resident();
		await operatorFor(r, [PRABUMULIH, CAMBAI]);
		await menuTitles(r);
		await r.tap("Ajukan untuk warga");
		await r.say(RESIDENT_NIK);
		await r.say("Sarinah");
		await r.say("tidak ada");
		expect(texts(await r.tap("Belum"))).toContain("permohonan tidak diajukan");

		await r.say("menu");
		await r.tap("Ajukan untuk warga");
		await r.say(RESIDENT_NIK);
		await r.say("Sarinah");
		await r.say("tidak ada");
		await r.tap("Ya, warga setuju");
		const area = texts(await r.tap("Legalisir"));
		expect(area).toContain("wilayah tugas Anda");
		expect(r.options().map((o) => o.title)).toEqual(["Prabumulih", "Cambai"]);
		await r.tap("Cambai");
		await sendFile(r);
		const summary = texts(await r.tap("Lanjut"));
		expect(summary).toContain("WhatsApp warga: tidak ada");
		const done = texts(await r.tap("Kirim"));
		const ticket = /PBM-\d{6}-\d{4}/.exec(done)?.[0];
		const row = await env.DB.prepare(
			"SELECT area_code, resident_phone, channel FROM requests WHERE ticket = ?",
		)
			.bind(ticket)
			.first();
		expect(row).toEqual({ area_code: CAMBAI, resident_phone: null, channel: "kelurahan" });
	});

	it("never offers the path to a resident, nor to a revoked operator, whatever they type", async () => {
		const resident = t.resident();
		const titles = await menuTitles(resident);
		expect(titles).not.toContain("Ajukan untuk warga");
		// Typing the row's words is no way in.
		expect(texts(await resident.say("Ajukan untuk warga"))).not.toContain("NIK warga");

		const revoked = t.resident();
		const staffId = await operatorFor(revoked, [PRABUMULIH]);
		expect((await api("DELETE", `/staff/${staffId}`)).status).toBe(200);
		expect(await menuTitles(revoked)).not.toContain("Ajukan untuk warga");

		const expired = t.resident();
		const expiredId = await operatorFor(expired, [PRABUMULIH]);
		await env.DB.prepare("UPDATE staff SET expires_at = ? WHERE id = ?")
			.bind(Date.now() - 1000, expiredId)
			.run();
		expect(await menuTitles(expired)).not.toContain("Ajukan untuk warga");
	});

	it("keeps no papers sent before the resident's consent was refused", async () => {
		const operator = t.resident();
		await operatorFor(operator, [PRABUMULIH]);
		await askConsent(operator, "tidak ada");
		const draftId = await operator.draftId();
		await sendFile(operator);
		expect((await env.FILES.list({ prefix: `requests/${draftId}/` })).objects.length).toBe(1);
		expect(texts(await operator.tap("Belum"))).toContain("tidak diajukan");
		await operator.settle();
		expect((await env.FILES.list({ prefix: `requests/${draftId}/` })).objects).toEqual([]);
	});

	it("files nothing for an operator revoked while filing, deletes the papers and says why", async () => {
		const operator = t.resident();
		const staffId = await operatorFor(operator, [PRABUMULIH]);
		await askConsent(operator, "tidak ada");
		await operator.tap("Ya, warga setuju");
		await operator.tap("Legalisir");
		await sendFile(operator);
		await operator.tap("Lanjut");
		const draftId = await operator.draftId();
		expect((await env.FILES.list({ prefix: `requests/${draftId}/` })).objects.length).toBe(1);
		expect((await api("DELETE", `/staff/${staffId}`)).status).toBe(200);
		const said = texts(await operator.tap("Kirim"));
		expect(said).toContain("tidak* kami ajukan");
		expect(said).not.toMatch(/PBM-\d{6}-\d{4}/);
		expect(await requestById(draftId)).toBeNull();
		await operator.settle();
		expect((await env.FILES.list({ prefix: `requests/${draftId}/` })).objects).toEqual([]);
	});

	it("tells a resident with a number by template, links their chat, and their notices and status reach them", async () => {
		const operator = t.resident();
		await operatorFor(operator, [PRABUMULIH]);
		const resident = t.resident();
		const { ticket, id } = await fileFor(operator, resident.id);
		// The operator's own chat is not the resident's.
		await resident.settle();
		const told = resident.replies();
		// They never wrote: the window is closed, so the status template carries the ticket.
		expect(told.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(told[0]?.body)).toContain(ticket);
		expect(await requestById(id)).toMatchObject({
			channel: "kelurahan",
			resident_id: resident.id,
			resident_phone: resident.id,
		});
		// Their chat is linked: `status` lists the request; the held notice arrives with it.
		const status = texts(await resident.say("status"));
		expect(status).toContain(ticket);
		expect(status).toContain("Petugas kelurahan telah mengajukan permohonan *Legalisir*");
		// Staff's notices about the request reach the resident.
		const moved = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		expect(moved.status).toBe(200);
		await resident.settle();
		expect(texts(resident.replies())).toContain(ticket);
		// A retried submit job tells them no second time (the notice id is the request's).
		const before = resident.sent().length;
		const row = await requestById(id);
		await resident.stub.introduce(
			{ businessId: String(row?.business_id), residentId: resident.id },
			{
				noticeId: `filed:${id}`,
				requestId: id,
				ticket,
				serviceCode: "legalisir",
				variantCode: "umum",
				kind: "filed",
			},
		);
		await resident.settle();
		expect(resident.sent()).toHaveLength(before);
	});

	it("tells the filing operator when the resident has no number: notices, the revision asked, the finished PDF", async () => {
		const operator = t.resident();
		await operatorFor(operator, [PRABUMULIH]);
		const { ticket, id } = await fileFor(operator, "tidak ada");
		expect(await requestById(id)).toMatchObject({ resident_id: null, resident_phone: null });
		await operator.settle();
		operator.replies();
		// A status change reaches the operator's own WhatsApp.
		const moved = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		expect(moved.status).toBe(200);
		await operator.settle();
		expect(texts(operator.replies())).toContain(ticket);
		// A revision asked goes to whoever can resend: the operator answers it from their chat.
		const revision = await api("POST", `/requests/${id}/transitions`, {
			json: { to: "needs_revision", reason: "Foto buram", documents: ["dokumen_legalisir"] },
		});
		expect(revision.status).toBe(200);
		await operator.settle();
		const asked = texts(operator.replies());
		expect(asked).toContain(ticket);
		expect(asked).toContain("Foto buram");
		await sendFile(operator);
		expect(texts(await operator.tap("Lanjut"))).toContain("perbaikan");
		await operator.settle();
		expect(await requestById(id)).toMatchObject({ status: "submitted" });
		// The finished PDF goes to the operator, who prints it and hands it over.
		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		operator.replies();
		const pdfBytes = new TextEncoder().encode("%PDF-1.7\nhasil\n%%EOF\n");
		const put = await api("PUT", `/requests/${id}/result`, {
			body: pdfBytes,
			headers: { "content-type": "application/pdf", "content-length": String(pdfBytes.byteLength) },
		});
		expect(put.status, await put.clone().text()).toBe(201);
		await operator.settle();
		const documents = operator.replies().filter((m) => m.type === "document");
		expect(documents).toHaveLength(1);
		expect(JSON.stringify(documents[0]?.body)).toContain(ticket);
	});

	it("tells the filing operator once from the cron when the first hand-over of a notice or the finished PDF fails", async () => {
		const operator = t.resident();
		await operatorFor(operator, [PRABUMULIH]);
		const { ticket, id } = await fileFor(operator, "tidak ada");
		await operator.settle();
		operator.replies();
		const later = () => Date.now() + 120_000;

		const failing = unreachableObjects("notify");
		const moved = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		failing.mockRestore();
		expect(await moved.json()).toMatchObject({ residentNotified: false });
		// Kept for the operator's own chat, the one the first try went to.
		expect(await pendingRows(id)).toMatchObject([
			{ conversation: `${PHONE_NUMBER_ID}:${operator.id}` },
		]);
		await operator.settle();
		expect(operator.replies()).toEqual([]);
		expect(await redeliverNotices(env, later())).toBe(1);
		expect(await redeliverNotices(env, later())).toBe(0);
		await operator.settle();
		const told = operator.replies();
		expect(told).toHaveLength(1);
		expect(texts(told)).toContain(ticket);

		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		const unsent = unreachableObjects("sendResult");
		const pdfBytes = new TextEncoder().encode("%PDF-1.7\nhasil\n%%EOF\n");
		const put = await api("PUT", `/requests/${id}/result`, {
			body: pdfBytes,
			headers: { "content-type": "application/pdf", "content-length": String(pdfBytes.byteLength) },
		});
		unsent.mockRestore();
		expect(await put.json()).toMatchObject({ queued: false });
		expect(await redeliverNotices(env, later())).toBe(1);
		expect(await redeliverNotices(env, later())).toBe(0);
		await operator.settle();
		const documents = operator.replies().filter((m) => m.type === "document");
		expect(documents).toHaveLength(1);
		expect(JSON.stringify(documents[0]?.body)).toContain(ticket);
		expect(await pendingRows(id)).toEqual([]);
	});

	it("tells the filing operator when the resident has no number that the calendar moved the due date, or gave a first one, naming the ticket", async () => {
		const operator = t.resident();
		await operatorFor(operator, [PRABUMULIH]);
		const { ticket, id } = await fileFor(operator, "tidak ada");
		await operator.settle();
		operator.replies();
		const day = String((await requestById(id))?.due_date);
		const dueNow = async () => String((await requestById(id))?.due_date);

		// The office closes on its due date: the operator is told, with the ticket, the new date.
		const closed = await api("PUT", "/calendar", {
			json: { add: [{ date: day, kind: "closed", name: "Banjir" }] },
		});
		expect(closed.status).toBe(200);
		const later = await dueNow();
		expect(later > day).toBe(true);
		await operator.settle();
		expect(texts(operator.replies())).toContain(
			`Perkiraan selesai permohonan *${ticket}* mundur menjadi *${formatDate(later, "id")}* (sebelumnya ${formatDate(day, "id")}).`,
		);

		// Reopened: the notice is kept for the operator's own chat and no other (the resident has
		// none), and the cron tells the operator when the first hand-over fails.
		const failing = unreachableObjects("notify");
		const reopened = await api("PUT", "/calendar", { json: { remove: [day] } });
		failing.mockRestore();
		expect(reopened.status).toBe(200);
		const kept = await pendingRows(id);
		expect(kept).toMatchObject([{ conversation: `${PHONE_NUMBER_ID}:${operator.id}` }]);
		expect(JSON.parse(kept[0]?.payload ?? "{}")).toMatchObject({ kind: "due_date", ticket });
		// The requests of the tests above are due that day too: their notices go as well.
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBeGreaterThanOrEqual(1);
		expect(await pendingRows(id)).toEqual([]);
		await operator.settle();
		expect(texts(operator.replies())).toContain(
			`Perkiraan selesai permohonan *${ticket}* maju menjadi *${formatDate(day, "id")}*`,
		);

		// Filed when its due date fell in a year without data: its first date, told to the operator.
		await env.DB.prepare(
			"UPDATE requests SET queue_date = '2027-12-31', due_date = NULL WHERE id = ?",
		)
			.bind(id)
			.run();
		const days = await api("PUT", "/calendar", {
			json: { add: [{ date: "2028-01-01", kind: "holiday", name: "Tahun Baru 2028 Masehi" }] },
		});
		expect(days.status).toBe(200);
		const declared = await api("PUT", "/calendar/years/2028", {
			json: {
				decree: "SKB 3 Menteri tentang 2028 (uji)",
				source: "https://www.setneg.go.id/",
				verification: "Checked against the decree.",
			},
		});
		expect(await declared.json()).toMatchObject({ backfilled: 1 });
		await operator.settle();
		expect(texts(operator.replies())).toContain(
			`Permohonan *${ticket}* kini punya perkiraan selesai: *Senin, 3 Januari 2028*.`,
		);
		expect(await pendingRows(id)).toEqual([]);
	});
});
