import {
	createExecutionContext,
	createScheduledController,
	runInDurableObject,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationName } from "../../src/channel/address";
import worker from "../../src/index";
import { purgeExpired, purgeRetriedDeadLetters } from "../../src/scheduled/retention";
import { FakeGraph } from "../fake-graph";
import { unreachableObject } from "../helpers/faults";
import { fillDetails, Resident, requestRows, sendFile, texts } from "../helpers/resident";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

let graph: FakeGraph;
let restore: () => void;
beforeEach(() => {
	graph = new FakeGraph();
	restore = graph.install();
});
afterEach(() => restore());

const DAY = 24 * 60 * 60 * 1000;
let n = 0;

async function finishedRequest(closedDaysAgo: number) {
	n++;
	const r = new Resident(`62818800${String(n).padStart(5, "0")}`, graph);
	await fillDetails(r, { service: "Legalisir" });
	await sendFile(r, "pdf");
	await r.tap("Lanjut");
	await r.tap("Kirim");
	const [row] = await requestRows(r.id);
	const id = String(row?.id);
	await env.DB.prepare("UPDATE requests SET status = 'completed', closed_at = ? WHERE id = ?")
		.bind(Date.now() - closedDaysAgo * DAY, id)
		.run();
	// The chat happened before the closing, as in real life (past Meta's 7-day redelivery horizon).
	await runInDurableObject(r.stub, (_i, state) => {
		const ms = (closedDaysAgo + 1) * DAY;
		state.storage.sql.exec(
			"UPDATE inbox SET received_at = received_at - ?, sent_at = sent_at - ?",
			ms,
			ms,
		);
		state.storage.sql.exec("UPDATE outbox SET created_at = created_at - ?", ms);
	});
	return { r, id };
}

describe("retention", () => {
	it("deletes the files and transcript of requests closed longer ago than RETENTION_DAYS, keeps the record", async () => {
		const old = await finishedRequest(91);
		const recent = await finishedRequest(10);
		expect(await purgeExpired(env, 90)).toBe(1);

		expect((await env.FILES.list({ prefix: `requests/${old.id}/` })).objects).toEqual([]);
		expect((await env.FILES.list({ prefix: `requests/${recent.id}/` })).objects).toHaveLength(1);
		const row = await env.DB.prepare("SELECT status, purged_at FROM requests WHERE id = ?")
			.bind(old.id)
			.first();
		expect(row?.status).toBe("completed");
		expect(row?.purged_at).not.toBeNull();
		const events = await env.DB.prepare(
			"SELECT count(*) AS n FROM request_events WHERE request_id = ?",
		)
			.bind(old.id)
			.first<{ n: number }>();
		expect(events?.n).toBeGreaterThan(0);
		const audit = await env.DB.prepare(
			"SELECT actor, action FROM audit_log WHERE request_id = ? AND action = 'retention.purge'",
		)
			.bind(old.id)
			.first();
		expect(audit).toEqual({ actor: "system", action: "retention.purge" });

		// The transcript is gone (the messages deleted, not only blanked).
		const transcript = await old.r.stub.transcript(old.id);
		expect(transcript).toEqual([]);
		expect(JSON.stringify(transcript)).not.toContain("1674015203900001");
		expect(JSON.stringify(transcript)).not.toContain("Budi Santoso");
		expect(texts(old.r.sent())).toContain("Budi Santoso"); // it was said, and is now forgotten
		// A second run finds nothing more to do.
		expect(await purgeExpired(env, 90)).toBe(0);
	});

	it("purges the others when one request's conversation cannot be reached, and that one the next day", async () => {
		const stuck = await finishedRequest(95);
		const fine = await finishedRequest(94);
		const fault = unreachableObject(conversationName(PHONE_NUMBER_ID, stuck.r.id), "forgetRequest");
		expect(await purgeExpired(env, 90)).toBe(1);
		const purgedAt = async (id: string) =>
			(
				await env.DB.prepare("SELECT purged_at FROM requests WHERE id = ?")
					.bind(id)
					.first<{ purged_at: number | null }>()
			)?.purged_at;
		expect(await purgedAt(fine.id)).not.toBeNull();
		expect(await purgedAt(stuck.id)).toBeNull();
		fault.mockRestore();
		expect(await purgeExpired(env, 90)).toBe(1);
		expect(await purgedAt(stuck.id)).not.toBeNull();
		expect(await stuck.r.stub.transcript(stuck.id)).toEqual([]);
	});

	it("runs from the daily cron with the RETENTION_DAYS setting", async () => {
		const old = await finishedRequest(200);
		const controller = createScheduledController({ cron: "0 19 * * *" });
		const ctx = createExecutionContext();
		await worker.scheduled(controller, env, ctx);
		await waitOnExecutionContext(ctx);
		const row = await env.DB.prepare("SELECT purged_at FROM requests WHERE id = ?")
			.bind(old.id)
			.first<{ purged_at: number | null }>();
		expect(row?.purged_at).not.toBeNull();
	});
});

