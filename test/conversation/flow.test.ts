import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	fillDetails,
	jpeg,
	pdf,
	type Resident,
	requestRows,
	sendFile,
	textOf,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";

const t = withResidents("62812000");
const resident = () => t.resident();

async function bytesOf(key: string): Promise<Uint8Array> {
	const object = await env.FILES.get(key);
	if (object === null) throw new Error(`no object ${key}`);
	return new Uint8Array(await new Response(object.body).arrayBuffer());
}

async function attachmentsOf(requestId: unknown) {
	const { results } = await env.DB.prepare(
		"SELECT doc_code, r2_key, size, sha256, mime_type FROM attachments WHERE request_id = ? ORDER BY doc_code, r2_key",
	)
		.bind(requestId)
		.all<{ doc_code: string; r2_key: string; size: number; sha256: string; mime_type: string }>();
	return results;
}

function ticketIn(messages: { body: Record<string, unknown> }[]): string | undefined {
	return texts(messages as never).match(/PBM-\d{6}-\d{4}/)?.[0];
}

/** A KIA (5 to under 17) for the child with NIK 3172014507150002, up to its documents. */
function fillKia(r: Resident) {
	return fillDetails(r, {
		service: "Kartu Identitas Anak",
		variant: "5 Tahun ke Atas",
		subject: "3172014507150002",
	});
}

