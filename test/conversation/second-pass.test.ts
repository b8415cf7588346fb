import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog/catalog";
import { eraseRequestStatements } from "../../src/requests/erasure";
import type { SentMessage } from "../fake-graph";
import {
	type Resident,
	requestRows,
	sendFile,
	textOf,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { api } from "../helpers/staff";

// Issue 16: the right questions (applicant and subject), substitutes, fewer taps.

const t = withResidents("62813016");

/** Answers to the subject question, by the words of the question. */
const SUBJECTS: [RegExp, string][] = [
	[/nama lengkap bayi/, "Putri Ayu Lestari"],
	[/NIK anak/, "1674014507200002"],
	[/NIK almarhum/, "1674010101400003"],
	[/alamat tujuan pindah/, "Palembang, Kec. Ilir Timur I; Budi Santoso, Siti Aminah"],
];

function buttonTitles(message: SentMessage | undefined): string[] {
	const interactive = message?.body.interactive as
		| { type: string; action: { buttons?: { reply: { title: string } }[] } }
		| undefined;
	return interactive?.type === "button"
		? (interactive.action.buttons ?? []).map((b) => b.reply.title)
		: [];
}

/**
 * Plays a service the shortest way: the area typed by name, one photo for each document that is
 * asked (optional ones skipped), then Kirim. Returns how many messages the resident sent.
 */
async function playShortest(r: Resident, service: string, variant?: string): Promise<number> {
	await r.say("Halo");
	await r.tap(service);
	if (variant) await r.tap(variant);
	await r.say("1674015203900001");
	await r.say("Budi Santoso");
	let replies = await r.say("Gunung Kemala");
	const subject = SUBJECTS.find(([question]) => question.test(texts(replies)));
	if (subject) replies = await r.say(subject[1]);
	// A home visit (jemput bola): who and why, the address, a contact.
	if (texts(replies).includes("Siapa yang perlu dikunjungi")) {
		await r.tap("Lansia");
		await r.say("Jl. Sudirman No. 12, RT 03/RW 02");
		await r.say("Siti 081234567890");
	}
	for (let guard = 0; guard < 20; guard++) {
		const last = r.sent().at(-1);
		if (textOf(last).includes("Sudah benar?")) break;
		const titles = buttonTitles(last);
		if (titles.includes("Lewati")) await r.tap("Lewati");
		else if (titles.includes("Lanjut")) await r.tap("Lanjut");
		else await sendFile(r, "jpeg");
	}
	const done = await r.tap("Kirim");
	expect(texts(done)).toMatch(/PBM-\d{6}-\d{4}/);
	return r.messageIds.length;
}

/** Every variant of the catalog, played the shortest way, with its step count (messages sent). */
const SHORTEST: [code: string, service: string, variant: string | undefined, steps: number][] = [
	["akta_kelahiran/umum", "Akta Kelahiran", undefined, 11],
	["akta_kematian/umum", "Akta Kematian", undefined, 11],
	["kia/balita", "Kartu Identitas Anak", "Di Bawah 5 Tahun", 11],
	["kia/anak", "Kartu Identitas Anak", "Usia 5 Tahun ke Atas", 12],
	["kk/baru", "Kartu Keluarga", "Keluarga Baru", 9],
	["kk/perubahan", "Kartu Keluarga", "Ubah/Tambah/Pisah", 10],
	["kk/hilang", "Kartu Keluarga", "KK Hilang", 9],
	["kk/rusak", "Kartu Keluarga", "KK Rusak", 9],
	["ktp_el/hilang", "KTP-el", "Hilang", 9],
	["ktp_el/rusak", "KTP-el", "Rusak", 9],
	["ktp_el/perubahan_data", "KTP-el", "Perubahan Data", 10],
	["ktp_el/baru", "KTP-el", "KTP-el Pertama", 8],
	["legalisir/umum", "Legalisir", undefined, 8],
	["jemput_bola/umum", "Jemput Bola", undefined, 10],
	["perubahan_data/umum", "Perubahan Data", undefined, 9],
	["surat_pindah/umum", "Surat Pindah", undefined, 9],
];

describe("every service the shortest way", () => {
	it("the table covers every variant the catalog offers", async () => {
		const catalog = await loadCatalog(env.DB);
		const offered = catalog.services.flatMap((s) => s.variants.map((v) => `${s.code}/${v.code}`));
		expect(SHORTEST.map(([code]) => code).sort()).toEqual(offered.sort());
		// Variants switched off keep their documents aside, for corrections of requests filed before.
		expect(Object.keys(catalog.retired ?? {}).some((key) => offered.includes(key))).toBe(false);
		await env.DB.prepare("UPDATE services SET active = 0 WHERE code = 'legalisir'").run();
		try {
			const without = await loadCatalog(env.DB);
			expect(without.services.map((s) => s.code)).not.toContain("legalisir");
			expect(without.retired?.["legalisir/umum"]?.length).toBeGreaterThan(0);
		} finally {
			await env.DB.prepare("UPDATE services SET active = 1 WHERE code = 'legalisir'").run();
		}
	});

	for (const [code, service, variant, steps] of SHORTEST) {
		it(`${code} in ${steps} steps`, async () => {
			expect(await playShortest(t.resident(), service, variant)).toBe(steps);
		});
	}

	it("akta kelahiran takes at most 11 steps (17 before), KTP-el hilang at most 9 (12 before)", () => {
		const steps = Object.fromEntries(SHORTEST.map(([code, , , n]) => [code, n]));
		expect(steps["akta_kelahiran/umum"]).toBeLessThanOrEqual(11);
		expect(steps["ktp_el/hilang"]).toBeLessThanOrEqual(9);
	});
});

/** A resident at the first document of an akta kelahiran, the area typed by name. */
async function aktaKelahiran(r: Resident): Promise<SentMessage[]> {
	await r.say("Halo");
	await r.tap("Akta Kelahiran");
	await r.say("1674015203900001");
	await r.say("Siti Aminah");
	const subject = await r.say("kelurahan gunung kemala");
	// The kelurahan typed by name skipped the kecamatan list: the baby's name is asked next.
	expect(texts(subject)).toContain("nama lengkap bayi");
	return r.say("Putri Ayu Lestari");
}

describe("whom the request is about", () => {
	it("asks the applicant, then the baby's name; staff see both in the request detail", async () => {
		const r = t.resident();
		const first = await aktaKelahiran(r);
		expect(texts(first)).toContain("1/4");
		for (let i = 0; i < 4; i++) await sendFile(r, "jpeg");
		const summary = textOf(r.sent().at(-1));
		expect(summary).toContain("Nama bayi: Putri Ayu Lestari");
		expect(summary).toContain("Nama: Siti Aminah");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		expect(row).toMatchObject({
			resident_name: "Siti Aminah",
			nik: "1674015203900001",
			subject_kind: "baby_name",
			subject_text: "Putri Ayu Lestari",
			subject_nik: null,
		});
		const res = await api("GET", `/requests/${row?.id}`);
		expect(res.status).toBe(200);
		const detail = await res.json<Record<string, unknown>>();
		expect(detail.resident).toMatchObject({ name: "Siti Aminah", nik: "1674015203900001" });
		expect(detail.subject).toEqual({ kind: "baby_name", nik: null, text: "Putri Ayu Lestari" });
	});

	it("asks the deceased's NIK, says where to find it, and refuses the applicant's own", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.tap("Akta Kematian");
		await r.say("1674015203900001");
		await r.say("Budi Santoso");
		await r.say("Gunung Kemala");
		const where = await r.say("tidak tahu");
		expect(texts(where)).toContain("Kartu Keluarga");
		expect(texts(where)).toContain("*petugas*");
		const own = await r.say("1674015203900001");
		expect(texts(own)).toContain("NIK Anda sendiri");
		const docs = await r.say("1674010101400003");
		expect(texts(docs)).toContain("1/4");
	});
});

