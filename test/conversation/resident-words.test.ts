import { describe, expect, it } from "vitest";
import type { InboundContent } from "../../src/channel/events";
import { initialState, step } from "../../src/conversation/dialogue";
import { textsFor } from "../../src/conversation/texts";
import { requestRows, sendFile, textOf, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

// Issue 16: what a resident needs to hear.

const t = withResidents("62814016");

async function ktp(variant: string) {
	const r = t.resident();
	await r.say("Halo");
	await r.tap("KTP-el");
	await r.tap(variant);
	await r.say("1674015203900001");
	await r.say("Budi Santoso");
	await r.say("Gunung Kemala");
	return r;
}

describe("what a resident needs to hear", () => {
	it("gives the photo tips once, with the first document only", async () => {
		const r = await ktp("Rusak");
		await sendFile(r, "jpeg");
		await sendFile(r, "jpeg");
		const all = texts(r.sent());
		expect(all.match(/Tips foto/g)).toHaveLength(1);
		expect(all).toContain("bukan fotokopi");
		expect(all.indexOf("Tips foto")).toBeLessThan(all.indexOf("Dokumen 1/2"));
	});

	it("the receipt of a first KTP-el promises a recording appointment, not a printed card, and warns of calo", async () => {
		const r = await ktp("KTP-el Pertama");
		await sendFile(r, "jpeg");
		const done = texts(await r.tap("Kirim"));
		expect(done).toContain("jadwal perekaman");
		expect(done).toContain("KK asli");
		expect(done).not.toContain("Kartu yang sudah dicetak");
		expect(done).toContain("calo");
		expect(done).toContain("*gratis*");
	});

	it("a pick-up notice for a damaged KTP-el says to bring the ticket, the original KK and the damaged card", async () => {
		const r = await ktp("Rusak");
		await sendFile(r, "jpeg");
		await sendFile(r, "jpeg");
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const res = await api("POST", `/requests/${row?.id}/pickup`, {
			json: { place: "Kantor Disdukcapil", from: "Senin, 7 Desember 2026" },
		});
		expect(res.status).toBe(202);
		await r.settle();
		const notice = textOf(r.replies().at(-1));
		expect(notice).toContain("kode tiket ini, KK asli dan KTP-el yang rusak");
	});

	it("a file too large is asked again as a photo, not as a document", () => {
		const ctx = {
			catalog: { services: [], kecamatan: [], office: {} },
			officeName: "Disdukcapil",
			now: 1_000,
			newRequestId: "req-1",
		};
		const content: InboundContent = {
			kind: "media",
			media: "document",
			mediaId: "m",
			mimeType: "application/pdf",
		};
		const sent = step(
			initialState("id"),
			{ type: "message", message: { id: "w1", sentAt: 1_000, content } },
			ctx,
		);
		const refused = step(
			sent.state,
			{ type: "media_refused", messageId: "w1", reason: "too_large" },
			ctx,
		);
		const said = refused.effects.flatMap((e) =>
			e.kind === "send" && e.message.type === "text" ? [e.message.body] : [],
		);
		expect(said.join()).toContain("Kirim sebagai *foto* (bukan sebagai dokumen)");
		expect(textsFor("en").tooLarge("KK", 10)).toContain("as a *photo* (not as a document)");
	});
});
