import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeGraph } from "./fake-graph";

const BASE = "https://graph.test/v25.0";
const PNID = "106540352242922";
const AUTH = { authorization: "Bearer test_access_token" };

interface MetaError {
	error: {
		message: string;
		type: string;
		code: number;
		error_subcode?: number;
		error_data?: { messaging_product: string; details: string };
		fbtrace_id: string;
	};
}

function send(fake: FakeGraph, body: unknown, headers: Record<string, string> = AUTH) {
	return fake.fetch(`${BASE}/${PNID}/messages`, {
		method: "POST",
		headers: { "content-type": "application/json", ...headers },
		body: JSON.stringify(body),
	});
}

const text = (to: string, body: string) => ({
	messaging_product: "whatsapp",
	recipient_type: "individual",
	to,
	type: "text",
	text: { body, preview_url: false },
});

const buttons = (titles: string[]) => ({
	messaging_product: "whatsapp",
	to: "628111",
	type: "interactive",
	interactive: {
		type: "button",
		body: { text: "Lanjutkan?" },
		action: {
			buttons: titles.map((title, i) => ({ type: "reply", reply: { id: `b${i}`, title } })),
		},
	},
});

const list = (sections: { title?: string; rows: number }[]) => ({
	messaging_product: "whatsapp",
	to: "628111",
	type: "interactive",
	interactive: {
		type: "list",
		body: { text: "Pilih layanan" },
		action: {
			button: "Menu",
			sections: sections.map((section, s) => ({
				title: section.title,
				rows: Array.from({ length: section.rows }, (_, r) => ({
					id: `s${s}r${r}`,
					title: `Layanan ${s}.${r}`,
				})),
			})),
		},
	},
});

async function expectInvalid(response: Response, detail: RegExp): Promise<void> {
	expect(response.status).toBe(400);
	const body = await response.json<MetaError>();
	expect(body.error).toMatchObject({
		message: "(#100) Invalid parameter",
		type: "OAuthException",
		code: 100,
		error_data: { messaging_product: "whatsapp" },
	});
	expect(body.error.error_data?.details).toMatch(detail);
	expect(body.error.fbtrace_id).toEqual(expect.any(String));
}

async function sha256Hex(stream: ReadableStream<Uint8Array>): Promise<string> {
	const hasher = new crypto.DigestStream("SHA-256");
	await stream.pipeTo(hasher);
	return Array.from(new Uint8Array(await hasher.digest), (b) =>
		b.toString(16).padStart(2, "0"),
	).join("");
}

describe("sending messages", () => {
	it("accepts a valid text and answers with Meta's success body", async () => {
		const fake = new FakeGraph();
		const response = await send(fake, text("+628111", "Halo, Bapak/Ibu"));
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			messaging_product: "whatsapp",
			contacts: [{ input: "+628111", wa_id: "628111" }],
			messages: [{ id: "wamid.FAKE1" }],
		});
		expect(fake.sent).toEqual([
			expect.objectContaining({
				id: "wamid.FAKE1",
				phoneNumberId: PNID,
				to: "+628111",
				type: "text",
			}),
		]);
		expect(fake.textsTo("+628111")).toEqual(["Halo, Bapak/Ibu"]);
		expect(fake.calls).toEqual([
			{
				method: "POST",
				url: `${BASE}/${PNID}/messages`,
				endpoint: "messages",
				authorization: "Bearer test_access_token",
			},
		]);
	});

	it("rejects a text longer than 4096 characters", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, text("628111", "a".repeat(4097))), /text\['body'\]/);
		expect(fake.sent).toEqual([]);
	});

	it("rejects a button message with four buttons", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, buttons(["A", "B", "C", "D"])), /buttons/);
		expect(fake.sent).toEqual([]);
		expect(fake.rejected).toHaveLength(1);
		expect(fake.rejected[0]?.error).toMatch(/between 1 and 3 elements/);
	});

	it("rejects a 21-character button title but counts emoji as one character each", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, buttons(["x".repeat(21)])), /\['title'\]/);
		const response = await send(fake, buttons(["😀".repeat(20), "Tidak"]));
		expect(response.status).toBe(200);
		expect(fake.textsTo("628111")).toEqual(["Lanjutkan?"]);
	});

	it("rejects duplicate button titles", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, buttons(["Ya", "Ya"])), /unique/);
	});

	it("rejects a list with 11 rows in total and accepts 10", async () => {
		const fake = new FakeGraph();
		const eleven = list([
			{ title: "KTP", rows: 6 },
			{ title: "KK", rows: 5 },
		]);
		await expectInvalid(await send(fake, eleven), /at most 10 rows/);
		const ten = list([
			{ title: "KTP", rows: 5 },
			{ title: "KK", rows: 5 },
		]);
		expect((await send(fake, ten)).status).toBe(200);
	});

	it("requires section titles when a list has several sections", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, list([{ rows: 1 }, { rows: 1 }])), /title'\] is required/);
		expect((await send(fake, list([{ rows: 2 }]))).status).toBe(200);
	});

	it("records mark-as-read apart from sends", async () => {
		const fake = new FakeGraph();
		const response = await send(fake, {
			messaging_product: "whatsapp",
			status: "read",
			message_id: "wamid.IN1",
			typing_indicator: { type: "text" },
		});
		expect(await response.json()).toEqual({ success: true });
		expect(fake.reads).toEqual(["wamid.IN1"]);
		expect(fake.sent).toEqual([]);
	});

	it("accepts a template and reports it as accepted", async () => {
		const fake = new FakeGraph();
		const response = await send(fake, {
			messaging_product: "whatsapp",
			to: "628111",
			type: "template",
			template: { name: "status_update", language: { code: "id" }, components: [] },
		});
		const body = await response.json<{ messages: unknown[] }>();
		expect(body.messages).toEqual([{ id: "wamid.FAKE1", message_status: "accepted" }]);
		expect(fake.sent.map((m) => m.type)).toEqual(["template"]);
	});

	it("rejects an unknown message type and a wrong API version", async () => {
		const fake = new FakeGraph();
		await expectInvalid(await send(fake, { ...text("628111", "x"), type: "sticker" }), /type/);
		const response = await fake.fetch(`https://graph.test/latest/${PNID}/messages`, {
			method: "POST",
			headers: AUTH,
			body: JSON.stringify(text("628111", "x")),
		});
		expect(response.status).toBe(400);
		expect((await response.json<MetaError>()).error.code).toBe(100);
	});
});

