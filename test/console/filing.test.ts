import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDate } from "../../src/standards/dates-id";
import { ORIGIN, page, post, signIn } from "../helpers/console";
import { unreachableObjects } from "../helpers/faults";
import { jpeg } from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";

/**
 * Issue 12's "File for a resident" screens against the real staff API: the operator's form makes
 * the API's draft, the documents go through the API's upload (streamed, MediaCheck's checks), submit
 * gives the ticket. Every refusal is the API's (or the console's same-origin check), shown.
 */
const AREA = "16.74.01.1001";
const OTHER_AREA = "16.74.03.1001";
const NIK = "1674015203900001";
const SERVICE = "ktp_el/rusak";
const PNG = Uint8Array.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);
const JPEG = jpeg(3000, 7);

let operator = { id: "", cookie: "" };
let outsider = "";
beforeAll(async () => {
	const o = await createStaff("kelurahan", AREA);
	operator = { id: o.id, cookie: await signIn(o.token) };
	outsider = await signIn((await createStaff("kelurahan", OTHER_AREA)).token);
});

const RESIDENT = {
	nik: NIK,
	name: "Mbah Sarinah",
	phone: "",
	choice: SERVICE,
	area: AREA,
	language: "id",
	consent: "yes",
};

/** Creates a draft through the form and returns its id (from the 303's Location). */
async function newDraft(fields: Record<string, string> = {}): Promise<string> {
	const res = await post("/console/file", { ...RESIDENT, ...fields }, { cookie: operator.cookie });
	expect(res.status, await res.clone().text()).toBe(303);
	const location = res.headers.get("location") ?? "";
	// Nothing about the resident in the address.
	expect(location).not.toContain(NIK);
	expect(location).not.toContain("Sarinah");
	const id = /^\/console\/file\/([\w-]+)$/.exec(location)?.[1];
	expect(id).toBeDefined();
	return id as string;
}

/** A form with one file, byte for byte as a browser sends it (the page's no-script upload). */
function browserForm(type: string, bytes: Uint8Array, trailer = "") {
	const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
	const head = new TextEncoder().encode(
		`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="foto.jpg"\r\nContent-Type: ${type}\r\n\r\n`,
	);
	const tail = new TextEncoder().encode(`${trailer}\r\n--${boundary}--\r\n`);
	const body = new Uint8Array(head.length + bytes.length + tail.length);
	body.set(head);
	body.set(bytes, head.length);
	body.set(tail, head.length + bytes.length);
	return { body, type: `multipart/form-data; boundary=${boundary}` };
}

function uploadForm(
	id: string,
	doc: string,
	form: { body: Uint8Array; type: string },
	cookie = operator.cookie,
	origin: string | null = ORIGIN,
) {
	return exports.default.fetch(`${ORIGIN}/console/file/${id}/documents/${doc}`, {
		method: "POST",
		headers: {
			cookie,
			"content-type": form.type,
			...(origin === null ? {} : { origin }),
		},
		body: form.body,
		redirect: "manual",
	});
}

/** The script's upload: the raw file as a PUT. */
function uploadRaw(
	id: string,
	doc: string,
	type: string,
	bytes: Uint8Array,
	headers: Record<string, string> = { origin: ORIGIN },
	cookie = operator.cookie,
) {
	return exports.default.fetch(`${ORIGIN}/console/file/${id}/documents/${doc}`, {
		method: "PUT",
		headers: { cookie, "content-type": type, ...headers },
		body: bytes,
	});
}

/** The draft's files as the API has them, and the objects in R2 under the draft. */
async function stored(id: string) {
	const draft = await (await api("GET", `/requests/${id}/draft`)).json<{
		documents: { code: string; files: { size: number; mimeType: string }[] }[];
		missing: string[];
	}>();
	const objects = await env.FILES.list({ prefix: `requests/${id}/` });
	return { draft, objects: objects.objects.length };
}

