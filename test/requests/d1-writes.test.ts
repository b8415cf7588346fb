/**
 * D1 rows written (what D1 bills: every table row and every index entry) by the bench's request,
 * statement by statement, so that the cost figure of issue 15 can be traced to the SQL that pays it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	counters,
	meteredD1,
	resetCounters,
	type StatementTally,
	startStatementTally,
	stopStatementTally,
} from "../../src/metrics";
import { markPurged } from "../../src/requests/retention";
import { transitionRequest } from "../../src/requests/transitions";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	texts,
	withResidents,
} from "../helpers/resident";

const t = withResidents("62817000");

/** The bench's Legalisir dialogue (bench/resident.mjs): details, three PDFs, lanjut, kirim. */
async function fileLegalisir(r: Resident): Promise<string> {
	await fillDetails(r, { service: "Legalisir", kecamatan: "Cambai", area: "Cambai" });
	for (let i = 0; i < 3; i++) await sendFile(r, "pdf");
	await r.say("lanjut");
	const done = await r.say("kirim");
	const ticket = /PBM-\d{6}-\d{4}/.exec(texts(done))?.[0];
	if (ticket === undefined) throw new Error(`no ticket in ${texts(done)}`);
	return ticket;
}

/** Runs `work` with a statement tally; the rows written by each writing statement's verb and table. */
async function rowsWrittenBy(work: () => Promise<unknown>): Promise<Record<string, number>> {
	const tally = startStatementTally();
	try {
		await work();
	} finally {
		stopStatementTally();
	}
	return byTable(tally);
}

/** Sums a tally by "<verb> <table>" (e.g. "INSERT INTO requests"), leaving out reads. */
function byTable(tally: Map<string, StatementTally>): Record<string, number> {
	const rows: Record<string, number> = {};
	for (const [sql, entry] of tally) {
		if (entry.rowsWritten === 0) continue;
		const label = /^(INSERT INTO|UPDATE|DELETE FROM) (\w+)/.exec(sql)?.slice(1).join(" ") ?? sql;
		rows[label] = (rows[label] ?? 0) + entry.rowsWritten;
	}
	return rows;
}

const total = (rows: Record<string, number>) => Object.values(rows).reduce((a, n) => a + n, 0);

describe("D1 rows written per request (issue 15's cost)", () => {
	it("files the bench's Legalisir request (three PDFs) with 27 rows written, by statement", async () => {
		// The day's first request also creates its ticket counter (2 rows once a day): file one
		// first, as the bench's 200 requests a day amortise it to nothing.
		await fileLegalisir(t.resident());
		resetCounters();
		const rows = await rowsWrittenBy(() => fileLegalisir(t.resident()));
		console.log("D1 rows written by the bench's request:", rows);
		expect(rows).toEqual({
			// The day's number: one row.
			"UPDATE ticket_counters": 1,
			// The row, its primary key and ticket keys, and each of its eight other indexes (32 rows
			// before migration 0029 dropped requests_by_service and requests_by_due: 13 here).
			"INSERT INTO requests": 11,
			// Per file: the row, its primary key, r2_key and (request, document); 5 with the dropped
			// attachments_by_message.
			"INSERT INTO attachments": 3 * 4,
			// The row, its primary key, (request, at).
			"INSERT INTO request_events": 3,
		});
		expect(total(rows)).toBe(27);
		// Nothing is written outside the metered statements, and nothing on the webhook's path.
		expect(counters.d1RowsWritten).toBe(27);
		expect(counters.d1QueriesOnWebhook).toBe(0);
	});

	it("moves a request through its statuses writing the row, its status key and the erasure key", async () => {
		const r = t.resident();
		await fileLegalisir(r);
		const [request] = await requestRows(r.id);
		const db = meteredD1(env.DB);
		const move = (to: "in_review" | "processing" | "completed") =>
			rowsWrittenBy(async () => {
				const outcome = await transitionRequest(db, {
					requestId: String(request?.id),
					to,
					actor: "staff:d1-writes",
				});
				expect(outcome.ok).toBe(true);
			});
		const steps = {
			in_review: await move("in_review"),
			processing: await move("processing"),
			completed: await move("completed"),
		};
		console.log("D1 rows written by status changes:", steps);
		// The event: row, primary key, (request, at); the audit row: row, primary key, four indexes.
		const eventAndAudit = { "INSERT INTO request_events": 3, "INSERT INTO audit_log": 6 };
		expect(steps).toEqual({
			// The row and requests_by_status (3 with requests_by_due, whose date the UPDATE assigns).
			in_review: { "UPDATE requests": 2, ...eventAndAudit },
			processing: { "UPDATE requests": 2, ...eventAndAudit },
			// And requests_to_erase, which a closed request enters (5 with requests_to_purge too).
			completed: { "UPDATE requests": 3, ...eventAndAudit },
		});
	});

	it("purges and erases a closed request after retention writing each row once (20 rows, not 28)", async () => {
		const r = t.resident();
		await fileLegalisir(r);
		const [request] = await requestRows(r.id);
		const requestId = String(request?.id);
		const db = meteredD1(env.DB);
		for (const to of ["in_review", "processing", "completed"] as const) {
			await transitionRequest(db, { requestId, to, actor: "staff:d1-writes" });
		}
		const rows = await rowsWrittenBy(() =>
			markPurged(db, requestId, { files: 3, retentionDays: 365 }, Date.now()),
		);
		console.log("D1 rows written by the retention purge:", rows);
		expect(rows).toEqual({
			// The row, its primary key and R2 key per file (12 when purged_at was set first).
			"UPDATE attachments": 3 * 3,
			// The row and the NIK, name, phone and chat keys (6 when purged_at was set first).
			"UPDATE requests": 5,
			// Event reasons only where there is one (none here: 4 when every event was rewritten).
			"INSERT INTO audit_log": 6,
		});
		// Read by id: the erasure emptied the chat's identifiers requestRows looks it up by.
		const after = await env.DB.prepare("SELECT purged_at, erased_at FROM requests WHERE id = ?")
			.bind(requestId)
			.first<{ purged_at: number | null; erased_at: number | null }>();
		expect(after?.purged_at).toEqual(expect.any(Number));
		expect(after?.erased_at).toBe(after?.purged_at);
		const files = await env.DB.prepare("SELECT purged_at FROM attachments WHERE request_id = ?")
			.bind(requestId)
			.all<{ purged_at: number | null }>();
		expect(files.results.map((f) => f.purged_at)).toEqual([1, 2, 3].map(() => after?.purged_at));
	});
});
