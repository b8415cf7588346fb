import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { log } from "../../src/log";
import { fillDetails, requestRows, sendFile, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";
import { postWebhook, textDelivery } from "../helpers/webhook";

const t = withResidents("62817000");
const NIK = "1674015203901234";

/** Every line written to the console from now on (the spies are restored after each test). */
function captureConsole(): string[] {
	const lines: string[] = [];
	for (const level of ["log", "info", "warn", "error"] as const) {
		vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
			lines.push(args.map(String).join(" "));
		});
	}
	return lines;
}

describe("identifiers in logs and audit rows", () => {
	it("masks wamids, phone numbers, NIK-shaped digits and tokens in every log line", () => {
		const lines = captureConsole();
		log.error("test.leak", {
			detail: `NIK ${NIK} from +62 812-3456-7890 or 081234567890, wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNF`,
			token: "dks_3q2-7s8f9g0h1j2k3l4m5n6o7p8q9r0s1t2u3v4w5x6y",
			header: "Bearer abcdefghijklmnop",
			count: 1795900000000,
			ticket: "PBM-261128-0042",
		});
		const line = lines.join("\n");
		for (const secret of [
			NIK,
			"812-3456-7890",
			"081234567890",
			"HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNF",
			"7s8f9g0h1j2k3l4m5n6o7p8q9r0s1t2u3v4w5x6y",
			"abcdefghijklmnop",
		]) {
			expect(line).not.toContain(secret);
		}
		// Still JSON, with numbers and tickets as they were.
		expect(JSON.parse(line)).toMatchObject({ count: 1795900000000, ticket: "PBM-261128-0042" });
	});

	it("logs a too-old message's wamid masked", async () => {
		const lines = captureConsole();
		const phone = "6281700099999";
		const wamid = `wamid.HBgN${phone}FQIAEhggQTVCRjY1`;
		const old = Math.floor(Date.now() / 1000) - 10 * 24 * 60 * 60;
		const res = await postWebhook(textDelivery(phone, [{ id: wamid, text: "halo", at: old }]));
		expect(res.status).toBe(200);
		const line = lines.find((l) => l.includes("too_old"));
		expect(line).toBeDefined();
		expect(line).not.toContain(wamid);
		expect(line).not.toContain(phone);
		expect(line).toContain("wami");
	});

	it("keeps a resident's NIK, phone and wamids out of every log line and audit row", async () => {
		const lines = captureConsole();
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir", nik: NIK });
		await sendFile(r, "pdf");
		for (let i = 0; i < 20 && !texts(r.sent().slice(-1)).includes("Sudah benar?"); i++) {
			await r.tap("Lanjut");
		}
		await r.tap("Kirim");
		const [row] = await requestRows(r.id);
		const id = String(row?.id);
		// Staff open it and every file: each view is audited with the attachment's id.
		const detail = await (await api("GET", `/requests/${id}`)).json<{
			documents: { attachments: { id: string; downloadUrl: string }[] }[];
		}>();
		const files = detail.documents.flatMap((d) => d.attachments);
		expect(files.length).toBeGreaterThan(0);
		for (const file of files) {
			expect(file.id).not.toContain("wamid");
			const res = await api("GET", file.downloadUrl.replace(/^\/api\/v1/, ""));
			expect(res.status).toBe(200);
			await res.arrayBuffer();
		}
		// A broken log call site cannot leak either.
		log.warn("test.call_site", { resident: r.id, nik: NIK });

		const { results } = await env.DB.prepare("SELECT * FROM audit_log").all();
		const audit = JSON.stringify(results);
		expect(audit).toContain(files[0]?.id);
		const logged = lines.join("\n");
		expect(logged).toContain("test.call_site");
		for (const text of [audit, logged]) {
			expect(text).not.toContain(NIK);
			expect(text).not.toContain(r.id);
			expect(text).not.toContain("wamid.");
		}
	});
});
