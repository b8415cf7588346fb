import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGraph } from "../fake-graph";
import { jpeg, pdf, Resident, requestRows, texts, wire } from "../helpers/resident";

let graph: FakeGraph;
let restore: () => void;
let n = 0;

beforeEach(() => {
	graph = new FakeGraph();
	restore = graph.install();
});
afterEach(() => {
	// Every message the bot sent must pass Meta's limits (the fake refuses those that do not).
	expect(graph.rejected).toEqual([]);
	restore();
});

function resident(): Resident {
	n++;
	return new Resident(`62812000${String(n).padStart(5, "0")}`, graph);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("from Halo to a ticket", () => {
	it("files an Akta Kematian request with four documents", async () => {
		const r = resident();
		const greeting = await r.say("Halo");
		expect(texts(greeting)).toContain("Disdukcapil Kota Prabumulih");
		expect(r.options().map((o) => o.title)).toContain("Akta Kematian");

		const needed = await r.tap("Akta Kematian");
		expect(texts(needed)).toMatch(/Surat Keterangan Kematian|kematian/i);
		expect(texts(needed)).toContain("NIK");

		await r.say("1674015203900001");
		await r.say("Siti Aminah");
		await r.tap("Prabumulih Barat");
		const askDoc = await r.tap("Gunung Kemala");
		expect(texts(askDoc)).toMatch(/1\/4/);

		const files: Uint8Array[] = [];
		for (let i = 0; i < 4; i++) {
			const bytes = i % 2 === 0 ? pdf(5000 + i, i) : jpeg(3000 + i, i);
			files.push(bytes);
			const media = await graph.addMedia(bytes, i % 2 === 0 ? "application/pdf" : "image/jpeg");
			const received = await r.send(
				i % 2 === 0
					? wire.document(media.id, `dok${i}.pdf`, "application/pdf", media.sha256Base64)
					: wire.image(media.id, media.sha256Base64),
			);
			expect(texts(received)).toContain("✅");
			const next = await r.tap("Lanjut");
			if (i < 3) expect(texts(next)).toContain(`${i + 2}/4`);
			else expect(texts(next)).toContain("Sudah benar?");
		}
		const done = await r.tap("Kirim");
		const ticket = texts(done).match(/PBM-\d{6}-\d{4}/)?.[0];
		expect(ticket).toBeDefined();

		const [row] = await requestRows(r.id);
		expect(row).toMatchObject({
			ticket,
			status: "submitted",
			service_code: "akta_kematian",
			resident_name: "Siti Aminah",
			nik: "1674015203900001",
			area_code: "16.74.01.1011",
		});
		const { results: attachments } = await env.DB.prepare(
			"SELECT * FROM attachments WHERE request_id = ? ORDER BY created_at, r2_key",
		)
			.bind(row?.id)
			.all<{ r2_key: string; size: number; doc_code: string }>();
		expect(attachments).toHaveLength(4);
		for (const attachment of attachments) {
			const object = await env.FILES.get(attachment.r2_key);
			expect(object).not.toBeNull();
			const bytes = await readAll(object?.body as ReadableStream<Uint8Array>);
			expect(
				files.some((f) => f.length === bytes.length && f.every((b, i) => b === bytes[i])),
			).toBe(true);
			expect(attachment.r2_key).toMatch(
				new RegExp(`^requests/${row?.id}/${attachment.doc_code}/wamid\\.`),
			);
		}
	});
});
