import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import consoleJs from "../../src/console/console.client.js";
import filingJs from "../../src/console/filing.client.js";
import { ORIGIN, page, post, signIn } from "../helpers/console";
import { FakeEvent, FakeXhr, parseHtml, runScript } from "../helpers/fake-dom";
import { createStaff } from "../helpers/staff";

/**
 * The draft page's upload script (filing.client.js) run against the page the Worker drew, with
 * the server's answers scripted: what the operator sees when an upload is stored, refused, or
 * meets an ended session.
 */
const AREA = "16.74.01.1001";

let cookie = "";
beforeAll(async () => {
	cookie = await signIn((await createStaff("kelurahan", AREA)).token);
});

/** A new draft (KTP-el rusak: two required documents, `kk` and `ktp_rusak`), its page running the script. */
async function draftPage(options: { online?: boolean } = {}) {
	const res = await post(
		"/console/file",
		{
			nik: "1674015203900001",
			name: "Mbah Sarinah",
			phone: "",
			choice: "ktp_el/rusak",
			area: AREA,
			language: "id",
			consent: "yes",
		},
		{ cookie },
	);
	const id = /\/console\/file\/([\w-]+)$/.exec(res.headers.get("location") ?? "")?.[1] ?? "";
	const html = await (await page(`/console/file/${id}`, cookie)).text();
	const doc = parseHtml(html);
	const { window } = runScript(filingJs, doc, options);
	const form = (code: string) => {
		const el = doc.querySelector(`li.doc[data-doc="${code}"]`);
		if (el === null) throw new Error(`no document ${code}`);
		return {
			doc: el,
			input: el.querySelector("input[type=file]"),
			error: el.querySelector(".field-error"),
			received: () => el.querySelectorAll("ul.received li"),
		};
	};
	const submit = doc.querySelector("form.submit button[type=submit]");
	/** Chooses a file for a document (the script starts its upload) and returns its request. */
	const choose = (code: string, file = { name: "foto.jpg", type: "image/jpeg", size: 3000 }) => {
		const f = form(code);
		if (f.input === null) throw new Error("no input");
		f.input.files = [file];
		f.input.dispatch(new FakeEvent("change"));
		return FakeXhr.sent.at(-1);
	};
	return { id, doc, window, form, submit, choose };
}

const STORED = (id: string) =>
	JSON.stringify({ id, docCode: "kk", mimeType: "image/jpeg", size: 3000 });