describe("from Halo to a ticket", () => {
	it("files an Akta Kematian request with four documents, each file in R2 byte for byte", async () => {
		const r = resident();
		const greeting = await r.say("Halo");
		expect(texts(greeting)).toContain("Disdukcapil Kota Prabumulih");
		expect(r.options().map((o) => o.title)).toContain("Akta Kematian");

		const needed = await r.tap("Akta Kematian");
		expect(texts(needed)).toContain("Surat kematian dari dokter");
		expect(texts(needed)).toContain("KTP-el pelapor");
		expect(texts(needed)).toContain("NIK");

		await r.say("1674015203900001");
		await r.say("Siti Aminah");
		await r.tap("Prabumulih Barat");
		const askSubject = await r.tap("Gunung Kemala");
		expect(texts(askSubject)).toContain("NIK almarhum");
		const askDoc = await r.say("NIK almarhum 1674010101400003");
		expect(texts(askDoc)).toContain("1/4");

		const files: Uint8Array[] = [];
		for (let i = 0; i < 4; i++) {
			const kind = i % 2 === 0 ? "pdf" : "jpeg";
			const sent = await sendFile(r, kind, kind === "pdf" ? pdf(5000 + i, i) : jpeg(3000 + i, i));
			files.push(sent.bytes);
			expect(texts(sent.replies)).toContain("✅");
			// One-page documents: the next one is asked at once, "Tambah halaman" is offered.
			expect(texts(sent.replies)).toContain("Tambah halaman");
			if (i < 3) expect(texts(sent.replies)).toContain(`${i + 2}/4`);
			else expect(texts(sent.replies)).toContain("Sudah benar?");
		}
		const done = await r.tap("Kirim");
		const ticket = ticketIn(done);
		expect(ticket).toMatch(/^PBM-\d{6}-\d{4}$/);
		expect(texts(done)).toContain("status");

		const rows = await requestRows(r.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			ticket,
			status: "submitted",
			service_code: "akta_kematian",
			variant_code: "umum",
			resident_name: "Siti Aminah",
			nik: "1674015203900001",
			area_code: "16.74.01.1011",
			resident_phone: r.id,
			subject_kind: "deceased_nik",
			subject_nik: "1674010101400003",
		});
		const attachments = await attachmentsOf(rows[0]?.id);
		expect(attachments.map((a) => a.doc_code).sort()).toEqual(
			["kk", "ktp_almarhum", "ktp_pelapor", "surat_kematian"].sort(),
		);
		for (const attachment of attachments) {
			expect(attachment.r2_key).toMatch(
				new RegExp(`^requests/${rows[0]?.id}/${attachment.doc_code}/wamid\\.`),
			);
			const stored = await bytesOf(attachment.r2_key);
			const original = files.find((f) => f.length === stored.length);
			expect(original).toBeDefined();
			expect(stored).toEqual(original);
			expect(attachment.size).toBe(stored.length);
		}
		const { results: events } = await env.DB.prepare(
			"SELECT to_status, actor FROM request_events WHERE request_id = ?",
		)
			.bind(rows[0]?.id)
			.all();
		expect(events).toEqual([{ to_status: "submitted", actor: "resident" }]);
		// Every message the resident sent was marked as read (blue ticks).
		expect(t.graph.reads.toSorted()).toEqual(r.messageIds.toSorted());
	});

	it("files a KTP-el (lost) request chosen by typing numbers and words instead of tapping", async () => {
		const r = resident();
		await r.say("halo");
		const variants = await r.say("1"); // KTP-el
		expect(texts(variants)).toContain("Hilang");
		await r.say("hilang");
		await r.say("1674 0152 0390 0001");
		await r.say("Budi Santoso");
		const areas = await r.say("prabumulih timur");
		// Prabumulih Timur has 13 areas: the list is paged, typed numbers use the full numbering.
		expect(r.options().some((o) => o.title.includes("Berikutnya"))).toBe(true);
		expect(texts(areas)).toContain("13. ");
		const docs = await r.say("13");
		expect(texts(docs)).toContain("1/2");
		await sendFile(r, "jpeg");
		await sendFile(r, "pdf");
		const done = await r.say("kirim");
		expect(ticketIn(done)).toBeDefined();
		const [row] = await requestRows(r.id);
		expect(row).toMatchObject({ service_code: "ktp_el", variant_code: "hilang" });
		expect(String(row?.area_code)).toMatch(/^16\.74\.02\./);
		expect(texts(done)).toContain("diambil di kantor"); // a card: picked up
	});

	it("pages through a long list with the More row", async () => {
		const r = resident();
		await r.say("halo");
		await r.tap("Akta Kematian");
		await r.say("1674015203900001");
		await r.say("Budi");
		await r.tap("Prabumulih Timur");
		const first = r.options().map((o) => o.title);
		expect(first).toHaveLength(9);
		await r.tap("Berikutnya");
		const second = r.options().map((o) => o.title);
		expect(second[0]).toContain("Sebelumnya");
		expect(second.some((t) => first.includes(t) && !t.includes("›"))).toBe(false);
		await r.tap("Arimbi Jaya");
		expect(texts(r.sent().slice(-1))).toContain("NIK almarhum");
		await r.tap("Sebelumnya").catch(() => undefined);
	});

	it("files a lost KK only with the police letter: the KTP-el alone does not get through", async () => {
		const r = resident();
		await fillDetails(r, { service: "Kartu Keluarga", variant: "KK Hilang" });
		const required = await r.say("lanjut");
		expect(texts(required)).toMatch(/wajib/);
		expect(texts(required)).toContain("Kepolisian");
		await sendFile(r, "jpeg");
		const summary = (await sendFile(r, "jpeg")).replies;
		expect(texts(summary)).toContain("Sudah benar?");
		const done = await r.tap("Kirim");
		expect(ticketIn(done)).toBeDefined();
		const [row] = await requestRows(r.id);
		expect((await attachmentsOf(row?.id)).map((a) => a.doc_code).sort()).toEqual([
			"ktp_el",
			"surat_kehilangan",
		]);
	});

	it("files a KIA (5 to under 17) request for the child by NIK: the child's photo accepts images only", async () => {
		const r = resident();
		await fillKia(r);
		for (let i = 0; i < 3; i++) await sendFile(r, "pdf");
		const refused = await sendFile(r, "pdf");
		expect(texts(refused.replies)).toMatch(/tidak bisa kami terima.*foto JPG atau gambar PNG/s);
		await sendFile(r, "jpeg");
		const done = await r.tap("Kirim");
		expect(ticketIn(done)).toBeDefined();
		const [row] = await requestRows(r.id);
		const attachments = await attachmentsOf(row?.id);
		expect(attachments.map((a) => a.doc_code).sort()).toEqual(
			["akta_kelahiran", "kk", "ktp_orang_tua", "pas_foto"].sort(),
		);
		expect(attachments.find((a) => a.doc_code === "pas_foto")?.mime_type).toBe("image/jpeg");
		expect(row).toMatchObject({ subject_kind: "child_nik", subject_nik: "3172014507150002" });
	});

	it("asks again whom the request is about when the service is changed at the summary", async () => {
		const r = resident();
		await fillKia(r);
		for (let i = 0; i < 3; i++) await sendFile(r, "pdf");
		expect(texts((await sendFile(r, "jpeg")).replies)).toContain("Sudah benar?");
		await r.tap("Ubah");
		await r.tap("Layanan");
		// The child's NIK is no answer for the deceased: asked, not taken over.
		expect(texts(await r.tap("Akta Kematian"))).toMatch(/NIK almarhum/);
	});

	it("keeps several files for one document", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "jpeg", jpeg(1000, 1));
		const second = await sendFile(r, "jpeg", jpeg(1001, 2));
		expect(texts(second.replies)).toContain("2 file");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		expect(await attachmentsOf(row?.id)).toHaveLength(2);
	});

	it("lets the resident change a field from the summary", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir", name: "Nama Salah" });
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Ubah");
		await r.tap("Nama");
		const summary = await r.say("Nama Benar");
		expect(texts(summary)).toContain("Nama Benar");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		expect(row?.resident_name).toBe("Nama Benar");
	});

	it("keeps a document sent before it was asked for, as an additional document", async () => {
		const r = resident();
		await r.say("Halo");
		const early = await sendFile(r, "jpeg");
		expect(texts(early.replies)).toContain("dokumen tambahan");
		await r.tap("Legalisir");
		await r.say("1674015203900001");
		await r.say("Budi");
		await r.tap("Cambai");
		await r.send(wire.row(r.options()[0]?.id ?? "", r.options()[0]?.title ?? ""));
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const attachments = await attachmentsOf(row?.id);
		expect(attachments.map((a) => a.doc_code).sort()).toEqual(["dokumen_legalisir", "lainnya"]);
		expect(await bytesOf(attachments.find((a) => a.doc_code === "lainnya")?.r2_key ?? "")).toEqual(
			early.bytes,
		);
	});

	it("still has that document when the resident changes the documents at the summary", async () => {
		const r = resident();
		await r.say("Halo");
		const early = await sendFile(r, "jpeg");
		await r.tap("Legalisir");
		await r.say("1674015203900001");
		await r.say("Budi");
		await r.tap("Cambai");
		await r.send(wire.row(r.options()[0]?.id ?? "", r.options()[0]?.title ?? ""));
		await sendFile(r, "pdf", pdf(4096, 7));
		await r.tap("Lanjut");
		await r.tap("Ubah");
		await r.tap("Dokumen");
		await sendFile(r, "pdf", pdf(4096, 8));
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const attachments = await attachmentsOf(row?.id);
		expect(attachments.map((a) => a.doc_code).sort()).toEqual(["dokumen_legalisir", "lainnya"]);
		for (const attachment of attachments) {
			expect((await env.FILES.head(attachment.r2_key))?.size).toBe(attachment.size);
		}
		expect(await bytesOf(attachments.find((a) => a.doc_code === "lainnya")?.r2_key ?? "")).toEqual(
			early.bytes,
		);
		// The document replaced at the summary is gone from storage.
		const kept = new Set(attachments.map((a) => a.r2_key));
		const listed = await env.FILES.list({ prefix: `requests/${row?.id}/` });
		expect(listed.objects.map((o) => o.key).filter((key) => !kept.has(key))).toEqual([]);
	});
});

