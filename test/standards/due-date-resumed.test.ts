import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { resubmitDocuments } from "../../src/requests/revision";
import { formatDate } from "../../src/standards/dates-id";
import { DECREE_2028, filedBeforeTheDecree, fileLegalisir, move } from "../helpers/due-dates";
import { pendingRows } from "../helpers/faults";
import { type Resident, requestRows, sendFile, texts, withResidents } from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";

const t = withResidents("62813557");

/** A resident files a Legalisir over WhatsApp and staff ask for its papers again; told already. */
async function askedForPapers(r: Resident) {
	const request = await fileLegalisir(r);
	await move(request.id, {
		to: "needs_revision",
		reason: "Foto buram",
		documents: ["dokumen_legalisir"],
	});
	await r.settle();
	r.replies();
	return request;
}

/** One round of corrections recorded for `request` at `at`, its status notice kept with it. */
function resubmitRound(request: { id: string; ticket: string }, at: number, name: string) {
	return resubmitDocuments(env.DB, {
		requestId: request.id,
		at,
		files: [
			{
				docCode: "dokumen_legalisir",
				key: `requests/${request.id}/dokumen_legalisir/${name}`,
				mimeType: "application/pdf",
				size: 10,
				sha256: "0".repeat(64),
			},
		],
		notice: {
			conversation: "nobody-in-particular",
			payload: (id) => ({
				noticeId: id,
				requestId: request.id,
				ticket: request.ticket,
				serviceCode: "legalisir",
				variantCode: "umum",
				kind: "status",
				status: "submitted",
			}),
		},
	});
}

describe("a request waiting for papers learns its due date when they come", () => {
	it("is told nothing while it waits, then its date with the thanks for its papers or the notice that staff took them", async () => {
		const resent = t.resident();
		const overChat = await filedBeforeTheDecree(resent, [
			{ to: "needs_revision", reason: "Foto buram", documents: ["dokumen_legalisir"] },
		]);
		const counter = t.resident();
		const atCounter = await filedBeforeTheDecree(counter, [
			{ to: "needs_revision", reason: "Foto buram", documents: ["dokumen_legalisir"] },
		]);
		const days = await api("PUT", "/calendar", {
			json: { add: [{ date: "2028-01-01", kind: "holiday", name: "Tahun Baru 2028 Masehi" }] },
		});
		expect(days.status).toBe(200);
		const res = await api("PUT", "/calendar/years/2028", { json: DECREE_2028 });
		expect(await res.json()).toMatchObject({ backfilled: 2 });
		// Dated, not told: its clock stands still until the papers come, and the date moves then.
		for (const r of [resent, counter]) {
			const [row] = await requestRows(r.id);
			expect(row?.due_date).toBe("2028-01-03");
			await r.settle();
			expect(r.replies()).toEqual([]);
		}

		// The papers over WhatsApp: the thanks name the date (queued for a later day, it waited none).
		await sendFile(resent, "pdf");
		expect(texts(await resent.tap("Lanjut"))).toContain(
			[
				`Terima kasih, dokumen perbaikan untuk *${overChat.ticket}* sudah kami terima. Permohonan kembali diperiksa petugas.`,
				"Perkiraan selesai: *Senin, 3 Januari 2028*.",
			].join("\n"),
		);
		expect((await requestRows(resent.id))[0]).toMatchObject({
			status: "submitted",
			due_date: "2028-01-03",
		});

		// The papers brought to the counter: staff send it back, the status notice names the date.
		await move(atCounter.id, { to: "submitted" });
		await counter.settle();
		expect(texts(counter.replies())).toContain(
			[
				`Permohonan *${atCounter.ticket}* kembali berstatus diajukan.`,
				"Perkiraan selesai: *Senin, 3 Januari 2028*.",
			].join("\n"),
		);
	});

	it("outside the 24-hour window, by the status template naming the date, then the text", async () => {
		const r = t.resident();
		const request = await askedForPapers(r);
		await r.age(25 * 60 * 60 * 1000);
		// The papers brought to the counter a day later: staff send it back.
		await move(request.id, { to: "submitted" });
		const [row] = await requestRows(r.id);
		const due = formatDate(String(row?.due_date), "id");
		await r.settle();
		const sent = r.replies();
		expect(sent.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(sent[0]?.body)).toContain(
			`${request.ticket}: Kembali diajukan. Perkiraan selesai: ${due}`,
		);
		expect(texts(await r.say("halo"))).toContain(
			[
				`Permohonan *${request.ticket}* kembali berstatus diajukan.`,
				`Perkiraan selesai: *${due}*.`,
			].join("\n"),
		);
	});
});

