import {
	createExecutionContext,
	createScheduledController,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { releaseHeldStatements } from "../../src/requests/held-files";
import { DRAFT_DAYS, purgeStaleDrafts } from "../../src/scheduled/retention";
import { api, createStaff } from "../helpers/staff";

/** Issue 11: a filing draft holds a resident's NIK, name and papers; none is kept for nothing. */
const AREA = "16.74.01.1001";
const DAY_MS = 24 * 60 * 60 * 1000;
let operator = { id: "", token: "" };

beforeAll(async () => {
	operator = await createStaff("kelurahan", AREA);
});

/** A draft for the resident with `nik`, with one stored file. */
async function draftWithFile(nik: string): Promise<string> {
	const res = await api("POST", "/requests", {
		token: operator.token,
		json: {
			service: "legalisir",
			resident: { nik, name: "Warga", phone: "081299887766" },
			kelurahan: AREA,
			consent: true,
		},
	});
	expect(res.status).toBe(201);
	const { id } = await res.json<{ id: string }>();
	const body = new TextEncoder().encode(`%PDF-1.4\n${id}\n`);
	const put = await api("PUT", `/requests/${id}/documents/dokumen_legalisir`, {
		token: operator.token,
		body,
		headers: { "content-type": "application/pdf" },
	});
	expect(put.status).toBe(201);
	return id;
}

const exists = async (id: string) =>
	(await env.DB.prepare("SELECT 1 FROM filing_drafts WHERE id = ?").bind(id).first()) !== null;
const objects = async (id: string) =>
	(await env.FILES.list({ prefix: `requests/${id}/` })).objects.length;

describe("filing drafts are not kept for nothing", () => {
	it(`deletes drafts nobody submitted within ${DRAFT_DAYS} days, with their files`, async () => {
		const stale = await draftWithFile("1674015203900001");
		const fresh = await draftWithFile("1674015203900001");
		await env.DB.prepare("UPDATE filing_drafts SET created_at = ? WHERE id = ?")
			.bind(Date.now() - (DRAFT_DAYS + 1) * DAY_MS, stale)
			.run();
		expect(await purgeStaleDrafts(env)).toBe(1);
		expect([await exists(stale), await objects(stale)]).toEqual([false, 0]);
		expect([await exists(fresh), await objects(fresh)]).toEqual([true, 1]);
		const row = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'filing.drop' AND request_id = ?",
		)
			.bind(stale)
			.first();
		expect(row).toEqual({ actor: "system", detail: JSON.stringify({ reason: "abandoned" }) });
		// Again: nothing left to do.
		expect(await purgeStaleDrafts(env)).toBe(0);
	});

	it("erases the drafts filed for a resident with their erasure", async () => {
		const nik = "1674016509800003";
		const byNik = await draftWithFile(nik);
		const res = await api("POST", "/residents/erasure", { json: { nik } });
		expect(res.status).toBe(200);
		expect([await exists(byNik), await objects(byNik)]).toEqual([false, 0]);
		const byPhone = await draftWithFile("1674015203900001");
		expect(
			(await api("POST", "/residents/erasure", { json: { phone: "081299887766" } })).status,
		).toBe(200);
		expect(await exists(byPhone)).toBe(false);
	});
});