describe("NIK", () => {
	it("refuses impossible NIKs with the reason, twice, then accepts a valid one", async () => {
		const r = resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		const short = await r.say("12345");
		expect(textOf(short[0])).toContain("16 angka");
		const badMonth = await r.say("1674015213900001");
		expect(textOf(badMonth[0])).toContain("bulan");
		const ok = await r.say("1674015203900001");
		expect(texts(ok)).toContain("nama lengkap");
	});

	it("accepts a NIK whose birth date looks odd, and keeps the warning for staff", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir", nik: "1674013102900001" }); // 31 February
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		expect(row?.nik).toBe("1674013102900001");
		expect(JSON.parse(String(row?.nik_warnings))).toEqual(["impossible_date"]);
	});
});

describe("commands", () => {
	it("menu starts again, batal cancels and deletes the files", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		const { mediaId } = await sendFile(r, "pdf");
		expect(mediaId).toBeTruthy();
		const keysBefore = await env.FILES.list({ prefix: "requests/" });
		const cancelled = await r.say("batal");
		expect(texts(cancelled)).toContain("dibatalkan");
		const keysAfter = await env.FILES.list({ prefix: "requests/" });
		expect(keysAfter.objects.length).toBe(keysBefore.objects.length - 1);
		const nothing = await r.say("batal");
		expect(texts(nothing)).toContain("Tidak ada permohonan");
		const menu = await r.say("menu");
		expect(r.options().map((o) => o.title)).toContain("Legalisir");
		expect(menu).toHaveLength(1);
		expect(await requestRows(r.id)).toEqual([]);
	});

	it("status lists the resident's own requests and reveals nothing of another's ticket", async () => {
		const a = resident();
		const b = resident();
		await fillDetails(a, { service: "Legalisir" });
		await sendFile(a, "pdf");
		await a.tap("Lanjut");
		const ticket = ticketIn(await a.tap("Kirim"));
		const mine = await a.say("status");
		expect(texts(mine)).toContain(ticket);
		expect(texts(mine)).toContain("Diajukan");
		const one = await a.say(`status ${ticket}`);
		expect(texts(one)).toContain(ticket);
		const none = await b.say("status");
		expect(texts(none)).toContain("Belum ada permohonan");
		const other = await b.say(`status ${ticket}`);
		expect(texts(other)).toContain("Tidak ada permohonan");
		expect(texts(other)).not.toContain("Legalisir");
		expect(texts(other)).not.toContain("Diajukan");
	});

	it("reads the ticket however the resident words the status question", async () => {
		const a = resident();
		await fillDetails(a, { service: "Legalisir" });
		await sendFile(a, "pdf");
		await a.tap("Lanjut");
		const ticket = String(ticketIn(await a.tap("Kirim")));
		const spaced = ticket.toLowerCase().replaceAll("-", " ");
		for (const asked of ["cek status", `status tiket ${ticket}`, `status ${spaced}`]) {
			const said = texts(await a.say(asked));
			expect(said, asked).toContain(ticket);
			expect(said, asked).toContain("Diajukan");
			expect(said, asked).not.toContain("Tidak ada permohonan");
		}
		// A code that is no ticket is still looked up as typed: not found, and said so.
		expect(texts(await a.say("status PBM-1"))).toContain("Tidak ada permohonan");
	});

	it("bantuan explains the commands and asks the current question again", async () => {
		const r = resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		const help = await r.say("bantuan");
		expect(texts(help)).toContain("*status*");
		expect(texts(help)).toContain("08.00-14.00");
		expect(textOf(help.at(-1))).toContain("NIK");
	});

	it("petugas flags the conversation for staff and says when the office answers", async () => {
		const r = resident();
		await r.say("Halo");
		const handoff = await r.say("petugas");
		expect(texts(handoff)).toContain("Senin-Jumat");
		const row = await env.DB.prepare(
			"SELECT resident_id, resolved_at FROM handoffs WHERE resident_id = ?",
		)
			.bind(r.id)
			.first();
		expect(row).toEqual({ resident_id: r.id, resolved_at: null });
	});

	it("english switches the language, indonesia switches back", async () => {
		const r = resident();
		await r.say("Halo");
		const en = await r.say("english");
		expect(texts(en)).toContain("English");
		expect(texts(en)).toContain("What do you need?");
		await r.tap("Certified Copy");
		const nik = await r.say("123");
		expect(texts(nik)).toContain("16 digits");
		const id = await r.say("indonesia");
		expect(texts(id)).toContain("NIK");
		expect(texts(id)).toContain("Ketik");
	});
});