describe("authorization", () => {
	it("answers 190 when the token is missing or wrong", async () => {
		const fake = new FakeGraph();
		const variants: Record<string, string>[] = [{}, { authorization: "Bearer nope" }];
		for (const headers of variants) {
			const response = await send(fake, text("628111", "x"), headers);
			expect(response.status).toBe(401);
			const body = await response.json<MetaError>();
			expect(body.error).toEqual({
				message: "Invalid OAuth access token - Cannot parse access token",
				type: "OAuthException",
				code: 190,
				fbtrace_id: expect.any(String),
			});
		}
		expect(fake.sent).toEqual([]);
		expect(fake.calls.map((call) => call.authorization)).toEqual([null, "Bearer nope"]);
	});
});

describe("media", () => {
	it("describes and serves added media", async () => {
		const fake = new FakeGraph();
		const bytes = new TextEncoder().encode("%PDF-1.7 akta kelahiran");
		const media = await fake.addMedia(bytes, "application/pdf");
		const info = await fake.fetch(`${BASE}/${media.id}?phone_number_id=${PNID}`, { headers: AUTH });
		const expectedHex = Array.from(
			new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
			(b) => b.toString(16).padStart(2, "0"),
		).join("");
		const body = await info.json<{ url: string; sha256: string }>();
		expect(body).toEqual({
			messaging_product: "whatsapp",
			url: `https://graph.test/media-download/${media.id}?hash=x`,
			mime_type: "application/pdf",
			sha256: expectedHex,
			file_size: bytes.length,
			id: media.id,
		});
		expect(media.sha256Hex).toBe(expectedHex);

		const unauthenticated = await fake.fetch(body.url);
		expect(unauthenticated.status).toBe(401);
		const download = await fake.fetch(body.url, { headers: AUTH });
		expect(download.headers.get("content-type")).toBe("application/pdf");
		expect(download.headers.get("content-length")).toBe(String(bytes.length));
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
		expect(fake.calls.map((call) => call.endpoint)).toEqual([
			"media_info",
			"media_download",
			"media_download",
		]);
	});

	it("streams big generated media with a known length and a matching hash", async () => {
		const fake = new FakeGraph();
		const size = 3 * 1024 * 1024 + 17;
		const media = await fake.addMedia({ size, mimeType: "application/pdf", chunk: 256 * 1024 });
		expect(media.size).toBe(size);
		const download = await fake.fetch(`https://graph.test/media-download/${media.id}`, {
			headers: AUTH,
		});
		expect(download.headers.get("content-length")).toBe(String(size));
		const body = download.body;
		if (body === null) throw new Error("download has no body");
		await env.FILES.put("fake-graph/generated.pdf", body);
		const stored = await env.FILES.get("fake-graph/generated.pdf");
		expect(stored?.size).toBe(size);
		if (stored === null) throw new Error("not stored");
		expect(await sha256Hex(stored.body)).toBe(media.sha256Hex);
	});

	it("answers Meta's error for an unknown media id and 404 for its download", async () => {
		const fake = new FakeGraph();
		const info = await fake.fetch(`${BASE}/999`, { headers: AUTH });
		expect(info.status).toBe(400);
		const body = await info.json<MetaError>();
		expect(body.error.code).toBe(100);
		expect(body.error.message).toMatch(
			/^Unsupported get request\. Object with ID '999' does not exist/,
		);
		const download = await fake.fetch("https://graph.test/media-download/999", { headers: AUTH });
		expect(download.status).toBe(404);
	});

	it("accepts an upload and a document sent by its id", async () => {
		const fake = new FakeGraph();
		const pdf = new TextEncoder().encode("%PDF-1.7 surat keterangan");
		const form = new FormData();
		form.append("messaging_product", "whatsapp");
		form.append("type", "application/pdf");
		form.append("file", new File([pdf], "surat.pdf", { type: "application/pdf" }));
		const upload = await fake.fetch(`${BASE}/${PNID}/media`, {
			method: "POST",
			headers: AUTH,
			body: form,
		});
		expect(upload.status).toBe(200);
		const { id } = await upload.json<{ id: string }>();
		expect(fake.uploads).toEqual([expect.objectContaining({ id, mimeType: "application/pdf" })]);
		expect(fake.uploads[0]?.size).toBe(pdf.length);

		const document = (mediaId: string) => ({
			messaging_product: "whatsapp",
			to: "628111",
			type: "document",
			document: { id: mediaId, filename: "surat.pdf", caption: "Surat Anda" },
		});
		expect((await send(fake, document(id))).status).toBe(200);
		await expectInvalid(await send(fake, document("123")), /not a valid media id/);
		expect(fake.textsTo("628111")).toEqual(["Surat Anda"]);

		const download = await fake.fetch(`https://graph.test/media-download/${id}`, { headers: AUTH });
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
	});

	it("rejects an upload without a file", async () => {
		const fake = new FakeGraph();
		const form = new FormData();
		form.append("messaging_product", "whatsapp");
		form.append("type", "application/pdf");
		const upload = await fake.fetch(`${BASE}/${PNID}/media`, {
			method: "POST",
			headers: AUTH,
			body: form,
		});
		expect(upload.status).toBe(400);
		expect((await upload.json<MetaError>()).error.code).toBe(100);
		expect(fake.uploads).toEqual([]);
	});
});

