import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { canTransition, REQUEST_STATUSES, type RequestStatus } from "../../src/requests/statuses";
import { submitRequest } from "../../src/requests/submit";
import { redeliverNotices } from "../../src/scheduled/notice-redelivery";
import { page, signIn } from "../helpers/console";
import { pendingRows, unreachableObjects } from "../helpers/faults";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	textOf,
	texts,
	wire,
	withResidents,
} from "../helpers/resident";
import { ADMIN, api, createStaff } from "../helpers/staff";
import { conversation, PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62815000");
const resident = () => t.resident();

/** A resident files a request over WhatsApp; returns its ticket and id. */
async function fileRequest(r: Resident, service = "Legalisir", variant?: string) {
	await fillDetails(r, { service, ...(variant ? { variant } : {}) });
	const sent = await sendFile(r, service === "Legalisir" ? "pdf" : "jpeg");
	for (let i = 0; i < 20 && !texts(r.sent().slice(-1)).includes("Sudah benar?"); i++) {
		const last = r.sent().at(-1);
		const offersNext =
			last?.type === "interactive" && JSON.stringify(last.body).includes('"Lanjut"');
		if (offersNext) await r.tap("Lanjut");
		else await sendFile(r, "pdf");
	}
	const done = await r.tap("Kirim");
	const ticket = texts(done).match(/PBM-\d{6}-\d{4}/)?.[0] ?? "";
	const [row] = await requestRows(r.id);
	return { ticket, id: String(row?.id), bytes: sent.bytes };
}

let seq = 0;
/**
 * A kelurahan-channel request (no WhatsApp), put straight into `status`; with `residentId`, one
 * filed for that WhatsApp number (whose chat may never have begun).
 */
async function seedRequest(
	status: RequestStatus,
	area = "16.74.01.1001",
	service = "legalisir",
	residentId?: string,
) {
	seq++;
	const id = `seed-${seq}-${crypto.randomUUID()}`;
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		...(residentId
			? { channel: "whatsapp", businessId: PHONE_NUMBER_ID, residentId }
			: { channel: "kelurahan", submittedBy: "op-1" }),
		residentName: "Warga Kelurahan",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: service,
		variantCode: service === "ktp_el" ? "hilang" : "umum",
		areaCode: area,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?").bind(status, id).run();
	return { id, ticket };
}

/** A small finished document, as the API takes it. */
function resultPdf() {
	const bytes = new TextEncoder().encode("%PDF-1.7\nakta kelahiran\n%%EOF\n");
	return {
		body: bytes,
		headers: { "content-type": "application/pdf", "content-length": String(bytes.byteLength) },
	};
}

function bodyFor(to: RequestStatus): Record<string, unknown> {
	if (to === "needs_revision")
		return { to, reason: "Foto buram", documents: ["dokumen_legalisir"] };
	if (to === "rejected") return { to, reason: "Bukan dokumen kependudukan" };
	return { to };
}

describe("transitions", () => {
	it("allows exactly the moves of the state machine, answering 409 to the others", async () => {
		for (const from of REQUEST_STATUSES) {
			for (const to of REQUEST_STATUSES) {
				const { id } = await seedRequest(from);
				const res = await api("POST", `/requests/${id}/transitions`, { json: bodyFor(to) });
				const legal = canTransition(from, to, "staff");
				expect(res.status, `${from} -> ${to}`).toBe(legal ? 200 : 409);
				const row = await env.DB.prepare("SELECT status FROM requests WHERE id = ?")
					.bind(id)
					.first();
				expect(row?.status).toBe(legal ? to : from);
				if (legal) {
					const event = await env.DB.prepare(
						"SELECT from_status, to_status, actor FROM request_events WHERE request_id = ? AND to_status = ? AND from_status = ?",
					)
						.bind(id, to, from)
						.first();
					expect(event).toEqual({
						from_status: from,
						to_status: to,
						actor: "staff:bootstrap-admin",
					});
				}
			}
		}
	});

	it("lets one of two concurrent moves win and answers 409 to the other", async () => {
		const { id } = await seedRequest("submitted");
		const [a, b] = await Promise.all([
			api("POST", `/requests/${id}/transitions`, { json: { to: "in_review", version: 1 } }),
			api("POST", `/requests/${id}/transitions`, {
				json: { to: "rejected", reason: "Duplikat", version: 1 },
			}),
		]);
		expect([a.status, b.status].sort()).toEqual([200, 409]);
		const { results } = await env.DB.prepare(
			"SELECT to_status FROM request_events WHERE request_id = ? AND actor = 'staff:bootstrap-admin'",
		)
			.bind(id)
			.all();
		expect(results).toHaveLength(1);
	});

	it("answers 409 when the version the caller saw is stale", async () => {
		const { id } = await seedRequest("submitted");
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review", version: 1 } }))
				.status,
		).toBe(200);
		const stale = await api("POST", `/requests/${id}/transitions`, {
			json: { to: "processing", version: 1 },
		});
		expect(stale.status).toBe(409);
		expect(await stale.json()).toMatchObject({ type: "urn:disdukcapil:problem:conflict" });
	});

	it("names the missing or wrong field", async () => {
		const { id } = await seedRequest("in_review");
		const cases: [Record<string, unknown>, string][] = [
			[{ to: "rejected" }, "body.reason"],
			[{ to: "needs_revision", reason: "Buram" }, "body.documents"],
			[{ to: "needs_revision", reason: "Buram", documents: ["paspor"] }, "body.documents"],
			[{ to: "in_review", documents: ["kk"] }, "body.documents"],
			[{ to: "finished" }, "body.to"],
			[{ to: "processing", sneaky: true }, "body"],
		];
		for (const [json, field] of cases) {
			const res = await api("POST", `/requests/${id}/transitions`, { json });
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(problem.errors.map((e) => e.field).join()).toContain(field);
		}
	});

	it("lets only admins and officers move requests; a kelurahan operator of another area sees nothing", async () => {
		const { id } = await seedRequest("submitted", "16.74.01.1001");
		const officer = await createStaff("officer");
		const own = await createStaff("kelurahan", "16.74.01.1001");
		const other = await createStaff("kelurahan", "16.74.02.1003");
		expect(
			(await api("POST", `/requests/${id}/transitions`, { token: null, json: { to: "in_review" } }))
				.status,
		).toBe(401);
		expect(
			(
				await api("POST", `/requests/${id}/transitions`, {
					token: "bad",
					json: { to: "in_review" },
				})
			).status,
		).toBe(401);
		expect(
			(
				await api("POST", `/requests/${id}/transitions`, {
					token: own.token,
					json: { to: "in_review" },
				})
			).status,
		).toBe(403);
		expect(
			(
				await api("POST", `/requests/${id}/transitions`, {
					token: other.token,
					json: { to: "in_review" },
				})
			).status,
		).toBe(403);
		expect(
			(await api("POST", `/requests/${id}/notes`, { token: other.token, json: { text: "x" } }))
				.status,
		).toBe(404);
		expect(
			(
				await api("POST", `/requests/${id}/notes`, {
					token: own.token,
					json: { text: "Sudah dicek" },
				})
			).status,
		).toBe(201);
		expect(
			(
				await api("POST", `/requests/${id}/transitions`, {
					token: officer.token,
					json: { to: "in_review" },
				})
			).status,
		).toBe(200);
		expect(
			(await api("POST", "/requests/no-such/transitions", { json: { to: "in_review" } })).status,
		).toBe(404);
	});
});