describe("filing for a resident in the console", () => {
	it("walks an operator from the form through two photos to the ticket, into the API's queue", async () => {
		const form = await (await page("/console/file", operator.cookie)).text();
		expect(form).toContain('href="/console/file" aria-current="page"');
		expect(form).toContain("Ajukan untuk warga");
		// Only the operator's area, chosen already; the consent text to tick.
		expect(form).toMatch(new RegExp(`<option value="${AREA}" selected="">`));
		expect(form).not.toContain(OTHER_AREA);
		expect(form).toContain('<option value="ktp_el/rusak">');
		expect(form).toContain('name="consent" value="yes" required=""');
		expect(form).toContain("menyimpan salinan dokumennya");

		const id = await newDraft();
		const before = await (await page(`/console/file/${id}`, operator.cookie)).text();
		// A phone's picker offers the camera, a PDF and the photos taken before (no `capture`).
		expect(before).toContain('accept="image/jpeg,image/png,application/pdf"');
		expect(before).not.toContain("capture=");
		expect(before).toContain("Belum ada berkas");
		expect(before).toMatch(/<button type="submit" disabled="" aria-describedby="missing-reason"/);
		expect(before).toContain("Kartu Keluarga (KK), KTP-el yang rusak");

		// Without script: the document's form, streamed to the API; back to the draft.
		const first = await uploadForm(id, "kk", browserForm("image/jpeg", JPEG));
		expect(first.status, await first.clone().text()).toBe(303);
		expect(first.headers.get("location")).toBe(`/console/file/${id}`);
		// With script: the raw file, answered with the API's stored file.
		const second = await uploadRaw(id, "ktp_rusak", "image/png", PNG);
		expect(second.status, await second.clone().text()).toBe(201);
		const file = await second.json<{ id: string; size: number; mimeType: string }>();
		expect(file).toMatchObject({ size: PNG.byteLength, mimeType: "image/png" });

		const { draft } = await stored(id);
		expect(draft.missing).toEqual([]);
		expect(draft.documents.find((d) => d.code === "kk")?.files).toMatchObject([
			{ size: JPEG.byteLength, mimeType: "image/jpeg" },
		]);
		const after = await (await page(`/console/file/${id}`, operator.cookie)).text();
		expect(after).toContain(`Diterima: image/jpeg, ${JPEG.byteLength} bita`);
		expect(after).toContain(`Diterima: image/png, ${PNG.byteLength} bita`);
		expect(after).toContain(`name="fileId" value="${file.id}"`);
		expect(after).toContain('<button type="submit" data-testid="submit">');

		const submitted = await post(`/console/file/${id}/submit`, {}, { cookie: operator.cookie });
		expect(submitted.status, await submitted.clone().text()).toBe(303);
		expect(submitted.headers.get("location")).toBe(`/console/file/${id}/ticket`);
		const ticketPage = await (await page(`/console/file/${id}/ticket`, operator.cookie)).text();
		const ticket = /data-testid="ticket">([A-Z]+-\d{6}-\d{4})</.exec(ticketPage)?.[1];
		expect(ticket).toBeDefined();
		expect(ticketPage).toContain(`href="/console/requests/${id}"`);
		expect(ticketPage).toContain('href="/console/file">Ajukan untuk warga lain');

		// In the API's queue as filed at the kelurahan, by this operator.
		const list = await (await api("GET", "/requests?status=submitted")).json<{
			items: { id: string; ticket: string; channel: string }[];
		}>();
		expect(list.items.find((r) => r.id === id)).toMatchObject({ ticket, channel: "kelurahan" });
		const detail = await (await api("GET", `/requests/${id}`)).json<{
			resident: { filedBy: string | null; nik: string };
			dueDate: string;
		}>();
		expect(detail.resident).toMatchObject({ filedBy: operator.id, nik: NIK });
		// The ticket page wrote the API's due date out in words, the ISO date kept in `datetime`.
		expect(ticketPage).toContain(
			`Perkiraan selesai: <time datetime="${detail.dueDate}">${formatDate(detail.dueDate, "id")}</time>`,
		);

		// The draft is gone: its page says so (409) and leads to the ticket.
		const gone = await page(`/console/file/${id}`, operator.cookie);
		expect(gone.status).toBe(409);
		expect(await gone.text()).toContain(`href="/console/file/${id}/ticket"`);
	});

	it("offers a working 'submit again' when the resident could not be told, and it tells them", async () => {
		const id = await newDraft({ phone: "081234567891" });
		expect((await uploadRaw(id, "kk", "image/jpeg", JPEG)).status).toBe(201);
		expect((await uploadRaw(id, "ktp_rusak", "image/png", PNG)).status).toBe(201);
		const spy = unreachableObjects("introduce");
		const failed = await post(`/console/file/${id}/submit`, {}, { cookie: operator.cookie });
		spy.mockRestore();
		expect(failed.status).toBe(503);
		const html = await failed.text();
		expect(html).toContain("warga belum diberi tahu");
		expect(html).toContain(`<form method="post" action="/console/file/${id}/submit"`);
		const again = await post(`/console/file/${id}/submit`, {}, { cookie: operator.cookie });
		expect(again.status).toBe(303);
		expect(again.headers.get("location")).toBe(`/console/file/${id}/ticket`);
	});

	it("removes a file, and shows the API's 422 naming what is still missing on submit", async () => {
		const id = await newDraft();
		const put = await uploadRaw(id, "kk", "image/jpeg", JPEG);
		const file = await put.json<{ id: string }>();
		const removed = await post(
			`/console/file/${id}/documents/kk/remove`,
			{ fileId: file.id },
			{ cookie: operator.cookie },
		);
		expect(removed.status).toBe(303);
		expect((await stored(id)).objects).toBe(0);

		const res = await post(`/console/file/${id}/submit`, {}, { cookie: operator.cookie });
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain('role="alert"');
		expect(html).toContain("Dokumen belum lengkap.");
		expect(html).toContain("documents.kk: wajib: unggah dulu");
		expect(html).toContain(`href="/console/file/${id}"`);
		expect((await api("GET", `/requests/${id}`)).status).toBe(404);
	});

	it("keeps what was typed and marks the field when the API refuses the NIK", async () => {
		const res = await post(
			"/console/file",
			{ ...RESIDENT, nik: "12345", name: "Warga Salah Ketik", phone: "081234567890" },
			{ cookie: operator.cookie },
		);
		expect(res.status).toBe(400);
		const html = await res.text();
		expect(html).toContain("Periksa isian yang ditandai.");
		expect(html).toMatch(/id="nik" aria-invalid="true" aria-describedby="nik-help nik-error"/);
		expect(html).toContain('<span class="field-error" id="nik-error">harus 16 angka</span>');
		expect(html).toContain('value="12345"');
		expect(html).toContain('value="Warga Salah Ketik"');
		expect(html).toContain('value="081234567890"');
		expect(html).toContain('<option value="ktp_el/rusak" selected="">');
		const drafts = await env.DB.prepare(
			"SELECT count(*) AS n FROM filing_drafts WHERE resident_name = ?",
		)
			.bind("Warga Salah Ketik")
			.first<{ n: number }>();
		expect(drafts?.n).toBe(0);
	});

	it("shows the API's 403 when an operator names another area", async () => {
		const res = await post(
			"/console/file",
			{ ...RESIDENT, area: OTHER_AREA },
			{ cookie: operator.cookie },
		);
		expect(res.status).toBe(403);
		const html = await res.text();
		expect(html).toContain("Peran atau wilayah Anda tidak mengizinkan tindakan ini.");
		expect(html).toContain(`value="${NIK}"`);
	});

	it("refuses an upload that is not from the console's own pages, and stores nothing", async () => {
		const id = await newDraft();
		// The script's raw body: no form type, so the console checks the origin itself.
		const foreign = await uploadRaw(id, "kk", "image/jpeg", JPEG, { origin: "https://evil.test" });
		expect(foreign.status).toBe(403);
		const crossSite = await uploadRaw(id, "kk", "image/jpeg", JPEG, {
			"sec-fetch-site": "cross-site",
		});
		expect(crossSite.status).toBe(403);
		const noHeaders = await uploadRaw(id, "kk", "image/jpeg", JPEG, {});
		expect(noHeaders.status).toBe(403);
		// The form: refused as well (hono/csrf, then the same check).
		const form = await uploadForm(
			id,
			"kk",
			browserForm("image/jpeg", JPEG),
			operator.cookie,
			"https://evil.test",
		);
		expect(form.status).toBe(403);
		const { draft, objects } = await stored(id);
		expect(draft.documents.every((d) => d.files.length === 0)).toBe(true);
		expect(objects).toBe(0);
		// A same-origin fetch without Origin (Sec-Fetch-Site says so) is let through.
		const same = await uploadRaw(id, "kk", "image/jpeg", JPEG, { "sec-fetch-site": "same-origin" });
		expect(same.status).toBe(201);
	});

	it("refuses an upload without a declared length (it would have to be held to be counted)", async () => {
		const id = await newDraft();
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(JPEG);
				controller.close();
			},
		});
		const res = await exports.default.fetch(`${ORIGIN}/console/file/${id}/documents/kk`, {
			method: "PUT",
			headers: { cookie: operator.cookie, origin: ORIGIN, "content-type": "image/jpeg" },
			body: stream,
		});
		expect(res.status).toBe(411);
		// Declared larger than any document may be: refused before a byte is read.
		const big = await uploadRaw(id, "kk", "image/jpeg", JPEG, {
			origin: ORIGIN,
			"content-length": String(11 * 1024 * 1024),
		});
		expect(big.status).toBe(413);
		expect((await stored(id)).objects).toBe(0);
	});

	it("stores nothing from a form that carries more than its one file", async () => {
		const id = await newDraft();
		const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
		// A second field after the file: the file's length cannot be known, so it is refused.
		const extra = await uploadForm(
			id,
			"kk",
			browserForm(
				"image/jpeg",
				JPEG,
				`\r\n--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1`,
			),
		);
		expect(extra.status).toBe(400);
		expect(await extra.text()).toContain("Unggahan gagal");
		const { draft, objects } = await stored(id);
		expect(draft.documents.every((d) => d.files.length === 0)).toBe(true);
		expect(objects).toBe(0);
	});

	it("shows MediaCheck's refusal of a file that is not what it says, and stores nothing", async () => {
		const id = await newDraft();
		// Text dressed as a photo: MediaCheck's 415, shown on the draft page.
		const fake = await uploadForm(
			id,
			"kk",
			browserForm("image/jpeg", new TextEncoder().encode("not a photo at all")),
		);
		expect(fake.status).toBe(415);
		expect(await fake.text()).toContain("Jenis berkas tidak diterima.");
		const { draft, objects } = await stored(id);
		expect(draft.documents.every((d) => d.files.length === 0)).toBe(true);
		expect(objects).toBe(0);
	});

	it("does not open another area's draft, nor take its files", async () => {
		const id = await newDraft();
		const res = await page(`/console/file/${id}`, outsider);
		expect(res.status).toBe(404);
		const html = await res.text();
		expect(html).toContain('class="problem" role="alert"');
		expect(html).not.toContain("Mbah Sarinah");
		const put = await uploadRaw(id, "kk", "image/jpeg", JPEG, { origin: ORIGIN }, outsider);
		expect(put.status).toBe(404);
		expect((await stored(id)).objects).toBe(0);
	});
});
