import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { purgeExpired } from "../../src/scheduled/retention";
import { FakeGraph } from "../fake-graph";
import { fillDetails, Resident, requestRows, sendFile, texts } from "../helpers/resident";

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

		const transcript = await old.r.stub.transcript(old.id);
		expect(transcript.length).toBeGreaterThan(0);
		expect(JSON.stringify(transcript)).not.toContain("1674015203900001");
		expect(JSON.stringify(transcript)).not.toContain("Budi Santoso");
		expect(texts(old.r.sent())).toContain("Budi Santoso"); // it was said, and is now forgotten
		// A second run finds nothing more to do.
		expect(await purgeExpired(env, 90)).toBe(0);
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