describe("cancelling a submitted request", () => {
	async function submitted(r: Resident): Promise<string> {
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		return ticketIn(await r.tap("Kirim")) ?? "";
	}

	it("asks first, then cancels the resident's own request with an event by the resident", async () => {
		const r = resident();
		const ticket = await submitted(r);
		const asked = await r.say(`batal ${ticket}`);
		expect(texts(asked)).toContain("tidak bisa dilanjutkan");
		const kept = await r.tap("Tidak");
		expect(texts(kept)).toContain("tidak dibatalkan");
		await r.say(`batal ${ticket.toLowerCase()}`);
		const done = await r.tap("Ya, batalkan");
		expect(texts(done)).toContain("sudah dibatalkan");
		const [row] = await requestRows(r.id);
		expect(row?.status).toBe("cancelled");
		const event = await env.DB.prepare(
			"SELECT from_status, actor FROM request_events WHERE request_id = ? AND to_status = 'cancelled'",
		)
			.bind(row?.id)
			.first();
		expect(event).toEqual({ from_status: "submitted", actor: "resident" });
	});

	it("says a request already cancelled is cancelled when asked again, as after a lost answer", async () => {
		const r = resident();
		const ticket = await submitted(r);
		await r.say(`batal ${ticket}`);
		expect(texts(await r.tap("Ya, batalkan"))).toContain("sudah dibatalkan");
		await r.say(`batal ${ticket}`);
		const again = await r.tap("Ya, batalkan");
		expect(texts(again)).toContain("sudah dibatalkan");
		expect(texts(again)).not.toContain("tidak bisa dibatalkan");
		const { n } = (await env.DB.prepare(
			"SELECT count(*) AS n FROM request_events WHERE to_status = 'cancelled' AND request_id = (SELECT id FROM requests WHERE ticket = ?)",
		)
			.bind(ticket)
			.first<{ n: number }>()) ?? { n: 0 };
		expect(n).toBe(1);
	});

	it("cannot cancel someone else's request, nor one already in processing", async () => {
		const a = resident();
		const b = resident();
		const ticket = await submitted(a);
		await b.say(`batal ${ticket}`);
		const refused = await b.tap("Ya, batalkan");
		expect(texts(refused)).toContain("Tidak ada permohonan");
		expect((await requestRows(a.id))[0]?.status).toBe("submitted");

		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE ticket = ?")
			.bind(ticket)
			.run();
		await a.say(`batal ${ticket}`);
		const late = await a.tap("Ya, batalkan");
		expect(texts(late)).toContain("tidak bisa dibatalkan lagi");
		expect((await requestRows(a.id))[0]?.status).toBe("processing");
	});
});

