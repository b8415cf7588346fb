import { env } from "cloudflare:workers";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { requestsCsv } from "../../src/requests/report-export";
import { fileRequest, type RequestSeed } from "../helpers/reports";
import { ADMIN, api, createStaff } from "../helpers/staff";

/**
 * GET /reports/requests.csv over a seeded September 2026 (no other test writes there), read
 * back with a real CSV parser (csv-parse).
 */
const A = "16.74.01.1001"; // Prabumulih
const B = "16.74.02.1003"; // Karang Raja
const PERIOD = "from=2026-09-01&to=2026-09-30";

const NAMES = {
	plain: "Siti Aminah",
	// Each of RFC 4180's special characters, and both delimiters.
	tricky: 'Budi "Bud" Santoso; Jr., \nRT 03',
	// A spreadsheet would run this as a formula.
	formula: '=HYPERLINK("http://x")',
};

type Seed = RequestSeed & { ref: string; outside?: boolean };
const SEEDS: Seed[] = [
	{
		ref: "on-time",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-09-01T00:00+07:00",
		queue: "2026-09-01",
		due: "2026-09-02",
		status: "completed",
		closed: "2026-09-02T13:59+07:00",
		name: NAMES.plain,
		nik: "1674015203900011",
		phone: "6281234500011",
	},
	{
		ref: "late",
		service: "ktp_el",
		area: B,
		channel: "kelurahan",
		created: "2026-09-03T10:15+07:00",
		queue: "2026-09-03",
		due: "2026-09-04",
		status: "completed",
		closed: "2026-09-07T09:00+07:00",
		name: NAMES.tricky,
		nik: "1674015203900012",
	},
	{
		ref: "open",
		service: "legalisir",
		area: A,
		channel: "whatsapp",
		created: "2026-09-10T08:30+07:00",
		queue: "2026-09-10",
		due: "2026-09-11",
		status: "processing",
		name: NAMES.formula,
		nik: "1674015203900013",
		phone: "6281234500013",
	},
	{
		ref: "rejected",
		service: "kk",
		area: B,
		channel: "kelurahan",
		created: "2026-09-30T23:59+07:00",
		queue: "2026-10-01",
		due: "2026-10-02",
		status: "rejected",
		closed: "2026-10-01T09:00+07:00",
		nik: "1674015203900014",
	},
	{
		ref: "before",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-08-31T23:59+07:00",
		queue: "2026-09-01",
		due: "2026-09-02",
		status: "submitted",
		outside: true,
	},
	{
		ref: "after",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-10-01T00:00+07:00",
		queue: "2026-10-01",
		due: "2026-10-02",
		status: "submitted",
		outside: true,
	},
];
const tickets = new Map<string, string>();

beforeAll(async () => {
	for (const seed of SEEDS) tickets.set(seed.ref, (await fileRequest(seed)).ticket);
});

const WITHIN: Record<string, string> = { "on-time": "yes", late: "no", open: "", rejected: "" };
const AREA_NAME: Record<string, string> = { [A]: "Prabumulih", [B]: "Karang Raja" };

/** The row a seed must export as, written out from the seed. */
function expectedRow(seed: Seed, personal: boolean): Record<string, string> {
	const row: Record<string, string> = {
		ticket: tickets.get(seed.ref) ?? "",
		service: seed.service,
		variant: seed.service === "legalisir" ? "umum" : "baru",
		kelurahan_code: seed.area,
		kelurahan: AREA_NAME[seed.area] ?? "",
		channel: seed.channel,
		status: seed.status,
		created_at: seed.created.slice(0, 16).replace("T", " "),
		queue_date: seed.queue,
		due_date: seed.due,
		closed_at: seed.closed === undefined ? "" : seed.closed.slice(0, 16).replace("T", " "),
		within_limit: WITHIN[seed.ref] ?? "?",
	};
	if (personal) {
		const name = seed.name ?? "Warga Laporan";
		// Digit runs as text Excel keeps: its numbers hold 15 significant digits.
		row.nik = seed.nik === undefined ? "" : `'${seed.nik}`;
		row.name = name.startsWith("=") ? `'${name}` : name;
		row.phone = seed.phone === undefined ? "" : `'${seed.phone}`;
	}
	return row;
}

async function exportCsv(query: string, token: string = ADMIN): Promise<Response> {
	return api("GET", `/reports/requests.csv?${query}`, { token });
}

/** The body's bytes, its text without the BOM, and its rows parsed by csv-parse. */
async function read(res: Response, delimiter: string) {
	const bytes = new Uint8Array(await res.arrayBuffer());
	const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
	const rows: Record<string, string>[] = parse(text, { bom: true, columns: true, delimiter });
	const header = parse(text, { bom: true, delimiter, to_line: 1 })[0] as string[];
	return { bytes, text, rows, header };
}

const inPeriod = SEEDS.filter((s) => !s.outside);

