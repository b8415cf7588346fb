import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { insertDraft, insertDraftFile } from "../../src/requests/filing";
import { submitRequest } from "../../src/requests/submit";
import { FakeGraph } from "../fake-graph";
import { ADMIN, api, createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/**
 * Issue 11: the access rules, proven for every operation of the OpenAPI document. Each operation
 * is called by every kind of caller, each on fresh data; a refused call must change nothing (no
 * row in any D1 table, no R2 object) but its own `denied` audit row. An operation without a row in
 * MATRIX fails the test: add one line when you add a route.
 */
const AREA = "16.74.03.1001";
const OTHER_AREA = "16.74.02.1003";
const DOC = "dokumen_legalisir";
const PDF = new TextEncoder().encode("%PDF-1.4\nmatrix\n%%EOF\n");

const CALLERS = ["admin", "officer", "own", "other", "revoked", "expired", "none"] as const;
type Caller = (typeof CALLERS)[number];
type Expect = Record<Caller, number>;

/** What a call sends: the path's parameters, a query string, a JSON or raw body. */
interface Input {
	params?: Record<string, string>;
	query?: string;
	json?: unknown;
	pdf?: true;
}
interface Case {
	expect: Expect;
	input: () => Promise<Input>;
}

const tokens = {} as Record<Caller, string | null>;

// ---- fresh data for one call -----------------------------------------------------------------

/** A submitted request in AREA, filed at the kelurahan, with one PDF attachment in R2. */
async function request(): Promise<{ id: string; attachmentId: string }> {
	const id = crypto.randomUUID();
	const key = `requests/${id}/${DOC}/matrix`;
	await env.FILES.put(key, PDF);
	await submitRequest(env.DB, "PBM", {
		id,
		channel: "kelurahan",
		submittedBy: "matrix",
		residentName: "Warga Matriks",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [
			{
				docCode: DOC,
				key,
				mimeType: "application/pdf",
				size: PDF.byteLength,
				sha256: "a".repeat(64),
			},
		],
		submittedAt: Date.now(),
	});
	const attachment = await env.DB.prepare("SELECT id FROM attachments WHERE request_id = ?")
		.bind(id)
		.first<{ id: string }>();
	return { id, attachmentId: attachment?.id as string };
}

/** A filing draft in AREA with one file of its required document. */
async function draft(): Promise<string> {
	const id = crypto.randomUUID();
	const at = Date.now();
	await insertDraft(
		env.DB,
		{
			id,
			service_code: "legalisir",
			variant_code: "umum",
			area_code: AREA,
			nik: "1674015203900001",
			nik_warnings: "[]",
			resident_name: "Warga Matriks",
			resident_phone: null,
			language: "id",
			consent_at: at,
			filed_by: "matrix",
			created_at: at,
		},
		"staff:matrix",
	);
	const key = `requests/${id}/${DOC}/first`;
	await env.FILES.put(key, PDF);
	const sha256 = crypto.randomUUID().replaceAll("-", "").repeat(2);
	await insertDraftFile(
		env.DB,
		{
			id: `${id}-file`,
			draft_id: id,
			doc_code: DOC,
			r2_key: key,
			mime_type: "application/pdf",
			size: PDF.byteLength,
			sha256,
			created_at: at,
		},
		"staff:matrix",
	);
	return id;
}

/** An open complaint with a photo about a request in AREA, from a resident's chat. */
async function complaint(): Promise<string> {
	const about = await request();
	const id = crypto.randomUUID();
	const residentId = `62812${Math.floor(Math.random() * 1e8)}`;
	const key = `complaints/${id}/photo`;
	await env.FILES.put(key, PDF);
	await env.DB.prepare(
		`INSERT INTO complaints (id, ticket, conversation, business_id, resident_id, request_id,
			area_code, body, attachment_key, attachment_type, status, created_at, due_date)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'Lama sekali', ?, 'application/pdf', 'open', ?, '2031-01-10')`,
	)
		.bind(
			id,
			`PBM-ADU-MATRIX-${id.slice(0, 8)}`,
			`${PHONE_NUMBER_ID}:${residentId}`,
			PHONE_NUMBER_ID,
			residentId,
			about.id,
			AREA,
			key,
			Date.now(),
		)
		.run();
	return id;
}

/** A chat waiting for a person (`petugas`). */
async function handoff(): Promise<string> {
	const id = crypto.randomUUID();
	const residentId = `62813${Math.floor(Math.random() * 1e8)}`;
	await env.DB.prepare(
		`INSERT INTO handoffs (conversation, business_id, resident_id, asked_at, id)
		VALUES (?, ?, ?, ?, ?)`,
	)
		.bind(`${PHONE_NUMBER_ID}:${residentId}`, PHONE_NUMBER_ID, residentId, Date.now(), id)
		.run();
	return id;
}

/** A chat waiting for a person, with a PDF the resident sent to staff. */
async function handoffFile(): Promise<{ id: string; fileId: string }> {
	const id = await handoff();
	const fileId = crypto.randomUUID();
	const key = `handoffs/${id}/file/wamid.MATRIX`;
	await env.FILES.put(key, PDF);
	await env.DB.prepare(
		`INSERT INTO handoff_files (id, handoff_id, key, mime_type, size, sha256, received_at)
		VALUES (?, ?, ?, 'application/pdf', ?, '', ?)`,
	)
		.bind(fileId, id, key, PDF.byteLength, Date.now())
		.run();
	return { id, fileId };
}

const PERIOD = "?from=2026-11-01&to=2026-11-30";
const staffMember = async () => (await createStaff("officer")).id;
const onRequest = async (extra: Omit<Input, "params"> = {}) => ({
	params: { id: (await request()).id },
	...extra,
});
/** A jemput bola request in AREA, filed at the kelurahan. */
async function visitRequest(): Promise<string> {
	const id = crypto.randomUUID();
	await submitRequest(env.DB, "PBM", {
		id,
		channel: "kelurahan",
		submittedBy: "matrix",
		residentName: "Warga Matriks",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "jemput_bola",
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return id;
}
const VISIT = { date: "2031-01-02", from: "09:00", to: "10:00" };
const onDraft = async (extra: Omit<Input, "params"> = {}) => ({
	params: { id: await draft(), docCode: DOC },
	...extra,
});

// ---- who may: one helper per rule --------------------------------------------------------------

const refused = { revoked: 401, expired: 401, none: 401 } as const;
/** Every role, not about one area's request. */
const anyone = (ok: number): Expect => ({ admin: ok, officer: ok, own: ok, other: ok, ...refused });
/** Every role, but an operator of another area never learns the request exists. */
const inArea = (ok: number): Expect => ({
	admin: ok,
	officer: ok,
	own: ok,
	other: 404,
	...refused,
});
/** Admins and officers. */
const office = (ok: number): Expect => ({
	admin: ok,
	officer: ok,
	own: 403,
	other: 403,
	...refused,
});
const adminOnly = (ok: number): Expect => ({
	admin: ok,
	officer: 403,
	own: 403,
	other: 403,
	...refused,
});
const none = async (): Promise<Input> => ({});
const FILING = {
	service: "legalisir",
	resident: { nik: "1674015203900001", name: "Warga" },
	kelurahan: AREA,
	consent: true,
};

/** 2027's decree as migration 0009 declares it (the matrix declares it again). */
const YEAR_2027 = {
	decree:
		"SKB Menteri Agama No. 1205/2026, Menteri Ketenagakerjaan No. 3/2026, Menteri PANRB No. 2/2026 (15 September 2026)",
	source:
		"https://setneg.go.id/baca/index/inilah_skb_3_menteri_libur_nasional_dan_cuti_bersama_2027",
	verification: "Checked against the decree's lists (access matrix).",
};

/** Every operation of the staff API: `METHOD /path` as in the OpenAPI document, one line each. */
// biome-ignore format: one line per operation, so that adding a route adds one line
const MATRIX: Record<string, Case> = {
	"POST /staff": { expect: adminOnly(201), input: async () => ({ json: { name: "Baru", role: "officer" } }) },
	"GET /staff": { expect: adminOnly(200), input: none },
	"DELETE /staff/{id}": { expect: adminOnly(200), input: async () => ({ params: { id: await staffMember() } }) },
	"POST /staff/{id}/token": { expect: adminOnly(200), input: async () => ({ params: { id: await staffMember() } }) },
	"GET /requests": { expect: anyone(200), input: none },
	"POST /requests/search": { expect: anyone(200), input: async () => ({ json: { q: "Warga" } }) },
	"GET /requests/{id}": { expect: inArea(200), input: () => onRequest() },
	"GET /requests/{id}/attachments/{attachmentId}": { expect: inArea(200), input: async () => ({ params: await request() }) },
	"GET /requests/{id}/messages": { expect: inArea(200), input: () => onRequest() },
	"POST /requests/{id}/transitions": { expect: office(200), input: () => onRequest({ json: { to: "in_review" } }) },
	"POST /requests/{id}/notes": { expect: inArea(201), input: () => onRequest({ json: { text: "catatan" } }) },
	// A request filed at the kelurahan has no WhatsApp resident: messages and pick-up answer 409.
	"POST /requests/{id}/messages": { expect: office(409), input: () => onRequest({ json: { text: "Halo" } }) },
	"PUT /requests/{id}/result": { expect: office(409), input: () => onRequest({ pdf: true }) },
	"POST /requests/{id}/pickup": { expect: office(409), input: () => onRequest({ json: { place: "Kantor", from: "Senin" } }) },
	"GET /audit": { expect: adminOnly(200), input: none },
	"GET /dead-letters": { expect: adminOnly(200), input: none },
	"POST /dead-letters/{id}/retry": { expect: adminOnly(404), input: async () => ({ params: { id: "no-such-letter" } }) },
	"GET /account/alerts": { expect: adminOnly(200), input: none },
	"POST /residents/erasure": { expect: adminOnly(200), input: async () => ({ json: { phone: "6281299990000" } }) },
	"GET /services": { expect: anyone(200), input: none },
	"PATCH /services/{code}": { expect: adminOnly(200), input: async () => ({ params: { code: "legalisir" }, json: { active: true } }) },
	"GET /calendar": { expect: anyone(200), input: none },
	"PUT /calendar": { expect: adminOnly(200), input: async () => ({ json: { remove: ["2031-01-02"] } }) },
	"PUT /calendar/years/{year}": { expect: adminOnly(200), input: async () => ({ params: { year: "2027" }, json: YEAR_2027 }) },
	"GET /reports/digest": { expect: office(200), input: none },
	"POST /requests": { expect: { ...inArea(201), other: 403 }, input: async () => ({ json: FILING }) },
	"GET /requests/{id}/draft": { expect: inArea(200), input: async () => ({ params: { id: await draft() } }) },
	"PUT /requests/{id}/documents/{docCode}": { expect: inArea(201), input: () => onDraft({ pdf: true }) },
	"DELETE /requests/{id}/documents/{docCode}": { expect: inArea(204), input: () => onDraft() },
	"POST /requests/{id}/submit": { expect: inArea(201), input: async () => ({ params: { id: await draft() } }) },
	"GET /areas": { expect: anyone(200), input: none },
	"POST /requests/{id}/visit": { expect: inArea(200), input: async () => ({ params: { id: await visitRequest() }, json: VISIT }) },
	"PATCH /areas/{code}": { expect: adminOnly(200), input: async () => ({ params: { code: AREA }, json: { hours: "Senin-Jumat" } }) },
	"GET /reports/summary": { expect: anyone(200), input: async () => ({ query: PERIOD }) },
	"GET /reports/requests.csv": { expect: office(200), input: async () => ({ query: PERIOD }) },
	"GET /reports/skm": { expect: office(200), input: async () => ({ query: PERIOD }) },
	"GET /complaints": { expect: anyone(200), input: none },
	"GET /complaints/{id}": { expect: inArea(200), input: async () => ({ params: { id: await complaint() } }) },
	"GET /complaints/{id}/photo": { expect: inArea(200), input: async () => ({ params: { id: await complaint() } }) },
	"POST /complaints/{id}/reply": { expect: office(202), input: async () => ({ params: { id: await complaint() }, json: { text: "Maaf, sedang kami proses." } }) },
	"POST /complaints/{id}/close": { expect: office(200), input: async () => ({ params: { id: await complaint() } }) },
	"GET /complaint-settings": { expect: anyone(200), input: none },
	"PUT /complaint-settings": { expect: adminOnly(200), input: async () => ({ json: { timeLimitDays: 5 } }) },
	"GET /handoffs": { expect: office(200), input: none },
	"POST /handoffs/{id}/reply": { expect: office(202), input: async () => ({ params: { id: await handoff() }, json: { text: "Halo, saya petugas." } }) },
	"POST /handoffs/{id}/close": { expect: office(200), input: async () => ({ params: { id: await handoff() } }) },
	"GET /handoffs/{id}/files/{fileId}": { expect: office(200), input: async () => ({ params: await handoffFile() }) },
	"GET /handoffs/{id}/messages": { expect: office(200), input: async () => ({ params: { id: await handoff() } }) },
};

// ---- the state a refused call must leave alone ---------------------------------------------------

/** Every D1 table's rows (audit_log apart, as JSON per table) and every R2 key. */
async function snapshot(): Promise<{
	tables: Map<string, string>;
	audit: Set<string>;
	files: string[];
}> {
	const { results } = await env.DB.prepare(
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
	).all<{ name: string }>();
	const names = results.map((r) => r.name).filter((name) => name !== "audit_log");
	const rows = await env.DB.batch(names.map((name) => env.DB.prepare(`SELECT * FROM "${name}"`)));
	const audit = await env.DB.prepare("SELECT id FROM audit_log").all<{ id: string }>();
	const listed = await env.FILES.list({ limit: 1000 });
	return {
		tables: new Map(names.map((name, i) => [name, JSON.stringify(rows[i]?.results)])),
		audit: new Set(audit.results.map((r) => r.id)),
		files: listed.objects.map((o) => o.key),
	};
}

/** The tables whose rows differ between two snapshots. */
function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
	const names = new Set([...before.keys(), ...after.keys()]);
	return [...names].filter((name) => before.get(name) !== after.get(name));
}

/** The audit rows written since `before`. */
async function newAuditRows(before: Set<string>): Promise<{ action: string }[]> {
	const { results } = await env.DB.prepare("SELECT id, action FROM audit_log").all<{
		id: string;
		action: string;
	}>();
	return results.filter((row) => !before.has(row.id));
}

async function call(method: string, template: string, caller: Caller, input: Input) {
	const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = input.params?.[name];
		if (value === undefined) throw new Error(`${method} ${template}: no value for {${name}}`);
		return encodeURIComponent(value);
	});
	return api(method, `${path}${input.query ?? ""}`, {
		token: tokens[caller],
		...(input.json === undefined ? {} : { json: input.json }),
		...(input.pdf
			? {
					body: PDF,
					headers: { "content-type": "application/pdf", "content-length": String(PDF.byteLength) },
				}
			: {}),
	});
}

