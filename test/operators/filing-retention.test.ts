import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
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