describe("the resident is told", () => {
	it("runs a needs_revision round trip through the dialogue back to submitted", async () => {
		const r = resident();
		const { id, ticket } = await fileRequest(r);
		r.replies();
		const review = await api("POST", `/requests/${ticket}/transitions`, {
			json: { to: "in_review" },
		});
		expect(review.status).toBe(200);
		expect(await review.json()).toMatchObject({ residentNotified: true, version: 2 });
		await r.settle();
		expect(texts(r.replies())).toContain("sedang diperiksa");

		const revision = await api("POST", `/requests/${id}/transitions`, {
			json: { to: "needs_revision", reason: "Foto kurang jelas", documents: ["dokumen_legalisir"] },
		});
		expect(revision.status).toBe(200);
		await r.settle();
		const asked = r.replies();
		expect(texts(asked)).toContain("perlu perbaikan");
		expect(texts(asked)).toContain("Foto kurang jelas");
		expect(textOf(asked.at(-1))).toContain("Perbaikan 1/1");

		const resent = await sendFile(r, "pdf");
		expect(texts(resent.replies)).toContain("✅");
		const thanks = await r.tap("Lanjut");
		expect(texts(thanks)).toContain("dokumen perbaikan");

		const row = await env.DB.prepare("SELECT status, version FROM requests WHERE id = ?")
			.bind(id)
			.first();
		expect(row).toEqual({ status: "submitted", version: 4 });
		const { results: attachments } = await env.DB.prepare(
			"SELECT state, r2_key FROM attachments WHERE request_id = ? AND doc_code = 'dokumen_legalisir' ORDER BY created_at",
		)
			.bind(id)
			.all<{ state: string; r2_key: string }>();
		expect(attachments.map((a) => a.state)).toEqual(["superseded", "active"]);
		const kept = await env.FILES.get(attachments[1]?.r2_key ?? "");
		expect(new Uint8Array(await new Response(kept?.body).arrayBuffer())).toEqual(resent.bytes);
		const { results: events } = await env.DB.prepare(
			"SELECT from_status, to_status, actor FROM request_events WHERE request_id = ? ORDER BY at, rowid",
		)
			.bind(id)
			.all();
		expect(events.at(-1)).toEqual({
			from_status: "needs_revision",
			to_status: "submitted",
			actor: "resident",
		});
	});

	it("a correction WhatsApp could not pass on while a person holds the chat is answered about the document asked for", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		await api("POST", `/requests/${id}/transitions`, {
			json: { to: "needs_revision", reason: "Buram", documents: ["dokumen_legalisir"] },
		});
		await r.settle();
		await r.say("petugas");
		r.replies();
		// Before: the hand-off's "tidak dapat kami teruskan ke petugas", as if it were for staff.
		const big = texts(await r.send(wire.fileError(131052, "document")));
		expect(big).toContain("terlalu besar");
		expect(big).toContain("Perbaikan 1/1");
		expect(big).not.toContain("petugas");
		const lost = texts(await r.send(wire.fileError(131053, "image")));
		expect(lost).toContain("gagal kami simpan");
		expect(lost).not.toContain("petugas");
		// The correction itself, sent again, is still taken while held.
		expect(texts((await sendFile(r, "pdf")).replies)).toContain("✅");
	});

	it("keeps no resent file once the request left needs_revision, and tells the resident so", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		const keys = async () =>
			(await env.FILES.list({ prefix: `requests/${id}/` })).objects.map((o) => o.key).sort();
		const before = await keys();
		await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		await api("POST", `/requests/${id}/transitions`, {
			json: { to: "needs_revision", reason: "Buram", documents: ["dokumen_legalisir"] },
		});
		await r.settle();
		r.replies();
		await sendFile(r, "pdf");
		// Staff reject it before the resident finishes; the notice has not reached the chat yet.
		await env.DB.prepare("UPDATE requests SET status = 'rejected' WHERE id = ?").bind(id).run();
		const answer = await r.tap("Lanjut");
		expect(texts(answer)).toContain("tidak lagi menunggu perbaikan");
		expect(texts(answer)).not.toContain("sudah kami terima");
		const { results } = await env.DB.prepare(
			"SELECT state FROM attachments WHERE request_id = ? AND doc_code = 'dokumen_legalisir'",
		)
			.bind(id)
			.all<{ state: string }>();
		expect(results.map((a) => a.state)).toEqual(["active"]);
		expect(await keys()).toEqual(before);
		const row = await env.DB.prepare("SELECT status FROM requests WHERE id = ?").bind(id).first();
		expect(row).toEqual({ status: "rejected" });
	});

	it("sends a notice outside the 24-hour window as the template, the text when the resident writes", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		await r.age(25 * 60 * 60 * 1000);
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } })).status,
		).toBe(200);
		await r.settle();
		const notices = r.replies();
		expect(notices.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(notices[0]?.body)).toContain("Sedang diperiksa");
		const detail = await conversation(r.id).caseState(id);
		expect(detail).toMatchObject({ windowOpenUntil: null, waitingNotices: 1 });
		await r.say("halo");
		expect(texts(r.sent())).toContain("sedang diperiksa");
	});

	it("reaches a resident whose chat never began (filed for their number): the template, then the text", async () => {
		const r = resident();
		const { id } = await seedRequest("submitted", undefined, undefined, r.id);
		expect(
			(await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } })).status,
		).toBe(200);
		await r.settle();
		// To the resident's number (the object's name), not to nobody.
		expect(r.replies().map((m) => m.type)).toEqual(["template"]);
		expect(t.graph.sent.filter((m) => m.to === "")).toEqual([]);
		await r.say("halo");
		expect(texts(r.sent())).toContain("sedang diperiksa");
	});

	it("writes to the resident inside the window, refuses outside it", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		const ok = await api("POST", `/requests/${id}/messages`, {
			json: { text: "Mohon bawa KK asli." },
		});
		expect(ok.status).toBe(202);
		await r.settle();
		expect(texts(r.replies())).toContain("Mohon bawa KK asli.");
		await r.age(25 * 60 * 60 * 1000);
		const closed = await api("POST", `/requests/${id}/messages`, { json: { text: "Halo?" } });
		expect(closed.status).toBe(409);
		expect((await closed.json<{ detail: string }>()).detail).toContain("template");
	});

	it("sends a message once however often the call is repeated with its Idempotency-Key", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		const send = (text: string, key?: string) =>
			api("POST", `/requests/${id}/messages`, {
				json: { text },
				...(key ? { headers: { "idempotency-key": key } } : {}),
			});
		const key = crypto.randomUUID();
		const first = await send("Mohon bawa KK asli.", key);
		const again = await send("Mohon bawa KK asli.", key);
		expect([first.status, again.status]).toEqual([202, 202]);
		const ids = [await first.json(), await again.json()].map(
			(b) => (b as { noticeId: string }).noticeId,
		);
		expect(ids[0]).toBe(ids[1]);
		await r.settle();
		expect(texts(r.replies()).split("Mohon bawa KK asli.").length - 1).toBe(1);
		// Another key, or none: another message.
		expect((await send("Satu lagi.", crypto.randomUUID())).status).toBe(202);
		expect((await send("Satu lagi.")).status).toBe(202);
		await r.settle();
		expect(texts(r.replies()).split("Satu lagi.").length - 1).toBe(2);
		// A key that is no key: the header named, nothing sent.
		const bad = await send("Tidak terkirim.", "kunci dengan spasi");
		expect(bad.status).toBe(400);
		expect(bad.headers.get("content-type")).toContain("application/problem+json");
		expect(await bad.text()).toContain("idempotency-key");
		await r.settle();
		expect(texts(r.replies())).not.toContain("Tidak terkirim.");
	});

	it("sends the finished PDF as an upload plus a document naming the ticket; again when asked", async () => {
		const r = resident();
		const { id, ticket } = await fileRequest(r);
		// A result is taken only while the request is processing or completed.
		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		r.replies();
		const pdfBytes = new TextEncoder().encode(`%PDF-1.7\n${"akta ".repeat(20000)}`);
		const put = () =>
			api("PUT", `/requests/${id}/result`, {
				body: pdfBytes,
				headers: {
					"content-type": "application/pdf",
					"content-length": String(pdfBytes.byteLength),
				},
			});
		const res = await put();
		expect(res.status).toBe(201);
		await r.settle();
		expect(t.graph.uploads).toHaveLength(1);
		expect(t.graph.uploads[0]?.size).toBe(pdfBytes.byteLength);
		const documents = r.replies().filter((m) => m.type === "document");
		expect(documents).toHaveLength(1);
		expect(JSON.stringify(documents[0]?.body)).toContain(ticket);
		expect((await put()).status).toBe(201);
		await r.settle();
		expect(t.graph.uploads).toHaveLength(2);
		expect(r.replies().filter((m) => m.type === "document")).toHaveLength(1);
	});

	it("refuses a result that is not a PDF, too large, or for a card service", async () => {
		const { id } = await seedRequest("processing");
		const notPdf = await api("PUT", `/requests/${id}/result`, {
			body: new TextEncoder().encode("hello world"),
			headers: { "content-type": "application/pdf", "content-length": "11" },
		});
		expect(notPdf.status).toBe(415);
		const tooBig = await api("PUT", `/requests/${id}/result`, {
			body: "x",
			headers: { "content-type": "application/pdf", "content-length": String(21 * 1024 * 1024) },
		});
		expect(tooBig.status).toBe(413);
		const card = await seedRequest("processing", "16.74.01.1001", "ktp_el");
		const refused = await api("PUT", `/requests/${card.id}/result`, {
			body: "%PDF-1.4",
			headers: { "content-type": "application/pdf", "content-length": "8" },
		});
		expect(refused.status).toBe(409);
		expect((await env.FILES.list({ prefix: `results/${id}/` })).objects).toEqual([]);
	});

	it("takes a result only while processing or completed and not purged, else 409 naming the status", async () => {
		const pdfBody = () => ({
			body: "%PDF-1.7\nhasil",
			headers: { "content-type": "application/pdf", "content-length": "14" },
		});
		for (const status of [
			"submitted",
			"in_review",
			"needs_revision",
			"rejected",
			"cancelled",
		] as const) {
			const { id } = await seedRequest(status);
			const res = await api("PUT", `/requests/${id}/result`, pdfBody());
			expect(res.status).toBe(409);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{ requestStatus: string; detail: string }>();
			expect(problem.requestStatus).toBe(status);
			expect(problem.detail).toContain(status);
			expect((await env.FILES.list({ prefix: `results/${id}/` })).objects).toEqual([]);
		}
		const purged = await seedRequest("completed");
		await env.DB.prepare("UPDATE requests SET purged_at = ? WHERE id = ?")
			.bind(Date.now(), purged.id)
			.run();
		const late = await api("PUT", `/requests/${purged.id}/result`, pdfBody());
		expect(late.status).toBe(409);
		expect(await late.json()).toMatchObject({ requestStatus: "completed", purged: true });
		expect((await env.FILES.list({ prefix: `results/${purged.id}/` })).objects).toEqual([]);
		for (const status of ["processing", "completed"] as const) {
			const { id } = await seedRequest(status);
			expect((await api("PUT", `/requests/${id}/result`, pdfBody())).status).toBe(201);
		}
	});

	it("answers 415 to a body that is not a PDF whatever its length", async () => {
		const { id } = await seedRequest("processing");
		for (const text of [
			"%PD",
			"%PDF",
			"PDF-1.7 but not at the start",
			`x%PDF-${"a".repeat(5000)}`,
		]) {
			const res = await api("PUT", `/requests/${id}/result`, {
				body: text,
				headers: { "content-type": "application/pdf", "content-length": String(text.length) },
			});
			expect(res.status).toBe(415);
		}
		expect((await env.FILES.list({ prefix: `results/${id}/` })).objects).toEqual([]);
	});

	it("sends a pick-up notice for a card service", async () => {
		const r = resident();
		const { id } = await fileRequest(r, "KTP-el", "Hilang");
		r.replies();
		const res = await api("POST", `/requests/${id}/pickup`, {
			json: { place: "Kantor Kelurahan Gunung Kemala", from: "Senin, 1 Desember 2026" },
		});
		expect(res.status).toBe(202);
		await r.settle();
		expect(texts(r.replies())).toContain("Kantor Kelurahan Gunung Kemala");
		const pdfService = await seedRequest("processing");
		expect(
			(
				await api("POST", `/requests/${pdfService.id}/pickup`, {
					json: { place: "Kantor", from: "Besok" },
				})
			).status,
		).toBe(409);
	});
});