// Complaint and hand-off replies reach a resident's Conversation object, which sends through the
// Graph API: Meta's fake answers it.
let restoreGraph: (() => void) | undefined;
beforeEach(() => {
	restoreGraph = new FakeGraph().install();
});
afterEach(() => restoreGraph?.());

beforeAll(async () => {
	tokens.admin = ADMIN;
	tokens.officer = (await createStaff("officer")).token;
	tokens.own = (await createStaff("kelurahan", AREA)).token;
	tokens.other = (await createStaff("kelurahan", OTHER_AREA)).token;
	const revoked = await createStaff("admin");
	await api("DELETE", `/staff/${revoked.id}`);
	tokens.revoked = revoked.token;
	const expired = await createStaff("admin");
	await env.DB.prepare("UPDATE staff SET expires_at = ? WHERE id = ?")
		.bind(Date.now() - 1, expired.id)
		.run();
	tokens.expired = expired.token;
	tokens.none = null;
});

async function operations(): Promise<string[]> {
	const doc = await (await api("GET", "/openapi.json", { token: null })).json<{
		paths: Record<string, Record<string, unknown>>;
	}>();
	return Object.entries(doc.paths).flatMap(([path, ops]) =>
		Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
	);
}

describe("the access matrix of the staff API", () => {
	it("has a row for every operation of the OpenAPI document, and none for a route that is gone", async () => {
		const listed = await operations();
		expect(
			listed.filter((op) => MATRIX[op] === undefined),
			"operations without a row",
		).toEqual([]);
		expect(
			Object.keys(MATRIX).filter((op) => !listed.includes(op)),
			"rows without a route",
		).toEqual([]);
	});

	for (const [operation, rule] of Object.entries(MATRIX)) {
		it(`${operation}: each caller gets what it may, and a refusal changes nothing`, async () => {
			const [method, template] = operation.split(" ") as [string, string];
			for (const caller of CALLERS) {
				const input = await rule.input();
				const expected = rule.expect[caller];
				const denied =
					expected === 401 || expected === 403 || (caller === "other" && expected === 404);
				const before = denied ? await snapshot() : null;
				const res = await call(method, template, caller, input);
				expect(res.status, `${operation} as ${caller}: ${await res.clone().text()}`).toBe(expected);
				if (res.status >= 400) {
					expect(res.headers.get("content-type")).toBe("application/problem+json");
				}
				await res.body?.cancel();
				if (before === null) continue;
				const after = await snapshot();
				expect(changedTables(before.tables, after.tables), `${operation} as ${caller}: D1`).toEqual(
					[],
				);
				expect(after.files, `${operation} as ${caller}: R2`).toEqual(before.files);
				// Only a refusal to a known caller is audited, as `denied`; a bad token writes nothing.
				const audited = (await newAuditRows(before.audit)).map((row) => row.action);
				expect(audited, `${operation} as ${caller}: audit`).toEqual(
					expected === 401 ? [] : ["denied"],
				);
			}
		});
	}
});
