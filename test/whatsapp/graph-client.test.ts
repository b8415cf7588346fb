import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BODY_LIMITS } from "../../src/channel/presentation";
import { settingsOf } from "../../src/env";
import { GraphClient, graphClientFor } from "../../src/whatsapp/graph-client";
import { GraphError } from "../../src/whatsapp/graph-errors";
import { MessageLimitError } from "../../src/whatsapp/outbound-messages";
import { FakeGraph } from "../fake-graph";

const PNID = "106540352242922";
const TO = "6281234567890";

let fake: FakeGraph;
let restore: () => void;
let graph: GraphClient;

beforeEach(() => {
	fake = new FakeGraph();
	restore = fake.install();
	graph = graphClientFor(settingsOf(env), PNID);
});
afterEach(() => restore());

async function failure(promise: Promise<unknown>): Promise<GraphError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(GraphError);
	return error as GraphError;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.byteLength;
	}
	return out;
}

describe("sending", () => {
	it("sends text in Meta's format and returns the wamid", async () => {
		const id = await graph.send(TO, { type: "text", body: "Selamat datang" });
		expect(id).toMatch(/^wamid\./);
		expect(fake.sent[0]?.body).toEqual({
			messaging_product: "whatsapp",
			recipient_type: "individual",
			to: TO,
			type: "text",
			text: { body: "Selamat datang", preview_url: false },
		});
		expect(fake.calls[0]?.url).toBe(`https://graph.test/v25.0/${PNID}/messages`);
		expect(fake.calls[0]?.authorization).toBe("Bearer test_access_token");
	});

	it("sends reply buttons, a list, a document, an image and a template", async () => {
		await graph.send(TO, {
			type: "buttons",
			body: "Kirim permohonan?",
			buttons: [
				{ id: "kirim", title: "Kirim" },
				{ id: "ubah", title: "Ubah" },
				{ id: "batal", title: "Batal" },
			],
		});
		await graph.send(TO, {
			type: "list",
			body: "Pilih layanan",
			button: "Layanan",
			sections: [
				{ rows: [{ id: "ktp_el", title: "KTP-el", description: "Kartu tanda penduduk" }] },
			],
		});
		const media = await fake.addMedia(new TextEncoder().encode("%PDF-1.4 test"), "application/pdf");
		await graph.send(TO, {
			type: "document",
			mediaId: media.id,
			fileName: "akta.pdf",
			caption: "PBM-1",
		});
		await graph.send(TO, { type: "image", mediaId: media.id, caption: "foto" });
		await graph.send(TO, {
			type: "template",
			name: "status_update",
			language: "id",
			bodyParams: ["PBM-1", "Selesai"],
		});
		expect(fake.rejected).toEqual([]);
		expect(fake.sent.map((s) => s.type)).toEqual([
			"interactive",
			"interactive",
			"document",
			"image",
			"template",
		]);
		expect(fake.sent[0]?.body.interactive).toMatchObject({
			type: "button",
			action: { buttons: [{ type: "reply", reply: { id: "kirim", title: "Kirim" } }, {}, {}] },
		});
		expect(fake.sent[1]?.body.interactive).toMatchObject({
			type: "list",
			action: { button: "Layanan", sections: [{ rows: [{ id: "ktp_el" }] }] },
		});
		expect(fake.sent[2]?.body.document).toEqual({
			id: media.id,
			caption: "PBM-1",
			filename: "akta.pdf",
		});
		expect(fake.sent[4]?.body.template).toEqual({
			name: "status_update",
			language: { code: "id" },
			components: [
				{
					type: "body",
					parameters: [
						{ type: "text", text: "PBM-1" },
						{ type: "text", text: "Selesai" },
					],
				},
			],
		});
	});

	it("marks a message as read, with the typing indicator when asked", async () => {
		await graph.markRead("wamid.IN1", { typing: true });
		expect(fake.reads).toEqual(["wamid.IN1"]);
		expect(fake.sent).toEqual([]);
	});

	it("refuses messages that break Meta's limits before sending anything", async () => {
		const bad = [
			{ type: "text" as const, body: "" },
			{ type: "text" as const, body: "x".repeat(4097) },
			{
				type: "buttons" as const,
				body: "b",
				buttons: ["a", "b", "c", "d"].map((t) => ({ id: t, title: t })),
			},
			{ type: "buttons" as const, body: "b", buttons: [{ id: "a", title: "x".repeat(21) }] },
			{
				type: "buttons" as const,
				body: "b",
				buttons: [
					{ id: "a", title: "Sama" },
					{ id: "b", title: "Sama" },
				],
			},
			{ type: "buttons" as const, body: "x".repeat(1025), buttons: [{ id: "a", title: "a" }] },
			{
				type: "list" as const,
				body: "b",
				button: "Pilih",
				sections: [
					{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}` })) },
				],
			},
			{
				type: "list" as const,
				body: "b",
				button: "Pilih",
				sections: [{ rows: [{ id: "r", title: "x".repeat(25) }] }],
			},
			{
				type: "list" as const,
				body: "b",
				button: "Pilih",
				sections: [{ rows: [{ id: "r", title: "ok", description: "x".repeat(73) }] }],
			},
			{
				type: "list" as const,
				body: "b",
				button: "Pilih",
				sections: [{ rows: [{ id: "r1", title: "a" }] }, { rows: [{ id: "r2", title: "b" }] }],
			},
			{
				type: "list" as const,
				body: "b",
				button: "x".repeat(21),
				sections: [{ rows: [{ id: "r", title: "a" }] }],
			},
		];
		for (const message of bad) {
			await expect(graph.send(TO, message)).rejects.toBeInstanceOf(MessageLimitError);
		}
		expect(fake.calls).toEqual([]);
	});

	it("takes bodies as long as the dialogue may write them (BODY_LIMITS)", async () => {
		await graph.send(TO, {
			type: "list",
			body: "é".repeat(BODY_LIMITS.choice),
			button: "Pilih",
			sections: [{ rows: [{ id: "a", title: "A" }] }],
		});
		await graph.send(TO, { type: "text", body: "é".repeat(BODY_LIMITS.text) });
		expect(fake.sent).toHaveLength(2);
	});

	it("counts characters, not bytes, as WhatsApp does", async () => {
		await graph.send(TO, {
			type: "buttons",
			body: "ok",
			buttons: [{ id: "a", title: "é".repeat(20) }],
		});
		// An emoji is one character and two UTF-16 units: 20 fit a button title, 21 do not.
		await graph.send(TO, {
			type: "buttons",
			body: "ok",
			buttons: [{ id: "a", title: "😀".repeat(20) }],
		});
		await expect(
			graph.send(TO, {
				type: "buttons",
				body: "ok",
				buttons: [{ id: "a", title: "😀".repeat(21) }],
			}),
		).rejects.toBeInstanceOf(MessageLimitError);
		expect(fake.sent).toHaveLength(2);
	});
});

describe("error classification", () => {
	it("treats 429 as throttled and honours Retry-After", async () => {
		fake.fail("messages", { kind: "http", status: 429, retryAfter: 7 });
		const error = await failure(graph.send(TO, { type: "text", body: "x" }));
		expect(error.kind).toBe("throttled");
		expect(error.retryAfterMs).toBe(7000);
		expect(error.code).toBe(130429);
	});

	it("treats Meta's throttling codes as throttled whatever the HTTP status", async () => {
		for (const code of [4, 80007, 130429, 131048, 131056, 133016]) {
			fake.fail("messages", { kind: "http", status: 400, code });
			expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("throttled");
		}
	});

	it("treats 5xx, network failures, timeouts and codes 1, 2, 131053 as retryable", async () => {
		fake.fail("messages", { kind: "http", status: 500 });
		expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("retryable");
		fake.fail("messages", { kind: "http", status: 503 });
		expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("retryable");
		fake.fail("messages", { kind: "network" });
		expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("retryable");
		for (const code of [1, 2, 131053]) {
			fake.fail("messages", { kind: "http", status: 400, code });
			expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("retryable");
		}
		const quick = new GraphClient({
			base: "https://graph.test",
			version: "v25.0",
			token: "test_access_token",
			phoneNumberId: PNID,
			timeoutMs: 30,
		});
		fake.fail("messages", { kind: "timeout" });
		const timedOut = await failure(quick.send(TO, { type: "text", body: "x" }));
		expect(timedOut.kind).toBe("retryable");
		expect(timedOut.message).toMatch(/timed out/);
	});

	it("treats 131047 as a closed window that needs a template", async () => {
		fake.fail("messages", { kind: "http", status: 400, code: 131047 });
		const error = await failure(graph.send(TO, { type: "text", body: "x" }));
		expect(error.kind).toBe("window_closed");
		expect(error.details).toMatch(/24 hours/);
	});

	it("treats other errors as permanent, and a broken token (190) as an outage of ours, loudly", async () => {
		const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
		fake.fail("messages", { kind: "http", status: 400, code: 100 });
		expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("permanent");
		fake.fail("messages", { kind: "http", status: 401, code: 190 });
		expect((await failure(graph.send(TO, { type: "text", body: "x" }))).kind).toBe("unauthorized");
		fake.expireToken();
		const expired = await failure(graph.mediaInfo("1234"));
		expect(expired).toMatchObject({ kind: "unauthorized", code: 190, httpStatus: 400 });
		fake.renewToken();
		const alerts = errors.mock.calls
			.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
			.filter((line) => line.event === "graph.token_broken");
		expect(alerts).toHaveLength(2);
		expect(alerts[1]).toMatchObject({ alert: true, status: 400, code: 190, subcode: 463 });
		errors.mockRestore();
		const wrongToken = new GraphClient({
			base: "https://graph.test",
			version: "v25.0",
			token: "expired",
			phoneNumberId: PNID,
		});
		const error = await failure(wrongToken.send(TO, { type: "text", body: "x" }));
		expect(error).toMatchObject({ kind: "unauthorized", code: 190, httpStatus: 401 });
	});
});

describe("media", () => {
	it("downloads in two steps, both with the Bearer token, as a stream", async () => {
		const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
		const media = await fake.addMedia(bytes, "image/jpeg");
		const download = await graph.downloadFrom(await graph.mediaInfo(media.id));
		expect(download.info).toMatchObject({
			id: media.id,
			mimeType: "image/jpeg",
			sha256: media.sha256Hex,
		});
		expect(download.body).toBeInstanceOf(ReadableStream);
		expect(download.contentLength).toBe(bytes.byteLength);
		expect(await readAll(download.body)).toEqual(bytes);
		download.done();
		expect(fake.calls.map((c) => [c.endpoint, c.authorization])).toEqual([
			["media_info", "Bearer test_access_token"],
			["media_download", "Bearer test_access_token"],
		]);
	});

	it("stops a download whose body stalls after its headers, so that it can be tried again", async () => {
		const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
		const media = await fake.addMedia(bytes, "image/jpeg");
		const quick = new GraphClient({
			base: "https://graph.test",
			version: "v25.0",
			token: "test_access_token",
			phoneNumberId: PNID,
			timeoutMs: 100,
		});
		const info = await quick.mediaInfo(media.id);
		fake.fail("media_download", { kind: "stall", afterBytes: 40_000 });
		const download = await quick.downloadFrom(info);
		const started = Date.now();
		// Its deadline: 100 ms and the 300,000 bytes at 128 KiB/s, 2,389 ms in all.
		await expect(readAll(download.body)).rejects.toThrow(/stalled: not done within 2389 ms/);
		expect(Date.now() - started).toBeLessThan(5_000);
		download.done();
		// The next try gets the whole file, passed on as it came.
		const again = await quick.downloadFrom(info);
		expect(await readAll(again.body)).toEqual(bytes);
		again.done();
	});

	it("ends a download's deadline with the transfer, so that its timer aborts nothing later", async () => {
		const media = await fake.addMedia(new Uint8Array(1_000).fill(7), "image/jpeg");
		const quick = new GraphClient({
			base: "https://graph.test",
			version: "v25.0",
			token: "test_access_token",
			phoneNumberId: PNID,
			timeoutMs: 50,
		});
		const info = await quick.mediaInfo(media.id);
		const warn = vi.spyOn(console, "warn");
		try {
			// Read whole and done: its deadline (58 ms) passes without a word.
			const finished = await quick.downloadFrom(info);
			await readAll(finished.body);
			finished.done();
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(warn.mock.calls.flat().join()).not.toContain("graph.download_stalled");
			// Not done: the deadline still stops it (a body nobody read to the end).
			const dropped = await quick.downloadFrom(info);
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(warn.mock.calls.flat().join()).toContain("graph.download_stalled");
			await dropped.body.cancel();
		} finally {
			warn.mockRestore();
		}
	});

	it("classifies a failing media lookup like any other call", async () => {
		fake.fail("media_info", { kind: "http", status: 500 });
		expect((await failure(graph.mediaInfo("123"))).kind).toBe("retryable");
		expect((await failure(graph.mediaInfo("does-not-exist"))).kind).toBe("permanent");
	});

	it("uploads a stream as multipart and can send the uploaded file", async () => {
		const bytes = new TextEncoder().encode(`%PDF-1.7\n${"isi dokumen ".repeat(5000)}`);
		const id = await graph.uploadMedia({
			body: new Blob([bytes]).stream(),
			size: bytes.byteLength,
			mimeType: "application/pdf",
			fileName: "akta kelahiran.pdf",
		});
		expect(fake.uploads).toHaveLength(1);
		expect(fake.uploads[0]).toMatchObject({
			id,
			size: bytes.byteLength,
			mimeType: "application/pdf",
		});
		const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
		expect(fake.uploads[0]?.sha256Hex).toBe(
			[...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
		);
		await graph.send(TO, { type: "document", mediaId: id, fileName: "akta.pdf" });
		expect(fake.sent).toHaveLength(1);
	});
});

describe("media host pinning", () => {
	/** A Graph API whose media lookup points at `mediaUrl`; records where the token went. */
	function pinnedClient(mediaUrl: string, download: () => Response = () => new Response("x")) {
		const calls: { url: string; authorization: string | null; redirect: string | undefined }[] = [];
		const client = new GraphClient({
			base: "https://graph.test",
			version: "v25.0",
			token: "secret_token",
			phoneNumberId: PNID,
			fetch: async (input, init) => {
				const url = String(input);
				calls.push({
					url,
					authorization: new Headers(init?.headers).get("authorization"),
					redirect: init?.redirect,
				});
				if (url.startsWith("https://graph.test/v25.0/")) {
					return Response.json({ url: mediaUrl, mime_type: "image/jpeg", id: "123" });
				}
				return download();
			},
		});
		return { client, calls };
	}

	it("refuses to send the token to a host that is not Meta's media host nor the Graph API base", async () => {
		for (const url of [
			"https://evil.example/file.jpg",
			"https://lookaside.fbsbx.com.evil.example/x",
			"https://lookaside.fbsbx.com./whatsapp_business/attachments/?mid=1",
			"https://lookaside.fbsbx.com@evil.example/x",
			"http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
			"https://lookaside.fbsbx.com:8443/x",
			"https://graph.test.evil.example/media-download/1",
			"http://graph.test/media-download/1",
			"https://fbcdn.net.evil.example/x",
			"https://notfacebook.com/x",
		]) {
			const { client, calls } = pinnedClient(url);
			const info = await client.mediaInfo("123");
			const error = await failure(client.downloadFrom(info));
			expect(error.kind, url).toBe("permanent");
			expect(calls.map((c) => c.url)).toEqual([
				`https://graph.test/v25.0/123?phone_number_id=${PNID}`,
			]);
		}
	});

	it("sends it to Meta's media hosts and to the Graph API base's own origin", async () => {
		for (const url of [
			"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=x",
			"https://scontent.xx.fbcdn.net/v/t61/x.jpg",
			"https://graph.facebook.com/media/x",
			"https://graph.test/media-download/1?hash=x",
		]) {
			const { client, calls } = pinnedClient(url);
			const download = await client.downloadFrom(await client.mediaInfo("123"));
			await download.body.cancel();
			download.done();
			expect(calls[1]).toEqual({ url, authorization: "Bearer secret_token", redirect: "manual" });
		}
	});

	it("never follows a redirect with the token attached", async () => {
		const { client, calls } = pinnedClient(
			"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
			() => new Response(null, { status: 302, headers: { location: "https://evil.example/x" } }),
		);
		const error = await failure(client.downloadFrom(await client.mediaInfo("123")));
		expect(error).toMatchObject({ kind: "permanent", httpStatus: 302 });
		expect(calls.map((c) => c.redirect)).toEqual(["manual", "manual"]);
		expect(calls.some((c) => c.url.includes("evil.example"))).toBe(false);
	});
});