describe("retention: personal data (UU 27/2022)", () => {
	it("deletes dead letters retried over 30 days ago; keeps open ones and recent retries", async () => {
		const now = Date.now();
		const letter = (id: string, state: string, retriedAt: number | null) =>
			env.DB.prepare(
				`INSERT INTO dead_letters (id, conversation, kind, error, attempts, first_attempt_at,
				 last_attempt_at, state, retried_at) VALUES (?, '1:628188', 'notice', 'x', 8, 1, 2, ?, ?)`,
			).bind(id, state, retriedAt);
		await env.DB.batch([
			letter("retried-long-ago", "retried", now - 31 * DAY),
			letter("retried-lately", "retried", now - 29 * DAY),
			letter("open-long-ago", "open", null),
		]);
		expect(await purgeRetriedDeadLetters(env, now)).toBe(1);
		const { results } = await env.DB.prepare(
			"SELECT id FROM dead_letters WHERE id IN ('retried-long-ago', 'retried-lately', 'open-long-ago') ORDER BY id",
		).all<{ id: string }>();
		expect(results.map((row) => row.id)).toEqual(["open-long-ago", "retried-lately"]);
		expect(await purgeRetriedDeadLetters(env, now)).toBe(0);
	});

	async function withNoteAndReason(id: string) {
		await env.DB.batch([
			env.DB.prepare(
				"INSERT INTO request_notes (id, request_id, at, author, text) VALUES (?, ?, ?, 'staff:x', 'Warga Budi Santoso, NIK 1674015203900001')",
			).bind(crypto.randomUUID(), id, Date.now()),
			env.DB.prepare(
				"INSERT INTO request_events (id, request_id, at, actor, from_status, to_status, reason) VALUES (?, ?, ?, 'staff:x', 'submitted', 'completed', 'Budi Santoso datang sendiri')",
			).bind(crypto.randomUUID(), id, Date.now()),
		]);
	}

	async function recordOf(id: string) {
		return env.DB.prepare(
			`SELECT r.*, (SELECT count(*) FROM attachments WHERE request_id = r.id) AS files,
			 (SELECT count(*) FROM request_notes WHERE request_id = r.id) AS notes,
			 (SELECT count(*) FROM request_events WHERE request_id = r.id) AS events,
			 (SELECT group_concat(text, '|') FROM request_notes WHERE request_id = r.id) AS note_texts,
			 (SELECT group_concat(coalesce(reason, ''), '|') FROM request_events WHERE request_id = r.id) AS reasons,
			 (SELECT group_concat(coalesce(file_name, '') || coalesce(message_id, ''), '|') FROM attachments WHERE request_id = r.id) AS file_ids,
			 (SELECT group_concat(id || ' ' || r2_key, '|') FROM attachments WHERE request_id = r.id) AS attachment_ids
			 FROM requests r WHERE r.id = ?`,
		)
			.bind(id)
			.first<Record<string, string | number | null>>();
	}

	it("pseudonymizes a request past retention: identifiers, notes and reasons gone, statistics kept", async () => {
		const old = await finishedRequest(120);
		await withNoteAndReason(old.id);
		await env.FILES.put(`results/${old.id}/hasil.pdf`, "%PDF-1.7 result");
		const before = await recordOf(old.id);
		expect(before?.nik).toBe("1674015203900001");

		expect(await purgeExpired(env, 90)).toBe(1);
		const after = await recordOf(old.id);
		// Gone: NIK, name, phone, the chat's identifiers, note texts, reasons, file names and wamids.
		expect(after?.nik).toBe("0000000000000000");
		expect(after?.resident_name).toBe("");
		expect(after?.resident_phone).toBeNull();
		expect(after?.resident_id).toBe("");
		expect(after?.business_id).toBe("");
		expect(after?.note_texts).toBe("");
		expect(after?.reasons).not.toContain("Budi");
		expect(after?.file_ids).toBe("");
		expect(before?.attachment_ids).toContain(old.r.id); // made from the wamid, which holds the phone
		expect(JSON.stringify(after)).not.toContain(old.r.id);
		expect(JSON.stringify(after)).not.toContain("Budi");
		// Kept: what the statistics count.
		for (const field of [
			"ticket",
			"service_code",
			"variant_code",
			"area_code",
			"channel",
			"status",
			"created_at",
			"closed_at",
			"files",
			"notes",
			"events",
		]) {
			expect(after?.[field], field).toEqual(before?.[field]);
		}
		expect(after?.erased_at).not.toBeNull();
		// The result file is gone too, and the object forgot every message of the request.
		expect((await env.FILES.list({ prefix: `results/${old.id}/` })).objects).toEqual([]);
		const rows = await runInDurableObject(old.r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ n: number }>(
					"SELECT (SELECT count(*) FROM inbox WHERE request_id = ?1) + (SELECT count(*) FROM outbox WHERE request_id = ?1) AS n",
					old.id,
				)
				.one(),
		);
		expect(rows.n).toBe(0);

		// Running twice is harmless: nothing more to do, the record unchanged.
		expect(await purgeExpired(env, 90)).toBe(0);
		expect(await recordOf(old.id)).toEqual(after);
	});

	it("pseudonymizes requests purged before erasure existed, and finishes a purge cut short", async () => {
		const purgedLongAgo = await finishedRequest(150);
		// Purged by the old purge: files gone and purged_at set, but the NIK kept.
		await env.DB.prepare("UPDATE requests SET purged_at = ? WHERE id = ?")
			.bind(Date.now() - 50 * DAY, purgedLongAgo.id)
			.run();
		const cutShort = await finishedRequest(130);
		// A run that crashed after deleting the files (and the transcript) but before D1's batch.
		await env.FILES.delete(
			(await env.FILES.list({ prefix: `requests/${cutShort.id}/` })).objects.map((o) => o.key),
		);
		await cutShort.r.stub.forgetRequest(cutShort.id);
		expect(await purgeExpired(env, 90)).toBe(2);
		for (const id of [purgedLongAgo.id, cutShort.id]) {
			const row = await recordOf(id);
			expect(row?.nik).toBe("0000000000000000");
			expect(row?.erased_at).not.toBeNull();
		}
	});
});