describe("faults", () => {
	it("answers 429 with Meta's throughput error and Retry-After, then recovers", async () => {
		const fake = new FakeGraph();
		fake.fail("messages", { kind: "http", status: 429, retryAfter: 7 });
		const limited = await send(fake, text("628111", "x"));
		expect(limited.status).toBe(429);
		expect(limited.headers.get("retry-after")).toBe("7");
		const body = await limited.json<MetaError>();
		expect(body.error).toMatchObject({
			message: "(#130429) Rate limit hit",
			type: "OAuthException",
			code: 130429,
			error_data: { messaging_product: "whatsapp" },
		});
		expect((await send(fake, text("628111", "x"))).status).toBe(200);
		expect(fake.sent).toHaveLength(1);
	});

	it("answers 500 with code 131000 as many times as asked", async () => {
		const fake = new FakeGraph();
		fake.fail("any", { kind: "http", status: 500 }, 2);
		for (let i = 0; i < 2; i++) {
			const response = await send(fake, text("628111", "x"));
			expect(response.status).toBe(500);
			expect(await response.json<MetaError>()).toMatchObject({
				error: { code: 131000, message: "(#131000) Something went wrong" },
			});
		}
		expect((await send(fake, text("628111", "x"))).status).toBe(200);
	});

	it("uses the given code and message", async () => {
		const fake = new FakeGraph();
		fake.fail("messages", {
			kind: "http",
			status: 400,
			code: 131047,
			message: "Re-engagement message",
		});
		const body = await (await send(fake, text("628111", "x"))).json<MetaError>();
		expect(body.error).toMatchObject({
			message: "(#131047) Re-engagement message",
			code: 131047,
			error_data: { details: "Re-engagement message" },
		});
	});

	it("only faults the endpoint it targets, first in first out", async () => {
		const fake = new FakeGraph();
		const media = await fake.addMedia(new Uint8Array([1, 2, 3]), "image/jpeg");
		fake.fail("media_download", { kind: "http", status: 404 });
		fake.fail("media_download", { kind: "network" });
		expect((await fake.fetch(`${BASE}/${media.id}`, { headers: AUTH })).status).toBe(200);
		const url = `https://graph.test/media-download/${media.id}`;
		expect((await fake.fetch(url, { headers: AUTH })).status).toBe(404);
		await expect(fake.fetch(url, { headers: AUTH })).rejects.toThrow(TypeError);
		expect((await fake.fetch(url, { headers: AUTH })).status).toBe(200);
	});

	it("rejects like a lost connection", async () => {
		const fake = new FakeGraph();
		fake.fail("messages", { kind: "network" });
		await expect(send(fake, text("628111", "x"))).rejects.toThrow(
			new TypeError("Network connection lost."),
		);
		expect(fake.sent).toEqual([]);
	});

	it("hangs until the caller's signal times out", async () => {
		const fake = new FakeGraph();
		fake.fail("messages", { kind: "timeout" });
		const started = Date.now();
		const pending = fake.fetch(`${BASE}/${PNID}/messages`, {
			method: "POST",
			headers: AUTH,
			body: JSON.stringify(text("628111", "x")),
			signal: AbortSignal.timeout(50),
		});
		await expect(pending).rejects.toMatchObject({ name: "TimeoutError" });
		expect(Date.now() - started).toBeGreaterThanOrEqual(40);
		expect(fake.sent).toEqual([]);
	});
});