describe("a document or else its substitute", () => {
	it("Tidak punya on the birth letter asks the SPTJM instead; a substitute is never asked when the main came", async () => {
		const r = t.resident();
		await aktaKelahiran(r);
		expect(r.options().map((o) => o.title)).toEqual(["Tidak punya"]);
		const substitute = await r.tap("Tidak punya");
		expect(texts(substitute)).toContain("SPTJM kebenaran data kelahiran");
		expect(texts(substitute)).toContain("sebagai gantinya");
		const next = await sendFile(r, "jpeg");
		// The marriage book came: its SPTJM is not asked, the KK is next.
		expect(texts(next.replies)).toContain("Buku nikah");
		const afterBook = await sendFile(r, "jpeg");
		expect(texts(afterBook.replies)).not.toContain("pasangan suami istri");
		expect(texts(afterBook.replies)).toContain("Kartu Keluarga");
		await sendFile(r, "jpeg");
		const summary = (await sendFile(r, "jpeg")).replies;
		expect(texts(summary)).toContain("Surat keterangan lahir dari dokter atau bidan (tidak punya)");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const { results } = await env.DB.prepare(
			"SELECT doc_code FROM attachments WHERE request_id = ? ORDER BY doc_code",
		)
			.bind(row?.id)
			.all<{ doc_code: string }>();
		expect(results.map((a) => a.doc_code)).toEqual(["buku_nikah", "kk", "ktp_orang_tua", "sptjm"]);
	});
});

