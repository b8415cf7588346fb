import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { toHex } from "../../src/crypto";
import { findDraft, submitDraft } from "../../src/requests/filing";
import { DRAFT_DAYS, purgeStaleDrafts } from "../../src/scheduled/retention";
import { texts, withResidents } from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";

/** Issue 11: a request filed for a resident through the API, from draft to ticket. */
const AREA = "16.74.01.1001";
const OTHER_AREA = "16.74.03.1001";
const DOC = "dokumen_legalisir";
const t = withResidents("62815300");
let operator = { id: "", token: "" };
let outsider = { id: "", token: "" };

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n${text}\n%%EOF\n`);
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

const filing = (overrides: Record<string, unknown> = {}) => ({
	service: "legalisir",
	variant: "umum",
	resident: { nik: "1674015203900001", name: "Mbah Sarinah" },
	kelurahan: AREA,
	consent: true,
	...overrides,
});

async function draftCount(): Promise<number> {
	return (await env.DB.prepare("SELECT count(*) AS n FROM filing_drafts").first<{ n: number }>())
		?.n as number;
}

async function upload(id: string, body: Uint8Array, type: string, token = operator.token) {
	return api("PUT", `/requests/${id}/documents/${DOC}`, {
		token,
		body,
		headers: { "content-type": type, "content-length": String(body.byteLength) },
	});
}

async function newDraft(token = operator.token, overrides: Record<string, unknown> = {}) {
	const res = await api("POST", "/requests", { token, json: filing(overrides) });
	expect(res.status, await res.clone().text()).toBe(201);
	return res.json<{ id: string; status: string; missing: string[]; filedBy: string }>();
}

beforeAll(async () => {
	operator = await createStaff("kelurahan", AREA);
	outsider = await createStaff("kelurahan", OTHER_AREA);
});

describe("an upload racing the draft's end", () => {
	it("keeps no file for a draft submitted while the file was uploading, and says so", async () => {
		const draft = await newDraft();
		expect((await upload(draft.id, pdf("first"), "application/pdf")).status).toBe(201);
		// The draft is submitted once the upload has passed its checks and is being stored.
		const body = pdf("second, still uploading");
		const put = env.FILES.put.bind(env.FILES);
		const spy = vi.spyOn(env.FILES, "put").mockImplementation(async (key, value, options) => {
			if (key.startsWith(`requests/${draft.id}/`)) {
				const filed = await api("POST", `/requests/${draft.id}/submit`, {
					token: operator.token,
				});
				expect(filed.status).toBe(201);
			}
			return put(key, value, options);
		});
		const late = await upload(draft.id, body, "application/pdf");
		spy.mockRestore();
		expect(late.status).toBe(409);
		expect(late.headers.get("content-type")).toContain("application/problem+json");
		expect((await late.json<{ type: string }>()).type).toMatch(/draft-gone$/);
		// Only the first file, now the request's attachment, is under the request's prefix.
		const objects = (await env.FILES.list({ prefix: `requests/${draft.id}/` })).objects;
		expect(objects).toHaveLength(1);
		const attachments = await env.DB.prepare("SELECT r2_key FROM attachments WHERE request_id = ?")
			.bind(draft.id)
			.all<{ r2_key: string }>();
		expect(attachments.results.map((a) => a.r2_key)).toEqual(objects.map((o) => o.key));
	});
});

describe("filing for a resident through the API", () => {
	it("lets the operator answer a revision through the API: corrected papers held, then sent together", async () => {
		const draft = await newDraft();
		expect((await upload(draft.id, pdf("first"), "application/pdf")).status).toBe(201);
		const filed = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(filed.status).toBe(201);
		expect(
			(await api("POST", `/requests/${draft.id}/transitions`, { json: { to: "in_review" } }))
				.status,
		).toBe(200);
		// Not in revision: papers are refused.
		expect((await upload(draft.id, pdf("early"), "application/pdf")).status).toBe(409);
		const back = await api("POST", `/requests/${draft.id}/transitions`, {
			json: { to: "needs_revision", reason: "Buram", documents: [DOC] },
		});
		expect(back.status).toBe(200);
		// Nothing held yet: submit says so and changes nothing.
		const empty = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(empty.status).toBe(422);
		const first = await upload(draft.id, pdf("corrected"), "application/pdf");
		expect(first.status, await first.clone().text()).toBe(201);
		// A retried upload of the same bytes is the same file.
		expect((await upload(draft.id, pdf("corrected"), "application/pdf")).status).toBe(200);
		// Another area's operator cannot send papers for it.
		expect((await upload(draft.id, pdf("x"), "application/pdf", outsider.token)).status).toBe(404);
		const sent = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(sent.status, await sent.clone().text()).toBe(200);
		const row = await env.DB.prepare("SELECT status FROM requests WHERE id = ?")
			.bind(draft.id)
			.first<{ status: string }>();
		expect(row?.status).toBe("submitted");
		const { results } = await env.DB.prepare(
			"SELECT state FROM attachments WHERE request_id = ? AND doc_code = ? ORDER BY created_at",
		)
			.bind(draft.id, DOC)
			.all<{ state: string }>();
		expect(results.map((r) => r.state)).toEqual(["superseded", "active"]);
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM revision_files WHERE request_id = ?")
				.bind(draft.id)
				.first<number>("n"),
		).toBe(0);
		// A repeat answers the same ticket and changes nothing.
		const again = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(again.status).toBe(200);
	});

	it("takes for a revision only the documents staff asked for, and sends it back only with all of them", async () => {
		const docs = ["surat_kematian", "kk", "ktp_almarhum", "ktp_pelapor"];
		const put = (id: string, doc: string, text: string) => {
			const body = pdf(text);
			return api("PUT", `/requests/${id}/documents/${doc}`, {
				token: operator.token,
				body,
				headers: { "content-type": "application/pdf", "content-length": String(body.byteLength) },
			});
		};
		const draft = await newDraft(operator.token, { service: "akta_kematian", variant: "umum" });
		for (const doc of docs) expect((await put(draft.id, doc, doc)).status).toBe(201);
		expect(
			(await api("POST", `/requests/${draft.id}/submit`, { token: operator.token })).status,
		).toBe(201);
		const back = await api("POST", `/requests/${draft.id}/transitions`, {
			json: { to: "needs_revision", reason: "Buram", documents: ["kk", "ktp_pelapor"] },
		});
		expect(back.status, await back.clone().text()).toBe(200);
		// A document nobody asked for is refused, and nothing is held.
		const unasked = await put(draft.id, "surat_kematian", "unasked");
		expect(unasked.status).toBe(400);
		expect(await unasked.json()).toMatchObject({ errors: [{ field: "path.docCode" }] });
		expect((await put(draft.id, "kk", "kk corrected")).status).toBe(201);
		// One of the two: submit names the other and the request stays in revision.
		const half = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(half.status).toBe(422);
		expect(await half.json()).toMatchObject({ missing: ["ktp_pelapor"] });
		const row = () =>
			env.DB.prepare("SELECT status FROM requests WHERE id = ?")
				.bind(draft.id)
				.first<string>("status");
		expect(await row()).toBe("needs_revision");
		expect((await put(draft.id, "ktp_pelapor", "ktp corrected")).status).toBe(201);
		const sent = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(sent.status, await sent.clone().text()).toBe(200);
		expect(await row()).toBe("submitted");
	});

	it("sends with a new revision only the papers uploaded for it, not those held for a round staff ended", async () => {
		const draft = await newDraft();
		expect((await upload(draft.id, pdf("filed"), "application/pdf")).status).toBe(201);
		expect(
			(await api("POST", `/requests/${draft.id}/submit`, { token: operator.token })).status,
		).toBe(201);
		const askAgain = async () =>
			expect(
				(
					await api("POST", `/requests/${draft.id}/transitions`, {
						json: { to: "needs_revision", reason: "Buram", documents: [DOC] },
					})
				).status,
			).toBe(200);
		await askAgain();
		const stale = await upload(draft.id, pdf("held, never sent"), "application/pdf");
		expect(stale.status).toBe(201);
		// Staff take the request back without it (the papers came another way).
		expect(
			(await api("POST", `/requests/${draft.id}/transitions`, { json: { to: "submitted" } }))
				.status,
		).toBe(200);
		await askAgain();
		const fresh = await upload(draft.id, pdf("this round's"), "application/pdf");
		expect(fresh.status).toBe(201);
		const sent = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(sent.status, await sent.clone().text()).toBe(200);
		const { results } = await env.DB.prepare(
			"SELECT sha256 FROM attachments WHERE request_id = ? AND state = 'active'",
		)
			.bind(draft.id)
			.all<{ sha256: string }>();
		const { sha256 } = await fresh.json<{ sha256: string }>();
		expect(results).toEqual([{ sha256 }]);
	});

	it("tells a resident with a number by template that the kelurahan filed it, once, and links their chat", async () => {
		const resident = t.resident();
		const draft = await newDraft(operator.token, {
			resident: { nik: "1674015203900001", name: "Mbah Sarinah", phone: resident.id },
		});
		expect((await upload(draft.id, pdf("filed"), "application/pdf")).status).toBe(201);
		const res = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(res.status, await res.clone().text()).toBe(201);
		const { ticket } = await res.json<{ ticket: string }>();
		await resident.settle();
		// They never wrote: the window is closed, so the status template carries the ticket.
		const told = resident.replies();
		expect(told.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(told[0]?.body)).toContain(ticket);
		const row = await env.DB.prepare(
			"SELECT business_id, resident_id, resident_phone FROM requests WHERE id = ?",
		)
			.bind(draft.id)
			.first();
		expect(row).toMatchObject({ resident_id: resident.id, resident_phone: resident.id });
		expect(row?.business_id).toEqual(expect.any(String));
		// A repeated submit answers the same ticket and tells them no second time.
		const again = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(again.status).toBe(200);
		await resident.settle();
		expect(resident.sent()).toHaveLength(1);
		// Their chat is linked: `status` from their own number lists the request.
		expect(texts(await resident.say("status"))).toContain(ticket);
	});

	it("files a draft, takes its documents and submits it once, with one ticket", async () => {
		const draft = await newDraft();
		expect(draft).toMatchObject({ status: "draft", missing: [DOC], filedBy: operator.id });
		// In nobody's queue yet: not a request.
		expect((await api("GET", `/requests/${draft.id}`)).status).toBe(404);

		const early = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(early.status).toBe(422);
		expect(early.headers.get("content-type")).toBe("application/problem+json");
		expect(await early.json()).toMatchObject({ missing: [DOC] });

		const bytes = pdf("akta kelahiran");
		const first = await upload(draft.id, bytes, "application/pdf");
		expect(first.status).toBe(201);
		const file = await first.json<{ id: string; sha256: string; size: number }>();
		const digest = await crypto.subtle.digest("SHA-256", bytes);
		expect(file.sha256).toBe(toHex(digest));
		expect(file.size).toBe(bytes.byteLength);
		// A retried upload of the same bytes is the same file: one row, one object.
		const again = await upload(draft.id, bytes, "application/pdf");
		expect(again.status).toBe(200);
		expect((await again.json<{ id: string }>()).id).toBe(file.id);
		const objects = await env.FILES.list({ prefix: `requests/${draft.id}/` });
		expect(objects.objects).toHaveLength(1);
		// Several files per document; a second one, then removed again.
		const png = await upload(draft.id, PNG, "image/png");
		expect(png.status).toBe(201);
		const pngId = (await png.json<{ id: string }>()).id;
		const removed = await api("DELETE", `/requests/${draft.id}/documents/${DOC}?fileId=${pngId}`, {
			token: operator.token,
		});
		expect(removed.status).toBe(204);
		expect((await env.FILES.list({ prefix: `requests/${draft.id}/` })).objects).toHaveLength(1);

		const submitted = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(submitted.status).toBe(201);
		const ticket = await submitted.json<{ ticket: string; channel: string; filedBy: string }>();
		expect(ticket).toMatchObject({ channel: "kelurahan", filedBy: operator.id });
		const counters = await env.DB.prepare("SELECT sum(last) AS n FROM ticket_counters").first();
		const repeat = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(repeat.status).toBe(200);
		expect((await repeat.json<{ ticket: string }>()).ticket).toBe(ticket.ticket);
		expect(await env.DB.prepare("SELECT sum(last) AS n FROM ticket_counters").first()).toEqual(
			counters,
		);

		const row = await env.DB.prepare(
			"SELECT channel, submitted_by, status, queue_date FROM requests WHERE id = ?",
		)
			.bind(draft.id)
			.first();
		expect(row).toMatchObject({
			channel: "kelurahan",
			submitted_by: operator.id,
			status: "submitted",
		});
		expect(row?.queue_date).not.toBeNull();
		const event = await env.DB.prepare(
			"SELECT actor, detail FROM request_events WHERE request_id = ? AND from_status IS NULL",
		)
			.bind(draft.id)
			.first<{ actor: string; detail: string }>();
		expect(event?.actor).toBe(`staff:${operator.id}`);
		expect(JSON.parse(event?.detail ?? "{}")).toEqual({
			channel: "kelurahan",
			filedBy: operator.id,
		});
		const detail = await (
			await api("GET", `/requests/${draft.id}`, { token: operator.token })
		).json<{
			resident: { channel: string; filedBy: string };
			documents: { code: string; attachments: { sha256: string }[] }[];
		}>();
		expect(detail.resident).toMatchObject({ channel: "kelurahan", filedBy: operator.id });
		expect(detail.documents.find((d) => d.code === DOC)?.attachments.map((a) => a.sha256)).toEqual([
			file.sha256,
		]);
		// The draft is gone; its documents can no longer change.
		expect((await upload(draft.id, pdf("late"), "application/pdf")).status).toBe(409);
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM filing_files WHERE draft_id = ?")
				.bind(draft.id)
				.first(),
		).toEqual({ n: 0 });
	});

	it("checks each file like a WhatsApp upload: type by its bytes, the catalog's limit, the document", async () => {
		const draft = await newDraft();
		const text = new TextEncoder().encode("not a pdf at all");
		expect((await upload(draft.id, text, "application/pdf")).status).toBe(415);
		expect((await upload(draft.id, pdf("x"), "text/plain")).status).toBe(415);
		const big = new Uint8Array(10 * 1024 * 1024 + 1);
		big.set(pdf("big"));
		expect((await upload(draft.id, big, "application/pdf")).status).toBe(413);
		const wrongDoc = await api("PUT", `/requests/${draft.id}/documents/ktp`, {
			token: operator.token,
			body: pdf("x"),
			headers: { "content-type": "application/pdf" },
		});
		expect(wrongDoc.status).toBe(400);
		expect((await wrongDoc.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe(
			"path.docCode",
		);
		expect((await env.FILES.list({ prefix: `requests/${draft.id}/` })).objects).toHaveLength(0);
	});

	it("needs the resident's consent and a NIK that can be one, else writes nothing", async () => {
		const before = await draftCount();
		for (const consent of [false, undefined]) {
			const res = await api("POST", "/requests", {
				token: operator.token,
				json: filing({ consent }),
			});
			expect(res.status).toBe(422);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		for (const [nik, message] of [
			["12345", "must be 16 digits"],
			["9974015203900001", "the first two digits are not a province code"],
			["1674015213900001", "digits 9-10 are not a month (01-12)"],
			["1674015203900000", "the last four digits must not be 0000"],
		]) {
			const res = await api("POST", "/requests", {
				token: operator.token,
				json: filing({ resident: { nik, name: "Warga" } }),
			});
			expect(res.status).toBe(400);
			expect(await res.json()).toMatchObject({
				errors: [{ field: "body.resident.nik", message }],
			});
		}
		expect(await draftCount()).toBe(before);
	});

	it("lets an operator file only in their areas; officers anywhere", async () => {
		const before = await draftCount();
		const res = await api("POST", "/requests", { token: outsider.token, json: filing() });
		expect(res.status).toBe(403);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
		expect(await draftCount()).toBe(before);
		const draft = await newDraft();
		// Another area's operator never learns the draft exists.
		expect((await upload(draft.id, pdf("x"), "application/pdf", outsider.token)).status).toBe(404);
		expect(
			(await api("POST", `/requests/${draft.id}/submit`, { token: outsider.token })).status,
		).toBe(404);
		const officer = await createStaff("officer");
		await newDraft(officer.token, { kelurahan: OTHER_AREA });
	});

	it("finishes a submission cut short between the request and the draft's deletion", async () => {
		const draft = await newDraft();
		expect((await upload(draft.id, pdf("cut short"), "application/pdf")).status).toBe(201);
		// The request was written, then the worker stopped before deleting the draft (put back here
		// without its file rows: the answer must not depend on them).
		const found = await findDraft(env.DB, draft.id);
		if (found === null) throw new Error("no draft");
		const first = await submitDraft(env.DB, "PBM", found.draft, found.files, {
			at: Date.now(),
			timeZone: "Asia/Jakarta",
		});
		const restored = found.draft;
		await env.DB.prepare(
			`INSERT INTO filing_drafts (id, service_code, variant_code, area_code, nik, nik_warnings,
				resident_name, resident_phone, language, consent_at, filed_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		)
			.bind(...Object.values(restored))
			.run();
		const res = await api("POST", `/requests/${draft.id}/submit`, { token: operator.token });
		expect(res.status).toBe(200);
		expect((await res.json<{ ticket: string }>()).ticket).toBe(first.ticket);
		expect(await findDraft(env.DB, draft.id)).toBeNull();
		const attachments = await env.DB.prepare(
			"SELECT count(*) AS n FROM attachments WHERE request_id = ?",
		)
			.bind(draft.id)
			.first();
		expect(attachments).toEqual({ n: 1 });
	});

	it("keeps a filed request's papers when its submission was cut short with the draft left behind", async () => {
		const draft = await newDraft();
		expect((await upload(draft.id, pdf("left behind"), "application/pdf")).status).toBe(201);
		const found = await findDraft(env.DB, draft.id);
		if (found === null) throw new Error("no draft");
		await submitDraft(env.DB, "PBM", found.draft, found.files, {
			at: Date.now(),
			timeZone: "Asia/Jakarta",
		});
		// The worker stopped before the draft went: its rows, files included, are still there.
		await env.DB.batch([
			env.DB.prepare(
				`INSERT OR IGNORE INTO filing_drafts (id, service_code, variant_code, area_code, nik,
					nik_warnings, resident_name, resident_phone, language, consent_at, filed_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			).bind(...Object.values(found.draft)),
			...found.files.map((file) =>
				env.DB.prepare(
					`INSERT OR IGNORE INTO filing_files (id, draft_id, doc_code, r2_key, mime_type, size,
						sha256, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				).bind(...Object.values(file)),
			),
		]);
		const key = found.files[0]?.r2_key ?? "";
		// The operator sees a submitted request, not a draft to finish, and cannot remove its papers.
		expect(
			(await api("GET", `/requests/${draft.id}/draft`, { token: operator.token })).status,
		).toBe(409);
		const removed = await api("DELETE", `/requests/${draft.id}/documents/${DOC}`, {
			token: operator.token,
		});
		expect(removed.status).toBe(409);
		expect(await env.FILES.head(key)).not.toBeNull();
		// Nor does the daily sweep of abandoned drafts take them; it only forgets the leftover rows.
		await purgeStaleDrafts(env, Date.now() + (DRAFT_DAYS + 1) * 24 * 60 * 60 * 1000);
		expect(await env.FILES.head(key)).not.toBeNull();
		expect(await findDraft(env.DB, draft.id)).toBeNull();
		const attachment = await env.DB.prepare("SELECT r2_key FROM attachments WHERE request_id = ?")
			.bind(draft.id)
			.first();
		expect(attachment).toEqual({ r2_key: key });
	});
});