describe("the draft page's uploads", () => {
	it("lists a stored file only when the answer is the stored file's JSON", async () => {
		const p = await draftPage();
		const xhr = p.choose("kk");
		expect(xhr?.method).toBe("PUT");
		xhr?.answer(201, STORED("f-1"), { "content-type": "application/json" });
		expect(p.form("kk").received()).toHaveLength(1);
		expect(p.form("kk").received()[0]?.textContent).toContain("Diterima: foto.jpg");
		expect(p.form("kk").received()[0]?.querySelector("input")?.value).toBe("f-1");
	});

	it("tells the operator their session ended when the upload met the sign-in page, and keeps the page", async () => {
		const p = await draftPage();
		p.choose("kk")?.answer(200, STORED("f-1"), { "content-type": "application/json" });
		// The session ends; the browser follows the 303 to the sign-in page, a 200 HTML page.
		p.choose("ktp_rusak")?.answer(
			200,
			"<!DOCTYPE html><html><body>Masuk</body></html>",
			{ "content-type": "text/html; charset=UTF-8" },
			`${ORIGIN}/console/sign-in`,
		);
		const ktp = p.form("ktp_rusak");
		expect(ktp.received()).toHaveLength(0);
		expect(ktp.error?.textContent).toContain("Sesi Anda sudah berakhir");
		expect(ktp.error?.querySelector("a")?.getAttribute("href")).toBe("/console/sign-in");
		expect(ktp.error?.querySelector("a")?.getAttribute("target")).toBe("_blank");
		expect(p.submit?.disabled).toBe(true);
	});

	it("keeps Submit disabled while an upload runs, says why, and asks before the page is left", async () => {
		const p = await draftPage();
		p.choose("kk")?.answer(201, STORED("f-1"), { "content-type": "application/json" });
		const last = p.choose("ktp_rusak");
		// Every required document has a file once this one is stored, but it is not yet.
		expect(p.submit?.disabled).toBe(true);
		expect(p.doc.getElementById("uploading-reason")?.hidden).toBe(false);
		expect(p.submit?.getAttribute("aria-describedby")).toContain("uploading-reason");
		expect(p.window.dispatch(new FakeEvent("beforeunload")).defaultPrevented).toBe(true);
		last?.answer(201, STORED("f-2"), { "content-type": "application/json" });
		expect(p.submit?.disabled).toBe(false);
		expect(p.doc.getElementById("uploading-reason")?.hidden).toBe(true);
		expect(p.window.dispatch(new FakeEvent("beforeunload")).defaultPrevented).toBe(false);
	});

	it("takes one upload into a document's form at a time", async () => {
		const p = await draftPage();
		const first = p.choose("kk");
		expect(p.form("kk").input?.disabled).toBe(true);
		p.choose("kk", { name: "lain.jpg", type: "image/jpeg", size: 2000 });
		expect(FakeXhr.sent).toHaveLength(1);
		first?.answer(201, STORED("f-1"), { "content-type": "application/json" });
		expect(p.form("kk").input?.disabled).toBe(false);
		expect(p.form("kk").received()).toHaveLength(1);
	});

	it("answers a refused upload with the problem in the operator's words, for the script to show", async () => {
		const { id } = await draftPage();
		const res = await exports.default.fetch(`${ORIGIN}/console/file/${id}/documents/kk`, {
			method: "PUT",
			headers: { cookie, origin: ORIGIN, accept: "application/json", "content-type": "image/jpeg" },
			// Not a JPEG at all.
			body: new TextEncoder().encode("just some text, not a photo"),
		});
		expect(res.status).toBe(415);
		const body = await res.json<{ title: string; detail: string }>();
		expect(body.title).toBe("Jenis berkas tidak diterima.");
		expect(body.detail).toContain("Kirim foto JPEG atau PNG, atau PDF");
	});

	it("refuses a file too large or of the wrong kind, and an upload while offline, before sending it", async () => {
		const p = await draftPage();
		p.choose("kk", { name: "besar.jpg", type: "image/jpeg", size: 11 * 1048576 });
		expect(p.form("kk").error?.textContent).toBe("Berkas ini terlalu besar. Paling besar 10 MB.");
		p.choose("kk", { name: "foto.heic", type: "image/heic", size: 3000 });
		expect(p.form("kk").error?.textContent).toContain("Jenis berkas ini tidak diterima");
		expect(FakeXhr.sent).toHaveLength(0);
		const offline = await draftPage({ online: false });
		offline.choose("kk");
		expect(FakeXhr.sent).toHaveLength(0);
		expect(offline.form("kk").error?.textContent).toContain("Tidak ada sambungan internet");
	});

	it("gives up on a stalled upload with a word, and the form takes a file again", async () => {
		const p = await draftPage();
		const xhr = p.choose("kk");
		expect(xhr?.timeout).toBe(300_000);
		xhr?.dispatch(new FakeEvent("timeout"));
		expect(p.form("kk").error?.textContent).toContain("Unggahan terlalu lama");
		expect(p.form("kk").input?.disabled).toBe(false);
		expect(p.doc.getElementById("uploading-reason")?.hidden).toBe(true);
	});

	it("takes one click on 'Lanjut ke dokumen': a double click makes one draft", async () => {
		const doc = parseHtml(await (await page("/console/file", cookie)).text());
		runScript(consoleJs, doc);
		const form = doc.querySelector("form.filing");
		form?.dispatch(new FakeEvent("submit"));
		expect(form?.querySelector("button[type=submit]")?.disabled).toBe(true);
	});

	it("answers an upload after the session ended with 401 in words, not the sign-in page", async () => {
		const { id } = await draftPage();
		const member = await createStaff("kelurahan", AREA);
		const ended = await signIn(member.token);
		await env.DB.prepare("UPDATE console_sessions SET expires_at = 0 WHERE staff_id = ?")
			.bind(member.id)
			.run();
		const res = await exports.default.fetch(`${ORIGIN}/console/file/${id}/documents/kk`, {
			method: "PUT",
			headers: {
				cookie: ended,
				origin: ORIGIN,
				accept: "application/json",
				"content-type": "image/jpeg",
			},
			body: new Uint8Array(10),
			redirect: "manual",
		});
		expect(res.status).toBe(401);
		expect(res.headers.get("content-type")).toContain("json");
		const body = await res.json<{ type: string; detail: string }>();
		expect(body.type).toBe("urn:disdukcapil:problem:session-ended");
		expect(body.detail).toContain("Sesi Anda sudah berakhir");
	});
});
