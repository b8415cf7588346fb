import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import {
	fillDetails,
	pdf,
	type Resident,
	requestRows,
	sendFile,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { postWebhook } from "../helpers/webhook";

const t = withResidents("62817000");
const resident = () => t.resident();

/** Lets retries happen until `done` holds (bounded). */
async function until(
	r: Resident,
	done: () => boolean | Promise<boolean>,
	rounds = 40,
): Promise<void> {
	for (let i = 0; i < rounds && !(await done()); i++) await r.fastForward();
	expect(await done()).toBe(true);
}

const lastText = (r: Resident) => texts(r.sent().slice(-1));

/** Every outbox row that was sent reached the fake exactly once; nothing else reached it. */
async function sentExactlyOnce(r: Resident): Promise<void> {
	const rows = await runInDurableObject(r.stub, (_i, state) =>
		state.storage.sql
			.exec<{ wamid: string | null; state: string }>("SELECT wamid, state FROM outbox")
			.toArray(),
	);
	const sent = rows.filter((row) => row.state === "sent");
	const delivered = r.sent();
	expect(delivered.map((m) => m.id).sort()).toEqual(sent.map((row) => row.wamid).sort());
	expect(new Set(delivered.map((m) => m.id)).size).toBe(delivered.length);
}

describe("faults", () => {
	it("files every request once when the Graph API fails or times out on a share of calls", async () => {
		t.graph.chaos(
			0.3,
			[
				{ kind: "http", status: 429, retryAfter: 1 },
				{ kind: "http", status: 500 },
				{ kind: "timeout" },
			],
			42,
		);
		const people = [resident(), resident(), resident()];
		for (const r of people) {
			await r.say("Halo");
			await until(r, () => lastText(r).includes("Layanan apa"));
			await r.send(wire.text("8"));
			await until(r, () => lastText(r).includes("NIK"));
			await r.say("1674015203900001");
			await until(r, () => lastText(r).includes("nama lengkap"));
			await r.say("Rudi Hartono");
			await until(r, () => lastText(r).includes("kecamatan"));
			await r.say("3");
			await until(r, () => lastText(r).includes("Kelurahan/desa"));
			await r.say("1");
			await until(r, () => lastText(r).includes("1/1"));
			await sendFile(r, "pdf");
			await until(r, () => lastText(r).includes("✅"));
			await r.say("lanjut");
			await until(r, () => lastText(r).includes("Sudah benar?"));
			await r.say("kirim");
			await until(r, () => /PBM-\d{6}-\d{4}/.test(texts(r.sent())));
		}
		t.graph.chaos(0);
		for (const r of people) {
			await r.fastForward();
			const rows = await requestRows(r.id);
			expect(rows).toHaveLength(1);
			const ticket = String(rows[0]?.ticket);
			expect(texts(r.sent()).split(ticket).length - 1).toBe(1); // told once
			const { results } = await env.DB.prepare(
				"SELECT r2_key FROM attachments WHERE request_id = ?",
			)
				.bind(rows[0]?.id)
				.all<{ r2_key: string }>();
			expect(results).toHaveLength(1);
			expect(await env.FILES.head(results[0]?.r2_key ?? "")).not.toBeNull();
			await sentExactlyOnce(r);
		}
	}, 120_000);

	it("keeps the file when R2 refuses to store it twice, and stores it once", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		const put = env.FILES.put.bind(env.FILES);
		let failures = 0;
		// Restored on its own: `vi.restoreAllMocks` would also take away the fake Graph API.
		const putSpy = vi
			.spyOn(env.FILES, "put")
			.mockImplementation(async (...args: Parameters<R2Bucket["put"]>) => {
				if (failures < 2) {
					failures++;
					throw new Error("R2 put failed (injected)");
				}
				return put(...args);
			});
		const { bytes } = await sendFile(r, "pdf");
		await until(r, () => lastText(r).includes("✅"));
		expect(failures).toBe(2);
		putSpy.mockRestore();
		await r.say("lanjut");
		await r.say("kirim");
		const [row] = await requestRows(r.id);
		const { results } = await env.DB.prepare("SELECT r2_key FROM attachments WHERE request_id = ?")
			.bind(row?.id)
			.all<{ r2_key: string }>();
		expect(results).toHaveLength(1);
		const object = await env.FILES.get(results[0]?.r2_key ?? "");
		expect(new Uint8Array(await new Response(object?.body).arrayBuffer())).toEqual(bytes);
		const listed = await env.FILES.list({ prefix: `requests/${row?.id}/` });
		expect(listed.objects).toHaveLength(1);
	}, 30_000);

	it("submits once when the D1 batch fails, after retrying", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "pdf");
		await r.say("lanjut");
		const batch = env.DB.batch.bind(env.DB);
		let failures = 0;
		const batchSpy = vi.spyOn(env.DB, "batch").mockImplementation(async (statements) => {
			if (failures < 2) {
				failures++;
				throw new Error("D1 unavailable (injected)");
			}
			return batch(statements);
		});
		await r.say("kirim");
		await until(r, () => /PBM-\d{6}-\d{4}/.test(texts(r.sent())));
		expect(failures).toBe(2);
		batchSpy.mockRestore();
		expect(await requestRows(r.id)).toHaveLength(1);
		await sentExactlyOnce(r);
	});

	it("sends nothing twice and loses nothing when the object is evicted in the middle of its alarm", async () => {
		const r = resident();
		await r.say("Halo");
		// The reply to the next message hangs until the alarm is cut short by the eviction.
		t.graph.fail("messages", { kind: "timeout" });
		const { body } = r.delivery([wire.text("8")]);
		expect((await postWebhook(body)).status).toBe(200);
		const inFlight = runDurableObjectAlarm(r.stub).catch(() => false);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await evictDurableObject(r.stub);
		await inFlight;
		await r.fastForward();
		await until(r, () => lastText(r).includes("NIK"));
		await sentExactlyOnce(r);
		const replies = texts(r.sent());
		expect(replies.split("Untuk *Legalisir*").length - 1).toBe(1);
	});

	it("stores a file once and answers it once when the object is evicted in the middle of its download", async () => {
		const r = resident();
		await fillDetails(r, { service: "Legalisir" });
		const bytes = pdf(6000, 7);
		const media = await r.graph.addMedia(bytes, "application/pdf");
		// The download, carried out before the file's step commits, hangs until the eviction.
		t.graph.fail("media_download", { kind: "timeout" });
		const { body, ids } = r.delivery([
			wire.document(media.id, "scan.pdf", "application/pdf", media.sha256Base64),
		]);
		expect((await postWebhook(body)).status).toBe(200);
		const inFlight = runDurableObjectAlarm(r.stub).catch(() => false);
		await new Promise((resolve) => setTimeout(resolve, 50));
		await evictDurableObject(r.stub);
		await inFlight;
		await until(r, () => lastText(r).includes("Sudah benar?") || lastText(r).includes("✅"));
		await sentExactlyOnce(r);
		expect(texts(r.sent()).split("✅").length - 1).toBe(1);
		const listed = await env.FILES.list({ prefix: "requests/" });
		const stored = listed.objects.filter((o) => o.key.endsWith(encodeURIComponent(ids[0] ?? "")));
		expect(stored).toHaveLength(1);
		expect(stored[0]?.size).toBe(bytes.length);
	});
});