/** The dead letters admins see (first page). */
async function letters() {
	const res = await api("GET", "/dead-letters");
	expect(res.status).toBe(200);
	return (
		await res.json<{
			items: { id: string; kind: string; requestId: string | null; state: string }[];
		}>()
	).items;
}

describe("notices are never lost", () => {
	it("tells the notices in the order staff made them, when the first one's hand-over failed", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		const spy = unreachableObjects("notify");
		const first = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		spy.mockRestore();
		expect(await first.json()).toMatchObject({ residentNotified: false });
		// The next change hands over the kept one first, then its own: never before it.
		const second = await api("POST", `/requests/${id}/transitions`, {
			json: { to: "needs_revision", reason: "Foto buram", documents: ["dokumen_legalisir"] },
		});
		expect(await second.json()).toMatchObject({ residentNotified: true });
		expect(await pendingRows(id)).toEqual([]);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(0);
		await r.settle();
		const told = texts(r.replies());
		expect(told.indexOf("sedang diperiksa")).toBeGreaterThanOrEqual(0);
		expect(told.indexOf("Foto buram")).toBeGreaterThan(told.indexOf("sedang diperiksa"));
	});

	it("keeps a status notice whose hand-over failed and redelivers it once from the cron", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		const spy = unreachableObjects("notify");
		const res = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		spy.mockRestore();
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ residentNotified: false });
		expect(await pendingRows(id)).toHaveLength(1);
		await r.settle();
		expect(texts(r.replies())).not.toContain("sedang diperiksa");

		// Too fresh for the cron: the API call that wrote it may still be handing it over.
		expect(await redeliverNotices(env)).toBe(0);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(1);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(0);
		await r.settle();
		const told = texts(r.replies());
		expect(told.split("sedang diperiksa").length - 1).toBe(1);
	});

	it("shows admins a notice the resident's conversation could not take for an hour, and a retry tells it once", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		r.replies();
		const spy = unreachableObjects("notify");
		const res = await api("POST", `/requests/${id}/transitions`, { json: { to: "in_review" } });
		expect(await res.json()).toMatchObject({ residentNotified: false });
		// The cron every 5 minutes: tried on, and no letter before 12 tries over 50 minutes.
		const start = Date.now();
		for (let run = 1; run <= 10; run++) {
			expect(await redeliverNotices(env, start + run * 5 * 60_000)).toBe(0);
		}
		const ofRequest = async () => (await letters()).filter((letter) => letter.requestId === id);
		expect(await ofRequest()).toEqual([]);
		await redeliverNotices(env, start + 55 * 60_000);
		const [letter, ...others] = await ofRequest();
		expect(others).toEqual([]);
		expect(letter).toMatchObject({
			kind: "notice_handover",
			state: "open",
			attempts: 12,
			error: expect.stringContaining("object unreachable"),
		});
		// Given up: kept for the retry, tried no more, and the resident told nothing meanwhile.
		expect(await redeliverNotices(env, start + 24 * 60 * 60_000)).toBe(0);
		expect(await pendingRows(id)).toMatchObject([{ attempts: 12 }]);
		const screen = await page("/console/dead-letters", await signIn(ADMIN));
		expect(await screen.text()).toContain(
			'pemberitahuan tidak sampai ke percakapan warga <code class="muted">notice_handover</code>',
		);

		// The cause gone, it still waits for an admin (the cron no longer tries it)...
		spy.mockRestore();
		expect(await redeliverNotices(env, start + 24 * 60 * 60_000)).toBe(0);
		await r.settle();
		expect(texts(r.replies())).not.toContain("sedang diperiksa");
		// ...whose retry hands it over at once: told once, nothing left.
		const retried = await api("POST", `/dead-letters/${letter?.id}/retry`);
		expect(retried.status).toBe(200);
		expect(await retried.json()).toMatchObject({ state: "retried" });
		expect(await pendingRows(id)).toEqual([]);
		const again = await api("POST", `/dead-letters/${letter?.id}/retry`);
		expect(again.status).toBe(200);
		expect(await redeliverNotices(env, start + 25 * 60 * 60_000)).toBe(0);
		await r.settle();
		expect(texts(r.replies()).split("sedang diperiksa").length - 1).toBe(1);
		expect(await ofRequest()).toMatchObject([{ state: "retried" }]);
	});

	it("gives a document retried too soon fresh tries, and the same letter when those fail too", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		r.replies();
		const spy = unreachableObjects("sendResult");
		expect((await api("PUT", `/requests/${id}/result`, resultPdf())).status).toBe(201);
		const start = Date.now();
		for (let run = 1; run <= 11; run++) await redeliverNotices(env, start + run * 5 * 60_000);
		const [letter] = (await letters()).filter((each) => each.requestId === id);
		expect(letter).toMatchObject({ kind: "result_handover", state: "open", attempts: 12 });
		// Retried too soon: one more failure, then the cron's fresh tries, then the same letter again.
		expect((await api("POST", `/dead-letters/${letter?.id}/retry`)).status).toBe(200);
		expect(await pendingRows(id)).toMatchObject([{ attempts: 1 }]);
		const later = Date.now();
		for (let run = 1; run <= 11; run++) await redeliverNotices(env, later + run * 5 * 60_000);
		expect((await letters()).filter((each) => each.requestId === id)).toMatchObject([
			{ id: letter?.id, kind: "result_handover", state: "open", attempts: 12 },
		]);
		spy.mockRestore();
		expect((await api("POST", `/dead-letters/${letter?.id}/retry`)).status).toBe(200);
		await r.settle();
		expect(r.replies().filter((m) => m.type === "document")).toHaveLength(1);
		expect(t.graph.uploads).toHaveLength(1);
	});

	it("keeps a finished document whose hand-over failed and the cron sends it to the resident once", async () => {
		const r = resident();
		const { id, ticket } = await fileRequest(r);
		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		r.replies();
		const spy = unreachableObjects("sendResult");
		const res = await api("PUT", `/requests/${id}/result`, resultPdf());
		spy.mockRestore();
		expect(res.status).toBe(201);
		const { attachmentId } = await res.json<{ attachmentId: string; queued: boolean }>();
		// Kept with the result it sends, under the attachment's id.
		expect(await pendingRows(id)).toMatchObject([{ id: attachmentId }]);
		await r.settle();
		expect(r.replies().filter((m) => m.type === "document")).toEqual([]);

		expect(await redeliverNotices(env)).toBe(0);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(1);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(0);
		await r.settle();
		const documents = r.replies().filter((m) => m.type === "document");
		expect(documents).toHaveLength(1);
		expect(JSON.stringify(documents[0]?.body)).toContain(ticket);
		expect(t.graph.uploads).toHaveLength(1);
		expect(await pendingRows(id)).toEqual([]);
	});

	it("forgets the kept document once the resident's object has it", async () => {
		const r = resident();
		const { id } = await fileRequest(r);
		await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
		r.replies();
		const res = await api("PUT", `/requests/${id}/result`, resultPdf());
		expect(await res.json()).toMatchObject({ queued: true });
		expect(await pendingRows(id)).toEqual([]);
		await r.settle();
		expect(r.replies().filter((m) => m.type === "document")).toHaveLength(1);
	});

	/** A staff message about a filed Legalisir request, as the API hands it to the object. */
	const staffMessage = (
		request: { id: string; ticket: string },
		noticeId: string,
		text: string,
	) => ({
		noticeId,
		requestId: request.id,
		ticket: request.ticket,
		serviceCode: "legalisir",
		variantCode: "umum",
		kind: "message" as const,
		text,
	});

	it("tells a notice handed over twice only once", async () => {
		const r = resident();
		const { id, ticket } = await fileRequest(r);
		r.replies();
		const notice = staffMessage({ id, ticket }, "twice-1", "Satu kali saja");
		await r.stub.notify(notice);
		await r.stub.notify(notice);
		await r.settle();
		expect(texts(r.replies()).split("Satu kali saja").length - 1).toBe(1);
	});

	it("does not tell a notice again when it is handed over after it was told", async () => {
		// The redelivery's case: the call succeeded, but its pending row outlived it.
		const r = resident();
		const { id, ticket } = await fileRequest(r);
		r.replies();
		const notice = staffMessage({ id, ticket }, "late-repeat-1", "Hanya sekali");
		await r.stub.notify(notice);
		await r.settle();
		expect(texts(r.replies())).toContain("Hanya sekali");
		await evictDurableObject(r.stub);
		await r.stub.notify(notice);
		await r.settle();
		expect(r.replies()).toEqual([]);
		// A new notice still goes out.
		await r.stub.notify({ ...notice, noticeId: "late-repeat-2", text: "Yang baru" });
		await r.settle();
		expect(texts(r.replies())).toContain("Yang baru");
	});
});