describe("fewer taps and fewer bursts", () => {
	it("Tambah halaman takes another page of a one-page document, then goes on", async () => {
		const r = t.resident();
		await r.say("Halo");
		await r.tap("KTP-el");
		await r.tap("Hilang");
		await r.say("1674015203900001");
		await r.say("Budi Santoso");
		await r.say("Gunung Kemala");
		const first = await sendFile(r, "jpeg");
		expect(texts(first.replies)).toContain("2/2");
		const page = await r.tap("Tambah halaman");
		expect(texts(page)).toContain("halaman berikutnya");
		const again = await sendFile(r, "jpeg");
		expect(texts(again.replies)).toContain("2/2");
		await sendFile(r, "pdf");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const { results } = await env.DB.prepare(
			"SELECT doc_code FROM attachments WHERE request_id = ? AND doc_code = 'kk'",
		)
			.bind(row?.id)
			.all();
		expect(results).toHaveLength(2);
	});

	it("answers two photos sent before anything was asked once: no repeated notice or list", async () => {
		const r = t.resident();
		const a = await r.graph.addMedia(
			new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
			"image/jpeg",
		);
		const b = await r.graph.addMedia(
			new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6]),
			"image/jpeg",
		);
		const replies = await r.send(
			wire.image(a.id, a.sha256Base64),
			wire.image(b.id, b.sha256Base64),
		);
		const all = texts(replies);
		expect(all.match(/dokumen tambahan/g)).toHaveLength(1);
		expect(all.match(/Layanan apa/g)).toHaveLength(1);
		expect(replies).toHaveLength(3); // greeting, notice, the service list
	});
});

describe("the subject is personal data", () => {
	it("erasing a closed request blanks the subject's NIK and words with the applicant's", async () => {
		const r = t.resident();
		await playShortest(r, "Akta Kematian");
		const [row] = await requestRows(r.id);
		expect(row?.subject_nik).toBe("1674010101400003");
		await env.DB.prepare("UPDATE requests SET status = 'completed', closed_at = 1 WHERE id = ?")
			.bind(row?.id)
			.run();
		await env.DB.batch(eraseRequestStatements(env.DB, String(row?.id), Date.now()));
		const erased = await env.DB.prepare("SELECT * FROM requests WHERE id = ?")
			.bind(row?.id)
			.first();
		expect(erased).toMatchObject({
			resident_name: "",
			subject_nik: null,
			subject_kind: "deceased_nik",
		});
	});
});

describe("the list of needed documents", () => {
	it("names the SPTJM beside the document it replaces, and says staff fill the forms", async () => {
		const r = t.resident();
		await r.say("Halo");
		const needed = texts(await r.tap("Akta Kelahiran"));
		expect(needed).toContain(
			"• Surat keterangan lahir dari dokter atau bidan _(bila tidak ada: SPTJM kebenaran data kelahiran)_",
		);
		expect(needed).not.toContain("• SPTJM");
		expect(needed).toContain("F-1.xx/F-2.xx");
	});
});