describe("staff taking the papers while the resident is still sending them here", () => {
	it("tells the resident their files are not used, with the status and the date, and waits for nothing more", async () => {
		const r = t.resident();
		const request = await askedForPapers(r);
		// One file sent, "Lanjut" not tapped yet: staff take the papers at the counter.
		await sendFile(r, "pdf");
		await move(request.id, { to: "submitted" });
		const [row] = await requestRows(r.id);
		await r.settle();
		expect(texts(r.replies())).toContain(
			[
				`Permohonan *${request.ticket}* kembali berstatus diajukan.`,
				`Perkiraan selesai: *${formatDate(String(row?.due_date), "id")}*.`,
				"Dokumen perbaikan yang sudah Anda kirim melalui WhatsApp ini tidak kami gunakan, karena permohonan ini tidak lagi menunggu perbaikan.",
			].join("\n"),
		);
		// The revision is over: "Lanjut" is no longer the corrections' answer.
		const after = texts(await r.tap("Lanjut"));
		expect(after).not.toContain("dokumen perbaikan untuk");
		expect(after).not.toContain("tidak lagi menunggu perbaikan");
		expect((await requestRows(r.id))[0]?.status).toBe("submitted");
	});
});

describe("the notice of papers sent by the operator, kept with the round", () => {
	it("is written once however often the round's batch runs, and not when the request had moved on", async () => {
		const r = t.resident();
		const request = await askedForPapers(r);
		const at = Date.now();
		const round = () => resubmitRound(request, at, "corrected");
		expect(await round()).toMatchObject({ resubmitted: true });
		expect(await round()).toMatchObject({ resubmitted: true });
		expect((await pendingRows(request.id)).map((row) => row.id)).toEqual([
			`${request.id}:resubmitted:${at}`,
		]);

		// A round for a request staff had already moved on records nothing and tells nobody.
		const other = t.resident();
		const moved = await fileLegalisir(other);
		const late = await resubmitRound(moved, at, "late");
		expect(late).toMatchObject({ resubmitted: false, status: "submitted" });
		expect(await pendingRows(moved.id)).toEqual([]);
		await env.DB.prepare("DELETE FROM pending_notices WHERE request_id = ?").bind(request.id).run();
	});
});

describe("a request the kelurahan filed, its papers sent again by the operator", () => {
	const AREA = "16.74.01.1001";
	let operator = { id: "", token: "" };
	beforeAll(async () => {
		operator = await createStaff("kelurahan", AREA);
	});

	const put = (id: string, text: string) => {
		const body = new TextEncoder().encode(`%PDF-1.4\n${text}\n%%EOF\n`);
		return api("PUT", `/requests/${id}/documents/dokumen_legalisir`, {
			token: operator.token,
			body,
			headers: { "content-type": "application/pdf", "content-length": String(body.byteLength) },
		});
	};
	const submit = (id: string) => api("POST", `/requests/${id}/submit`, { token: operator.token });

	it("tells the resident once that it is back with staff, with its date, by the template when they have not written", async () => {
		const resident = t.resident();
		const filed = await api("POST", "/requests", {
			token: operator.token,
			json: {
				service: "legalisir",
				variant: "umum",
				resident: { nik: "1674015203900001", name: "Mbah Sarinah", phone: resident.id },
				kelurahan: AREA,
				consent: true,
			},
		});
		expect(filed.status, await filed.clone().text()).toBe(201);
		const { id } = await filed.json<{ id: string }>();
		expect((await put(id, "filed")).status).toBe(201);
		const first = await submit(id);
		expect(first.status).toBe(201);
		const { ticket } = await first.json<{ ticket: string }>();
		await move(id, { to: "needs_revision", reason: "Buram", documents: ["dokumen_legalisir"] });
		await resident.settle();
		resident.replies();

		expect((await put(id, "corrected")).status).toBe(201);
		const sent = await submit(id);
		expect(sent.status, await sent.clone().text()).toBe(200);
		const row = await env.DB.prepare("SELECT status, due_date FROM requests WHERE id = ?")
			.bind(id)
			.first<{ status: string; due_date: string }>();
		expect(row?.status).toBe("submitted");
		const due = formatDate(row?.due_date ?? "", "id");
		await resident.settle();
		// They never wrote: the template carries the status and the date.
		const told = resident.replies();
		expect(told.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(told[0]?.body)).toContain(
			`${ticket}: Kembali diajukan. Perkiraan selesai: ${due}`,
		);
		expect(await pendingRows(id)).toEqual([]);

		// A repeated submit tells them nothing again.
		expect((await submit(id)).status).toBe(200);
		await resident.settle();
		expect(resident.replies()).toEqual([]);
		// Once they write, the notice itself.
		expect(texts(await resident.say("halo"))).toContain(
			[`Permohonan *${ticket}* kembali berstatus diajukan.`, `Perkiraan selesai: *${due}*.`].join(
				"\n",
			),
		);
	});
});