const DOC = "dokumen_legalisir";
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n${text}\n%%EOF\n`);

/** Uploads `text` as the request's DOC: a draft's paper, or a correction held for its revision. */
async function uploadPaper(id: string, text: string): Promise<{ id: string; status: number }> {
	const body = pdf(text);
	const res = await api("PUT", `/requests/${id}/documents/${DOC}`, {
		token: operator.token,
		body,
		headers: { "content-type": "application/pdf", "content-length": String(body.byteLength) },
	});
	return { id: (await res.json<{ id: string }>()).id, status: res.status };
}

/** A request filed through the API and sent back for revision of DOC. */
async function requestInRevision(): Promise<string> {
	// No phone: nobody to tell over WhatsApp.
	const res = await api("POST", "/requests", {
		token: operator.token,
		json: {
			service: "legalisir",
			resident: { nik: "1674015203900001", name: "Warga" },
			kelurahan: AREA,
			consent: true,
		},
	});
	const { id } = await res.json<{ id: string }>();
	expect((await uploadPaper(id, "filed")).status).toBe(201);
	expect((await api("POST", `/requests/${id}/submit`, { token: operator.token })).status).toBe(201);
	const back = await api("POST", `/requests/${id}/transitions`, {
		json: { to: "needs_revision", reason: "Buram", documents: [DOC] },
	});
	expect(back.status).toBe(200);
	return id;
}

async function dailyCron(): Promise<void> {
	const ctx = createExecutionContext();
	await worker.scheduled(createScheduledController({ cron: "0 19 * * *" }), env, ctx);
	await waitOnExecutionContext(ctx);
}

const stored = async (key: string) => (await env.FILES.head(key)) !== null;
const count = async (sql: string, id: string) => env.DB.prepare(sql).bind(id).first<number>("n");

describe("corrected papers held for a revision are not kept once let go", () => {
	it("deletes a held paper from R2 when staff move the request on without it; a repeat changes nothing", async () => {
		const id = await requestInRevision();
		const held = await uploadPaper(id, "corrected, never sent");
		expect(held.status).toBe(201);
		const key = `requests/${id}/${DOC}/${held.id}`;
		expect(await stored(key)).toBe(true);
		// The papers came another way: staff take the request back without them.
		const moved = await api("POST", `/requests/${id}/transitions`, { json: { to: "submitted" } });
		expect(moved.status).toBe(200);
		await dailyCron();
		expect(await stored(key)).toBe(false);
		expect(await count("SELECT count(*) AS n FROM released_files WHERE request_id = ?", id)).toBe(
			0,
		);
		// The filed paper, an attachment, stays.
		const filed = await env.DB.prepare("SELECT r2_key FROM attachments WHERE request_id = ?")
			.bind(id)
			.all<{ r2_key: string }>();
		expect(filed.results).toHaveLength(1);
		expect(await stored(String(filed.results[0]?.r2_key))).toBe(true);

		// A new round's paper is held; the earlier move's batch run again takes nothing of it.
		expect(
			(
				await api("POST", `/requests/${id}/transitions`, {
					json: { to: "needs_revision", reason: "Masih buram", documents: [DOC] },
				})
			).status,
		).toBe(200);
		const next = await uploadPaper(id, "this round's");
		expect(next.status).toBe(201);
		const left = await env.DB.prepare(
			"SELECT id FROM request_events WHERE request_id = ? AND from_status = 'needs_revision'",
		)
			.bind(id)
			.first<string>("id");
		await env.DB.batch(releaseHeldStatements(env.DB, id, String(left), Date.now()));
		await dailyCron();
		expect(await count("SELECT count(*) AS n FROM revision_files WHERE request_id = ?", id)).toBe(
			1,
		);
		expect(await stored(`requests/${id}/${DOC}/${next.id}`)).toBe(true);
		expect(await stored(String(filed.results[0]?.r2_key))).toBe(true);
	});

	it("keeps a held paper that was sent: the attachment's file is still there and opens", async () => {
		const id = await requestInRevision();
		const held = await uploadPaper(id, "corrected and sent");
		expect(held.status).toBe(201);
		const sent = await api("POST", `/requests/${id}/submit`, { token: operator.token });
		expect(sent.status, await sent.clone().text()).toBe(200);
		const key = `requests/${id}/${DOC}/${held.id}`;
		const attachment = await env.DB.prepare("SELECT id FROM attachments WHERE r2_key = ?")
			.bind(key)
			.first<string>("id");
		expect(attachment).not.toBeNull();
		expect(await count("SELECT count(*) AS n FROM released_files WHERE request_id = ?", id)).toBe(
			0,
		);
		// Even listed as let go (a submit racing a move out and back into revision), it is kept.
		await env.DB.prepare(
			"INSERT INTO released_files (r2_key, request_id, released_at) VALUES (?, ?, ?)",
		)
			.bind(key, id, Date.now())
			.run();
		await dailyCron();
		expect(await count("SELECT count(*) AS n FROM released_files WHERE request_id = ?", id)).toBe(
			0,
		);
		const file = await api(
			"GET",
			`/requests/${id}/attachments/${encodeURIComponent(String(attachment))}`,
		);
		expect(file.status).toBe(200);
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(pdf("corrected and sent"));
	});
});
