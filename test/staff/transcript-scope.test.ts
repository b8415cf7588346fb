import { describe, expect, it } from "vitest";
import { fillDetails, requestRows, sendFile, texts, withResidents } from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";

const t = withResidents("62813700");
const AREA_A = "16.74.01.1011"; // Gunung Kemala, Prabumulih Barat
const AREA_B = "16.74.02.1003"; // Karang Raja, Prabumulih Timur

interface Transcript {
	messages: { direction: string; text: string | null }[];
}

async function transcriptText(id: string, token?: string): Promise<string> {
	const res = await api("GET", `/requests/${id}/messages`, token ? { token } : {});
	expect(res.status).toBe(200);
	const body = await res.json<Transcript>();
	return body.messages.map((m) => m.text ?? "").join("\n");
}

describe("a status reply about several requests in the staff's transcripts", () => {
	it("belongs to no request, and shows only to staff who may see every ticket it lists", async () => {
		const r = t.resident();
		const kelA = await createStaff("kelurahan", AREA_A);
		const kelB = await createStaff("kelurahan", AREA_B);

		await fillDetails(r, {
			service: "Legalisir",
			kecamatan: "Prabumulih Barat",
			area: "Gunung Kemala",
		});
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [first] = await requestRows(r.id);
		const firstTicket = String(first?.ticket);

		// A second draft, in another kelurahan: `status` typed in the middle of it.
		await fillDetails(r, {
			service: "Legalisir",
			kecamatan: "Prabumulih Timur",
			area: "Karang Raja",
		});
		expect(texts(await r.say("status"))).toContain(firstTicket);
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const rows = await requestRows(r.id);
		const second = rows[1];
		expect(second?.area_code).toBe(AREA_B);
		const secondId = String(second?.id);
		const secondTicket = String(second?.ticket);

		// The list named only the first request: never in the second one's transcript.
		expect(await transcriptText(secondId, kelB.token)).not.toContain(firstTicket);
		expect(await transcriptText(secondId)).not.toContain(firstTicket);
		// It is about the first request alone: its operator may read it.
		expect(await transcriptText(String(first?.id), kelA.token)).toContain(firstTicket);

		// Now a list of both: neither area's operator reads it, the admin does, under both.
		expect(texts(await r.say("status"))).toContain(secondTicket);
		const forA = await transcriptText(String(first?.id), kelA.token);
		const forB = await transcriptText(secondId, kelB.token);
		expect(forA).not.toContain(secondTicket);
		expect(forB).not.toContain(firstTicket);
		for (const id of [String(first?.id), secondId]) {
			const forAdmin = await transcriptText(id);
			expect(forAdmin).toContain(firstTicket);
			expect(forAdmin).toContain(secondTicket);
		}
	});
});