describe("installed as globalThis.fetch", () => {
	let fake: FakeGraph;
	let restore: () => void;
	beforeEach(() => {
		fake = new FakeGraph();
		restore = fake.install();
	});
	afterEach(() => restore());

	it("answers the product's fetch calls", async () => {
		const response = await fetch(`${BASE}/${PNID}/messages`, {
			method: "POST",
			headers: { ...AUTH, "content-type": "application/json" },
			body: JSON.stringify(text("628222", "Berkas diterima")),
		});
		expect(response.status).toBe(200);
		expect(fake.textsTo("628222")).toEqual(["Berkas diterima"]);
	});

	it("also handles Request objects, 429 faults included", async () => {
		fake.fail("messages", { kind: "http", status: 429, retryAfter: 1 });
		const request = new Request(`${BASE}/${PNID}/messages`, {
			method: "POST",
			headers: AUTH,
			body: JSON.stringify(text("628222", "x")),
		});
		const response = await fetch(request);
		expect(response.status).toBe(429);
		expect(response.headers.get("retry-after")).toBe("1");
	});

	it("throws on any URL that is not the Graph API", async () => {
		await expect(fetch("https://example.com/x")).rejects.toThrow(
			"unmocked fetch: GET https://example.com/x",
		);
		expect(fake.unmocked).toEqual(["GET https://example.com/x"]);
	});

	it("serves media added by the test to a Durable Object", async () => {
		const media = await fake.addMedia({ size: 300_000, mimeType: "image/jpeg", chunk: 65_536 });
		const small = await fake.addMedia(new Uint8Array([9, 8, 7]), "image/png");
		const stub = env.CONVERSATIONS.getByName("fake-graph-test");
		const result = await runInDurableObject(stub, async () => {
			const info = await fetch(`${BASE}/${media.id}`, { headers: AUTH });
			const { url } = await info.json<{ url: string }>();
			const download = await fetch(url, { headers: AUTH });
			const body = download.body;
			if (body === null) throw new Error("no body");
			await env.FILES.put("fake-graph/do.jpg", body);
			const smallBytes = await (
				await fetch(`https://graph.test/media-download/${small.id}`, { headers: AUTH })
			).arrayBuffer();
			return {
				stored: (await env.FILES.head("fake-graph/do.jpg"))?.size,
				small: smallBytes.byteLength,
			};
		});
		expect(result).toEqual({ stored: 300_000, small: 3 });
	});

	it("lets the test download what a Durable Object uploaded", async () => {
		const stub = env.CONVERSATIONS.getByName("fake-graph-test");
		const id = await runInDurableObject(stub, async () => {
			const form = new FormData();
			form.append("messaging_product", "whatsapp");
			form.append("type", "image/png");
			form.append("file", new File([new Uint8Array([1, 2, 3, 4])], "a.png", { type: "image/png" }));
			const upload = await fetch(`${BASE}/${PNID}/media`, {
				method: "POST",
				headers: AUTH,
				body: form,
			});
			return (await upload.json<{ id: string }>()).id;
		});
		const download = await fetch(`https://graph.test/media-download/${id}`, { headers: AUTH });
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]));
	});
});