describe("GET /reports/requests.csv", () => {
	it("an admin's export with `;` and personal columns parses back to the seeds, oldest first", async () => {
		const res = await exportCsv(`${PERIOD}&delimiter=;&include=personal`);
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
		// The office's own dates, the last day included (not UTC's 2026-08-31-2026-09-30).
		expect(res.headers.get("content-disposition")).toBe(
			'attachment; filename="requests-2026-09-01-2026-09-30.csv"',
		);
		const { bytes, text, rows, header } = await read(res, ";");
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(text.slice(1).split("\r\n")[0]).toBe(header.join(";"));
		expect(header.slice(-3)).toEqual(["nik", "name", "phone"]);
		// Every record ends in CRLF, RFC 4180's line break (the tricky name's own LF is quoted).
		expect(text.endsWith("\r\n")).toBe(true);
		expect(rows).toEqual(inPeriod.map((s) => expectedRow(s, true)));
		expect(text).toContain('"Budi ""Bud"" Santoso; Jr., \nRT 03"');
	});

	it("an admin's export keeps every digit of a NIK and phone when Excel opens it", async () => {
		const res = await exportCsv(`${PERIOD}&delimiter=;&include=personal`);
		const { rows } = await read(res, ";");
		const onTime = rows.find((row) => row.ticket === tickets.get("on-time"));
		// A bare run of 16 digits is a number to Excel, saved back as 1674015203900010.
		for (const row of rows) {
			for (const cell of [row.nik, row.phone]) expect(cell).not.toMatch(/^\d{16,}$/);
		}
		expect(onTime?.nik).toContain("1674015203900011");
		expect(onTime?.phone).toContain("6281234500011");
	});

	it("an officer's export has no personal columns and no personal data; `,` by default", async () => {
		const { token } = await createStaff("officer");
		const res = await exportCsv(PERIOD, token);
		expect(res.status).toBe(200);
		const { text, rows, header } = await read(res, ",");
		expect(header).not.toContain("nik");
		expect(rows).toEqual(inPeriod.map((s) => expectedRow(s, false)));
		for (const seed of inPeriod) {
			expect(text).not.toContain(seed.nik ?? "none");
			if (seed.name !== undefined) expect(text).not.toContain(seed.name.slice(0, 8));
		}
	});

	it("refuses personal columns to an officer (403, audited as denied) and audits each export without personal data", async () => {
		const officer = await createStaff("officer");
		const refused = await exportCsv(`${PERIOD}&include=personal`, officer.token);
		expect(refused.status).toBe(403);
		expect(refused.headers.get("content-type")).toBe("application/problem+json");
		expect(await refused.text()).toContain("include=personal");

		const since = Date.now();
		const first = await exportCsv(`${PERIOD}&include=personal&delimiter=;`);
		const again = await exportCsv(`${PERIOD}&include=personal&delimiter=;`);
		// The same export twice: the same bytes, and two audit rows.
		expect(await again.text()).toBe(await first.text());
		const { results } = await env.DB.prepare(
			"SELECT actor, action, request_id, detail FROM audit_log WHERE at >= ? AND action IN ('reports.export', 'denied') ORDER BY at",
		)
			.bind(since - 60_000)
			.all<{ actor: string; action: string; request_id: string | null; detail: string }>();
		const exports = results.filter((row) => row.action === "reports.export");
		expect(exports.length).toBeGreaterThanOrEqual(2);
		const from = Date.parse("2026-09-01T00:00+07:00");
		const to = Date.parse("2026-10-01T00:00+07:00");
		expect(JSON.parse(exports.at(-1)?.detail ?? "{}")).toEqual({
			from,
			to,
			delimiter: ";",
			personal: true,
		});
		for (const row of exports) {
			expect(row.request_id).toBeNull();
			for (const seed of SEEDS) {
				expect(row.detail).not.toContain(seed.nik ?? "none");
				expect(row.detail).not.toContain(seed.name?.slice(0, 6) ?? "none");
			}
		}
		expect(
			results.some((row) => row.action === "denied" && row.actor === `staff:${officer.id}`),
		).toBe(true);
	});

	it("names a bad delimiter, a bad include and a missing period", async () => {
		for (const [query, field] of [
			[`${PERIOD}&delimiter=%09`, "query.delimiter"],
			[`${PERIOD}&include=everything`, "query.include"],
			["from=2026-09-01", "query.to"],
			["from=2026-09-30&to=2026-09-01", "query.to"],
		] as const) {
			const res = await exportCsv(query);
			expect(res.status, query).toBe(400);
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field)).toContain(field);
		}
	});

	it("streams: nothing is read before the client pulls, then one page of rows per pull", async () => {
		const from = Date.parse("2026-09-01T00:00+07:00");
		const to = Date.parse("2026-10-01T00:00+07:00");
		const stream = requestsCsv(
			env.DB,
			{ from, to, delimiter: ",", personal: false, timeZone: "Asia/Jakarta" },
			1,
		);
		const reader = stream.getReader();
		const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
		const chunks: string[] = [];
		for (;;) {
			const next = await reader.read();
			if (next.done) break;
			chunks.push(decoder.decode(next.value));
		}
		// The header alone, then one request per pull (a page of 1), in order across the pages.
		expect(chunks[0]).toMatch(/^\uFEFFticket,.*\r\n$/);
		const lines = chunks.slice(1).map((chunk) => chunk.split("\r\n").filter(Boolean).length);
		expect(lines.every((n) => n === 1)).toBe(true);
		const rows: Record<string, string>[] = parse(chunks.join(""), { bom: true, columns: true });
		expect(rows.map((r) => r.ticket)).toEqual(inPeriod.map((s) => tickets.get(s.ref)));
		expect(chunks.length).toBe(1 + inPeriod.length);

		// A cancelled download stops the reading.
		const cancelled = requestsCsv(
			env.DB,
			{ from, to, delimiter: ",", personal: false, timeZone: "Asia/Jakarta" },
			1,
		).getReader();
		await cancelled.read();
		await cancelled.cancel();
		expect((await cancelled.read()).done).toBe(true);
	});
});
