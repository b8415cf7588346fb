import { describe, expect, it } from "vitest";
import { fillDetails, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

/**
 * Issue 11: a resident who types `kelurahan` (or `bantuan kelurahan`) after choosing an area, or
 * says they cannot send a document, is told where their kelurahan office is and that it can file
 * for them; the question they were at is asked again.
 */
const t = withResidents("62813119");
const GUNUNG_KEMALA = "16.74.01.1011";
const CONTACT = {
	address: "Jl. Gunung Kemala No. 7, Prabumulih",
	phone: "0713-390011",
	hours: "Senin-Jumat 08.00-15.00",
};

describe("the kelurahan's help in the dialogue", () => {
	it("tells where the office of the chosen area is, on `kelurahan` and `tidak bisa kirim`", async () => {
		// Before the resident's first message, so the conversation's catalog has the contact.
		expect((await api("PATCH", `/areas/${GUNUNG_KEMALA}`, { json: CONTACT })).status).toBe(200);
		const r = t.resident();
		await r.say("Halo");
		const early = texts(await r.say("kelurahan"));
		expect(early).toContain("Pilih dulu layanan dan kelurahan/desa Anda");

		await fillDetails(r, { service: "Legalisir" });
		for (const asked of ["kelurahan", "bantuan kelurahan", "tidak bisa kirim"]) {
			const reply = texts(await r.say(asked));
			expect(reply, asked).toContain("*Bantuan Kelurahan Gunung Kemala*");
			expect(reply, asked).toContain("dapat mengajukan permohonan untuk Anda");
			expect(reply, asked).toContain(`📍 Alamat: ${CONTACT.address}`);
			expect(reply, asked).toContain(`📞 Telepon: ${CONTACT.phone}`);
			expect(reply, asked).toContain(`🕘 Jam layanan: ${CONTACT.hours}`);
			// And the document is asked for again.
			expect(reply, asked).toContain(
				"Dokumen 1/1: kirim foto/scan *Dokumen yang akan dilegalisir*",
			);
		}
		// `bantuan` alone is still the general help.
		expect(texts(await r.say("bantuan"))).not.toContain("Bantuan Kelurahan");
	});

	it("says so when the office's address is not known yet, in English too", async () => {
		const r = t.resident();
		await r.say("english");
		await fillDetails(r, { service: "Certified Copy", area: "Payuputat" });
		const reply = texts(await r.say("cannot send"));
		expect(reply).toContain("*Help from Kelurahan Payuputat*");
		expect(reply).toContain("can file the request for you");
		expect(reply).toContain("We do not have the office's address yet");
	});
});
