/**
 * Which index each query of `requests` and `attachments` reads through (`EXPLAIN QUERY PLAN` on
 * real D1), taken from the product's own query functions: the evidence that the indexes dropped
 * for their write cost (migration 0029) left no list, search, queue, report or sweep without one.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mediaKey } from "../../src/conversation/media-store";
import { requestAttachments } from "../../src/requests/details";
import { countDigest } from "../../src/requests/digest";
import { releasedFiles } from "../../src/requests/held-files";
import { residentRequests } from "../../src/requests/queries";
import { listRequests, type RequestFilters } from "../../src/requests/queue";
import { replanStatements } from "../../src/requests/replan";
import { expiredRequests, unpurgedFileKeys } from "../../src/requests/retention";
import { planSubmission } from "../../src/requests/schedule";
import { submitRequest } from "../../src/requests/submit";
import { loadCalendar } from "../../src/standards/calendar-store";

interface Ran {
	sql: string;
	binds: unknown[];
}

/** `db`, with the SQL and bound values of every statement run through it added to `ran`. */
function recording(db: D1Database, ran: Ran[]): D1Database {
	const statement = (stmt: D1PreparedStatement, sql: string, binds: unknown[]) =>
		new Proxy(stmt, {
			get(target, prop, receiver) {
				if (prop === "bind") {
					return (...values: unknown[]) => statement(target.bind(...values), sql, values);
				}
				const value = Reflect.get(target, prop, receiver);
				if (typeof value !== "function") return value;
				if (prop === "all" || prop === "first" || prop === "run" || prop === "raw") {
					ran.push({ sql, binds });
				}
				return value.bind(target);
			},
		});
	return new Proxy(db, {
		get(target, prop, receiver) {
			if (prop === "prepare") return (sql: string) => statement(target.prepare(sql), sql, []);
			const value = Reflect.get(target, prop, receiver);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** The query plan of each statement `work` runs, one string per statement. */
async function plansOf(work: (db: D1Database) => Promise<unknown>): Promise<string[]> {
	const ran: Ran[] = [];
	await work(recording(env.DB, ran));
	const plans: string[] = [];
	for (const { sql, binds } of ran) {
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
			.bind(...binds)
			.all<{ detail: string }>();
		plans.push(results.map((row) => row.detail).join("; "));
	}
	return plans;
}

/** The one plan of a list page with these filters. */
async function listPlan(filters: Omit<RequestFilters, "limit">): Promise<string> {
	const [plan] = await plansOf((db) => listRequests(db, { limit: 20, ...filters }));
	return plan ?? "";
}

/** A plan line that reads the whole table (not through an index, not by key). */
const FULL_SCAN = /SCAN (r|requests|attachments)(;|$)/;

describe("the indexes of requests", () => {
	it("are the ones the queries below read through, and no more", async () => {
		const { results } = await env.DB.prepare(
			`SELECT tbl_name || '.' || name AS name FROM sqlite_master
			 WHERE type = 'index' AND tbl_name IN ('requests', 'attachments') AND sql IS NOT NULL
			 ORDER BY tbl_name, name`,
		).all<{ name: string }>();
		// Besides the keys of the primary key, the ticket and the R2 key (sqlite_autoindex_*).
		expect(results.map((row) => row.name)).toEqual([
			"attachments.attachments_by_request",
			"requests.requests_by_area",
			"requests.requests_by_created",
			"requests.requests_by_name",
			"requests.requests_by_nik",
			"requests.requests_by_phone",
			"requests.requests_by_queue",
			"requests.requests_by_resident",
			"requests.requests_by_status",
			"requests.requests_to_erase",
		]);
	});

	it("lists a service's requests through requests_by_queue (service first)", async () => {
		for (const filters of [
			{ service: "legalisir" },
			{ service: "legalisir", cursor: { at: Date.now(), id: "x" } },
			{ service: "legalisir", from: 0, to: Date.now() },
		]) {
			const plan = await listPlan(filters);
			expect(plan).toContain("requests_by_queue (service_code=?)");
		}
		// With a status too, the status's own index (newest first) drives it.
		const withStatus = await listPlan({ service: "legalisir", status: "submitted" });
		expect(withStatus).toContain("requests_by_status (status=?)");
	});

	it("counts a service's queue days through requests_by_queue, and a resident's place among those not started", async () => {
		const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
		const quota = await plansOf((db) =>
			planSubmission(db, calendar, "ktp_el", { dailyQuota: 10, timeLimitDays: 14 }, Date.now()),
		);
		expect(quota[0]).toContain("requests_by_queue (service_code=? AND queue_date>?)");
		const mine = await plansOf((db) => residentRequests(db, "106540352242922", "6281700000001"));
		expect(mine[0]).toContain("requests_by_resident (business_id=? AND resident_id=?)");
		// The place counts the backlog (requests not started), not the service's whole history.
		expect(mine[0]).toContain("requests_by_status (status=?)");
		expect(mine[0]).not.toContain("requests_by_queue");
		// A calendar change reads the open requests through their statuses.
		const replan = await plansOf((db) => replanStatements(db, calendar, calendar, "2026-12-01"));
		expect(replan[0]).toContain("requests_by_status (status=?)");
	});

	it("keeps every other list, search and the digest on an index", async () => {
		const lists: [string, Omit<RequestFilters, "limit">, string][] = [
			// Newest first, read in index order: a page stops after `limit` rows.
			["newest", {}, "SCAN r USING INDEX requests_by_created"],
			["status", { status: "submitted" }, "requests_by_status (status=?)"],
			["area", { kelurahan: "16.74.03.1001" }, "requests_by_area (area_code=?)"],
			["operator's areas", { scopeAreas: ["16.74.03.1001"] }, "requests_by_area (area_code=?)"],
			["overdue", { overdueOn: "2026-12-02" }, "requests_by_status (status=?)"],
			// Newest first too: past due dates are most rows, so the page fills early.
			["due before", { dueBefore: "2026-12-02" }, "SCAN r USING INDEX requests_by_created"],
			["nik", { search: { kind: "nik", value: "1674015203900001" } }, "requests_by_nik (nik=?)"],
			[
				"phone",
				{ search: { kind: "phone", value: "6281700000001" } },
				"requests_by_phone (resident_phone=?)",
			],
			["name", { search: { kind: "name", value: "budi%" } }, "requests_by_name (resident_name>?"],
			[
				"ticket",
				{ search: { kind: "ticket", value: "PBM-261202-0001" } },
				"sqlite_autoindex_requests_2 (ticket=?)",
			],
			["due order, status", { sort: "due", status: "submitted" }, "requests_by_status (status=?)"],
		];
		for (const [name, filters, index] of lists) {
			const plan = await listPlan(filters);
			expect(plan, name).toContain(index);
			expect(plan, name).not.toMatch(FULL_SCAN);
		}
		const digest = await plansOf((db) => countDigest(db, "2026-12-02", 0, Date.now()));
		expect(digest[0]).toContain("requests_by_created (created_at>? AND created_at<?)");
		expect(digest[0]).toContain("requests_by_status (status=?)");
	});

	it("sorts the whole table for the due-date order without a filter, with or without requests_by_due", async () => {
		// ORDER BY coalesce(due_date, '9999-12-31'), id matches no index: the dropped
		// requests_by_due (due_date, id) was not used for it either. An index on that expression
		// would serve the console's queue (its default order); it is not added here.
		const plan = await listPlan({ sort: "due" });
		expect(plan).toContain("USE TEMP B-TREE FOR ORDER BY");
	});

	it("finds requests to erase through requests_to_erase", async () => {
		const [plan] = await plansOf((db) => expiredRequests(db, Date.now(), 50));
		expect(plan).toContain("requests_to_erase (closed_at>? AND closed_at<?)");
	});
});

describe("the indexes of attachments", () => {
	it("reads a request's files through attachments_by_request", async () => {
		const plans = [
			...(await plansOf((db) => requestAttachments(db, "r1"))),
			...(await plansOf((db) => unpurgedFileKeys(db, "r1"))),
		];
		for (const plan of plans) {
			expect(plan).toContain("attachments_by_request (request_id=?)");
			expect(plan).not.toMatch(FULL_SCAN);
		}
	});

	it("checks a released held paper against the attachments by its unique key, not a scan", async () => {
		const [plan] = await plansOf((db) => releasedFiles(db, 1000));
		expect(plan).toMatch(
			/SEARCH a USING (COVERING )?INDEX sqlite_autoindex_attachments_2 \(r2_key=\?\)/,
		);
		expect(plan).not.toMatch(FULL_SCAN);
	});

	it("records one WhatsApp message once for a document without attachments_by_message: its R2 key is unique", async () => {
		const id = crypto.randomUUID();
		const file = {
			docCode: "kk",
			key: mediaKey(id, "kk", "wamid.ONCE"),
			mimeType: "application/pdf",
			size: 1000,
			sha256: "a".repeat(64),
			messageId: "wamid.ONCE",
		};
		await submitRequest(env.DB, "PBM", {
			id,
			channel: "whatsapp",
			businessId: "106540352242922",
			residentId: "6281700000099",
			residentName: "Siti Aminah",
			nik: "1674015203900001",
			nikWarnings: [],
			serviceCode: "legalisir",
			variantCode: "umum",
			areaCode: "16.74.03.1001",
			language: "id",
			attachments: [file],
			submittedAt: Date.now(),
		});
		// The same message again (as a revision would record it): a new random id, the same key.
		const again = (conflict: string) =>
			env.DB.prepare(
				`INSERT INTO attachments (id, request_id, doc_code, r2_key, mime_type, size, sha256, message_id, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ${conflict}`,
			)
				.bind(
					crypto.randomUUID(),
					id,
					"kk",
					file.key,
					file.mimeType,
					1000,
					file.sha256,
					"wamid.ONCE",
					1,
				)
				.run();
		expect((await again("ON CONFLICT DO NOTHING")).meta.changes).toBe(0);
		await expect(again("")).rejects.toThrow(/UNIQUE constraint failed: attachments.r2_key/);
		expect(await requestAttachments(env.DB, id)).toHaveLength(1);
	});
});