describe("files WhatsApp could not pass on", () => {
	it("says a file too large for WhatsApp (131052) is too large for the document asked, with its limit", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		r.replies();
		const replies = await r.send(wire.fileError(131052));
		expect(texts(replies)).toMatch(/file untuk \*[^*]+\* terlalu besar \(maksimal \d+ MB\)/);
		expect(texts(replies)).not.toMatch(/tidak dapat kami baca/);
	});

	it("asks for a file lost on WhatsApp's side (131053) again, by its document", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		r.replies();
		const replies = await r.send(wire.fileError(131053, "document"));
		expect(texts(replies)).toMatch(/file untuk \*[^*]+\* gagal kami simpan\. Mohon kirim ulang/);
	});

	it("says so before asking again, when no document was being asked", async () => {
		const r = resident();
		await r.say("Halo");
		await r.tap("Legalisir");
		const tooLarge = await r.send(wire.fileError(131052));
		expect(texts(tooLarge)).toMatch(/file Anda terlalu besar \(maksimal 10 MB\)/);
		expect(textOf(tooLarge.at(-1))).toContain("NIK");
		const lost = await r.send(wire.fileError(131053, "image"));
		expect(texts(lost)).toMatch(/file Anda tidak sampai ke kami/);
	});
});

describe("odd input", () => {
	const cases: [string, ReturnType<typeof wire.text>, RegExp][] = [
		["a voice note", wire.voice(), /pesan suara/],
		["a sticker", wire.sticker(), /Terima kasih/],
		["a video", wire.video(), /video tidak dapat/],
		["a location", wire.location(), /lokasi tidak diperlukan/],
		["a contact card", wire.contacts(), /kontak tidak diperlukan/],
		["an unsupported message", wire.unsupported(), /tidak dapat kami baca/],
		["a very long text", wire.text("x".repeat(5000)), /terlalu panjang/],
		["small talk where a NIK is asked", wire.text("halo apa kabar"), /16 angka/],
	];
	for (const [what, message, answer] of cases) {
		it(`answers ${what} briefly and asks the NIK again`, async () => {
			const r = resident();
			await r.say("Halo");
			await r.tap("Legalisir");
			const replies = await r.send(message);
			expect(texts(replies)).toMatch(answer);
			expect(textOf(replies.at(-1))).toContain("NIK");
		});
	}
});
