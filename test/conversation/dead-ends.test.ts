import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fillDetails, textOf, texts, wire, withResidents } from "../helpers/resident";

// Issue 16: no answer of the dialogue leaves the resident without a way forward.

const t = withResidents("62812016");
const HOUR = 60 * 60 * 1000;

async function atNik() {
	const r = t.resident();
	await r.say("Halo");
	await r.tap("Legalisir");
	r.replies();
	return r;
}

describe("the NIK question", () => {
	it("takes the 16 digits out of a sentence", async () => {
		const r = await atNik();
		const replies = await r.say("NIK saya 1674011203850001");
		expect(texts(replies)).not.toContain("16 angka");
		expect(texts(replies)).toContain("nama lengkap");
	});

	it("says where the NIK is written and offers petugas to a resident who does not know it", async () => {
		const r = await atNik();
		const replies = await r.say("tidak tahu");
		expect(texts(replies)).toContain("KTP-el");
		expect(texts(replies)).toContain("Kartu Keluarga");
		expect(texts(replies)).toContain("*petugas*");
	});

	it("never calls a woman's NIK impossible: day + 40 is explained, 31 April + 40 is accepted", async () => {
		const r = await atNik();
		const typo = await r.say("1674013504900001"); // day 35: neither a man's nor a woman's
		expect(texts(typo)).not.toMatch(/tidak mungkin/);
		expect(texts(typo)).toContain("41 sampai 71 untuk perempuan");
		const woman = await r.say("1674017104900001"); // a woman born "31 April": a warning only
		expect(texts(woman)).toContain("nama lengkap");
	});
});

describe("refusals say what to do next", () => {
	it("a required document asked to be skipped: send it, petugas or batal", async () => {
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir" });
		const required = await r.say("lanjut");
		expect(texts(required)).toContain("*petugas*");
		expect(texts(required)).toContain("*batal*");
	});

	it("an answer not understood: points to bantuan and petugas and asks again, in one message", async () => {
		const r = t.resident();
		await r.say("Halo");
		const replies = await r.say("zzz qqq");
		expect(replies).toHaveLength(1);
		expect(texts(replies)).toContain("*petugas*");
		expect(texts(replies)).toContain("*bantuan*");
		expect(r.options().length).toBeGreaterThan(0);
	});

	it("a voice note: type it, or ask for petugas", async () => {
		const r = await atNik();
		const replies = await r.send(wire.voice());
		expect(textOf(replies[0])).toContain("pesan suara");
		expect(textOf(replies[0])).toContain("*petugas*");
	});

	it("the reminder names the date and time the unfinished draft is deleted", async () => {
		const r = await atNik();
		await r.age(23 * HOUR + 60_000);
		await runDurableObjectAlarm(r.stub);
		await r.settle();
		const reminder = textOf(r.replies()[0]);
		expect(reminder).not.toContain("kapan saja");
		// Seven days after the last message, in the office's clock (WIB by default).
		const deadline = new Date(Date.now() - 23 * HOUR - 60_000 + 7 * 24 * HOUR);
		const wib = new Date(deadline.getTime() + 7 * HOUR);
		expect(reminder).toContain(`${wib.getUTCDate()} `);
		expect(reminder).toMatch(/pukul \d\d\.\d\d WIB/);
	});
});
