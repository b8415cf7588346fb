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
	it("files the bench's Legalisir request (three PDFs) with 32 rows written, by statement", async () => {
		// The day's first request also creates its ticket counter (2 rows once a day): file one
		// first, as the bench's 200 requests a day amortise it to nothing.
		await fileLegalisir(t.resident());
		resetCounters();
		const rows = await rowsWrittenBy(() => fileLegalisir(t.resident()));
		console.log("D1 rows written by the bench's request:", rows);
		expect(rows).toEqual({
			// The day's number: one row.
			"UPDATE ticket_counters": 1,
			// The row, its primary key and ticket keys, and each of its ten other indexes.
			"INSERT INTO requests": 13,
			// Per file: the row, its primary key, r2_key, (request, document), (request, document, message).
			"INSERT INTO attachments": 3 * 5,
			// The row, its primary key, (request, at).
			"INSERT INTO request_events": 3,
		});
		expect(total(rows)).toBe(32);
		// Nothing is written outside the metered statements, and nothing on the webhook's path.
		expect(counters.d1RowsWritten).toBe(32);
		expect(counters.d1QueriesOnWebhook).toBe(0);
	});

	it("moves a request through its statuses writing the row, its status key and the closing keys", async () => {
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
			// The row, requests_by_status and requests_by_due (its date is assigned, unchanged).
			in_review: { "UPDATE requests": 3, ...eventAndAudit },
			processing: { "UPDATE requests": 3, ...eventAndAudit },
			// And the two partial indexes of closed requests (to purge, to erase).
			completed: { "UPDATE requests": 5, ...eventAndAudit },
		});
	});
});
