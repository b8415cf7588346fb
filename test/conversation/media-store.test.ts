import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelClient } from "../../src/channel/client";
import type { DownloadJob } from "../../src/conversation/dialogue";
import { mediaKey, sniffMimeType, storeMedia } from "../../src/conversation/media-store";
import { settingsOf } from "../../src/env";
import { WhatsAppChannel } from "../../src/whatsapp/channel-client";
import { GraphClient, graphClientFor } from "../../src/whatsapp/graph-client";
import { FAKE_GRAPH_BASE, FAKE_GRAPH_TOKEN, FakeGraph } from "../fake-graph";

const PNID = "106540352242922";
const ACCEPTED = ["image/jpeg", "image/png", "application/pdf"];
const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46];
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let fake: FakeGraph;
let restore: () => void;
let graph: ChannelClient;
let counter = 0;

beforeEach(() => {
	fake = new FakeGraph();
	restore = fake.install();
	graph = new WhatsAppChannel(graphClientFor(settingsOf(env), PNID));
});
afterEach(() => restore());

/** A job with a unique message id (storage is shared by the tests of this file). */
function job(mediaId: string, overrides: Partial<DownloadJob> = {}): DownloadJob {
	counter++;
	return {
		requestId: "PBM-2026-000042",
		docCode: "kk",
		messageId: `wamid.TEST${counter}`,
		mediaId,
		declaredMime: "image/jpeg",
		acceptedTypes: ACCEPTED,
		maxBytes: 5 << 20,
		...overrides,
	};
}

function bytesOf(head: number[], size: number): Uint8Array {
	const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) % 256);
	bytes.set(head);
	return bytes;
}

async function sha256Hex(stream: ReadableStream<Uint8Array>): Promise<string> {
	const hasher = new crypto.DigestStream("SHA-256");
	await stream.pipeTo(hasher);
	return [...new Uint8Array(await hasher.digest)]
		.map((b) => b.toString(16).padStart(2, "0"))
		.join("");
}

async function objectsUnder(requestId: string): Promise<string[]> {
	const listed = await env.FILES.list({ prefix: `requests/${requestId}/` });
	return listed.objects.map((o) => o.key);
}

function downloads(): number {
	return fake.calls.filter((c) => c.endpoint === "media_download").length;
}

/** Generated PDF content: "%PDF-" then a pattern that depends on the offset. */
function pdfFill(offset: number, chunk: Uint8Array): void {
	chunk.fill((offset >>> 16) & 0xff);
	if (offset === 0) chunk.set(new TextEncoder().encode("%PDF-1.7\n"));
}

/**
 * A Graph client whose answers pass through `tamper`, for what the fake never does on its own:
 * a `file_size` that lies or is missing, a download without `Content-Length`, a body cut short.
 */
function tamperedGraph(tamper: {
	info?: (body: Record<string, unknown>) => Record<string, unknown>;
	download?: (response: Response) => Response;
}): ChannelClient {
	const client = new GraphClient({
		base: FAKE_GRAPH_BASE,
		version: "v25.0",
		token: FAKE_GRAPH_TOKEN,
		phoneNumberId: PNID,
		fetch: async (input, init) => {
			const response = await fake.fetch(input, init);
			const url = new URL(input instanceof Request ? input.url : String(input));
			if (!response.ok) return response;
			if (url.pathname.startsWith("/media-download/")) {
				return tamper.download ? overTheWire(tamper.download(response)) : response;
			}
			if (tamper.info) {
				const body = tamper.info((await response.json()) as Record<string, unknown>);
				return Response.json(body);
			}
			return response;
		},
	});
	return new WhatsAppChannel(client);
}

/**
 * A tampered download as it would come over the network: with a Content-Length, a body of that
 * length, which errors when fewer bytes arrive (workerd's fetch gives R2 such a body).
 */
function overTheWire(response: Response): Response {
	const header = response.headers.get("content-length");
	if (response.body === null || header === null) return response;
	const sized = new FixedLengthStream(Number(header));
	response.body.pipeTo(sized.writable).catch(() => undefined);
	return new Response(sized.readable, { status: response.status, headers: response.headers });
}

/** The same body without a length (as a chunked download would come). */
function withoutLength(response: Response): Response {
	const headers = new Headers(response.headers);
	headers.delete("content-length");
	const body = response.body?.pipeThrough(new TransformStream<Uint8Array, Uint8Array>());
	return new Response(body, { headers });
}

describe("mediaKey", () => {
	it("is requests/<request id>/<document code>/<message id>", () => {
		expect(
			mediaKey("PBM-2026-000042", "akta_lahir", "wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNF"),
		).toBe("requests/PBM-2026-000042/akta_lahir/wamid.HBgLNjI4MTIzNDU2Nzg5MBUCABIYFjNF");
	});

	it("keeps a slash in a base64 wamid from adding a level", () => {
		expect(mediaKey("R1", "kk", "wamid.ab/cd+ef=")).toBe("requests/R1/kk/wamid.ab%2Fcd%2Bef%3D");
	});
});

describe("sniffMimeType", () => {
	it("recognises JPEG, PNG and PDF by their first bytes", () => {
		expect(sniffMimeType(new Uint8Array(JPEG_HEAD))).toBe("image/jpeg");
		expect(sniffMimeType(new Uint8Array([0xff, 0xd8, 0xff]))).toBe("image/jpeg");
		expect(sniffMimeType(new Uint8Array(PNG_HEAD))).toBe("image/png");
		expect(sniffMimeType(new TextEncoder().encode("%PDF-1.4\n"))).toBe("application/pdf");
		expect(sniffMimeType(new TextEncoder().encode("%PDF-"))).toBe("application/pdf");
	});

	it("knows nothing else, nor a head too short for its signature", () => {
		expect(sniffMimeType(new Uint8Array())).toBeUndefined();
		expect(sniffMimeType(new Uint8Array([0xff, 0xd8]))).toBeUndefined();
		expect(sniffMimeType(new Uint8Array(PNG_HEAD.slice(0, 7)))).toBeUndefined();
		expect(sniffMimeType(new TextEncoder().encode("%PDF"))).toBeUndefined();
		expect(sniffMimeType(new TextEncoder().encode("hello world"))).toBeUndefined();
		expect(sniffMimeType(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))).toBeUndefined();
	});
});

describe("storing", () => {
	it("stores a JPEG with its bytes, type, size, metadata and hash", async () => {
		const bytes = bytesOf(JPEG_HEAD, 200_000);
		const media = await fake.addMedia(bytes, "image/jpeg");
		const input = job(media.id, {
			declaredMime: "image/jpeg; x=y",
			announcedSha256: media.sha256Base64,
			fileName: "kk.jpg",
		});
		const outcome = await storeMedia(graph, env.FILES, input);
		const key = `requests/PBM-2026-000042/kk/${input.messageId}`;
		expect(outcome).toEqual({
			ok: true,
			key,
			size: bytes.byteLength,
			mimeType: "image/jpeg",
			sha256: media.sha256Hex,
			fileName: "kk.jpg",
		});
		const object = await env.FILES.get(key);
		expect(object).not.toBeNull();
		expect(new Uint8Array(await new Response(object?.body).arrayBuffer())).toEqual(bytes);
		expect(object?.size).toBe(bytes.byteLength);
		expect(object?.httpMetadata?.contentType).toBe("image/jpeg");
		expect(object?.customMetadata).toMatchObject({
			requestId: "PBM-2026-000042",
			docCode: "kk",
			messageId: input.messageId,
			fileName: "kk.jpg",
		});
		expect(fake.calls.map((c) => [c.endpoint, c.authorization])).toEqual([
			["media_info", "Bearer test_access_token"],
			["media_download", "Bearer test_access_token"],
		]);
	});

	it("stores a PDF, with R2 holding Meta's SHA-256 as the object's checksum", async () => {
		const bytes = new TextEncoder().encode(`%PDF-1.4\n${"isi akta kelahiran ".repeat(3000)}`);
		const media = await fake.addMedia(bytes, "application/pdf");
		const fileName = "Akta kelahiran – Siti Nurhaliza (scan).pdf";
		const input = job(media.id, {
			declaredMime: "application/pdf",
			docCode: "akta_lahir",
			fileName,
		});
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: true, size: bytes.byteLength, sha256: media.sha256Hex });
		const object = await env.FILES.get(mediaKey(input.requestId, "akta_lahir", input.messageId));
		expect(object?.httpMetadata?.contentType).toBe("application/pdf");
		expect(object?.customMetadata?.fileName).toBe(fileName);
		const checksum = object?.checksums.sha256;
		expect(checksum && [...new Uint8Array(checksum)].length).toBe(32);
		expect(object && (await sha256Hex(object.body))).toBe(media.sha256Hex);
	});

	it("streams a 20 MB PDF into R2", async () => {
		const size = 20 << 20;
		const media = await fake.addMedia({ size, mimeType: "application/pdf", fill: pdfFill });
		const input = job(media.id, {
			requestId: "PBM-BIG",
			declaredMime: "application/pdf",
			maxBytes: 100 << 20,
			announcedSha256: media.sha256Base64,
		});
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: true, size, sha256: media.sha256Hex });
		const object = await env.FILES.get(mediaKey("PBM-BIG", "kk", input.messageId));
		expect(object?.size).toBe(size);
		expect(object && (await sha256Hex(object.body))).toBe(media.sha256Hex);
	});

	it("stores a download of unknown length in parts (12 MB, no file_size, no Content-Length)", async () => {
		const size = 12 << 20;
		const media = await fake.addMedia({ size, mimeType: "application/pdf", fill: pdfFill });
		const blind = tamperedGraph({
			info: ({ file_size: _size, ...rest }) => rest,
			download: withoutLength,
		});
		const input = job(media.id, {
			requestId: "PBM-PARTS",
			declaredMime: "application/pdf",
			maxBytes: 100 << 20,
			announcedSha256: media.sha256Base64,
		});
		const outcome = await storeMedia(blind, env.FILES, input);
		expect(outcome).toMatchObject({ ok: true, size, sha256: media.sha256Hex });
		const object = await env.FILES.get(mediaKey("PBM-PARTS", "kk", input.messageId));
		expect(object?.size).toBe(size);
		expect(object?.httpMetadata?.contentType).toBe("application/pdf");
		expect(object?.customMetadata?.messageId).toBe(input.messageId);
		expect(object && (await sha256Hex(object.body))).toBe(media.sha256Hex);
	});

	it("answers a second store of the same message from R2 without downloading again", async () => {
		const media = await fake.addMedia(bytesOf(PNG_HEAD, 5000), "image/png");
		const input = job(media.id, { declaredMime: "image/png" });
		const first = await storeMedia(graph, env.FILES, input);
		expect(first.ok).toBe(true);
		fake.calls.length = 0;
		expect(await storeMedia(graph, env.FILES, input)).toEqual(first);
		expect(fake.calls).toEqual([]);
	});

	it("checks a type when the first chunk is shorter than its signature", async () => {
		const bytes = bytesOf(PNG_HEAD, 1000);
		const media = await fake.addMedia(bytes, "image/png");
		const trickle = tamperedGraph({
			download: (response) => {
				// Bytes one at a time for the head, then the rest.
				const parts = [
					...Array.from(bytes.subarray(0, 9), (b) => new Uint8Array([b])),
					bytes.subarray(9),
				];
				const body = new ReadableStream<Uint8Array>({
					pull(controller) {
						const next = parts.shift();
						if (next === undefined) controller.close();
						else controller.enqueue(next);
					},
				});
				response.body?.cancel();
				return new Response(body, { headers: response.headers });
			},
		});
		const outcome = await storeMedia(
			trickle,
			env.FILES,
			job(media.id, { declaredMime: "image/png" }),
		);
		expect(outcome).toMatchObject({ ok: true, size: 1000, sha256: media.sha256Hex });
	});
});

describe("refusing", () => {
	it("refuses a declared type that is not accepted without calling Meta", async () => {
		const media = await fake.addMedia(bytesOf(PNG_HEAD, 100), "image/png");
		const input = job(media.id, { declaredMime: "image/png", acceptedTypes: ["application/pdf"] });
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "wrong_type" });
		expect(fake.calls).toEqual([]);
	});

	it("refuses a file_size over the limit before downloading", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 10_000), "image/jpeg");
		const input = job(media.id, { requestId: "PBM-BIG-INFO", maxBytes: 9_999 });
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "too_large" });
		expect(fake.calls.map((c) => c.endpoint)).toEqual(["media_info"]);
		expect(await objectsUnder("PBM-BIG-INFO")).toEqual([]);
	});

	it("refuses PNG bytes declared as image/jpeg and leaves no object", async () => {
		const media = await fake.addMedia(bytesOf(PNG_HEAD, 50_000), "image/jpeg");
		const input = job(media.id, { requestId: "PBM-PNG-AS-JPEG" });
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toEqual({
			ok: false,
			reason: "wrong_type",
			detail: "content is image/png, declared image/jpeg",
		});
		expect(await objectsUnder("PBM-PNG-AS-JPEG")).toEqual([]);
	});

	it("refuses text declared as application/pdf and leaves no object", async () => {
		const media = await fake.addMedia(new TextEncoder().encode("bukan pdf"), "application/pdf");
		const input = job(media.id, { requestId: "PBM-TEXT", declaredMime: "application/pdf" });
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "wrong_type" });
		expect(await objectsUnder("PBM-TEXT")).toEqual([]);
	});

	it("stops a stream that passes the limit when file_size is missing", async () => {
		const size = 6 << 20;
		const media = await fake.addMedia({ size, mimeType: "application/pdf", fill: pdfFill });
		const blind = tamperedGraph({
			info: ({ file_size: _size, ...rest }) => rest,
			download: withoutLength,
		});
		const input = job(media.id, {
			requestId: "PBM-NO-SIZE",
			declaredMime: "application/pdf",
			maxBytes: 1 << 20,
		});
		const outcome = await storeMedia(blind, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "too_large" });
		expect(await objectsUnder("PBM-NO-SIZE")).toEqual([]);
	});

	it("stops a stream that passes the limit when file_size lies", async () => {
		const size = 7 << 20;
		const media = await fake.addMedia({ size, mimeType: "application/pdf", fill: pdfFill });
		const liar = tamperedGraph({
			info: (body) => ({ ...body, file_size: 1000 }),
			download: withoutLength,
		});
		const input = job(media.id, {
			requestId: "PBM-LIE",
			declaredMime: "application/pdf",
			maxBytes: 1 << 20,
		});
		const outcome = await storeMedia(liar, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "too_large" });
		expect(await objectsUnder("PBM-LIE")).toEqual([]);
	});

	it("refuses before reading when Content-Length is over the limit though file_size lies", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 20_000), "image/jpeg");
		const liar = tamperedGraph({ info: (body) => ({ ...body, file_size: 10 }) });
		const input = job(media.id, { requestId: "PBM-LIE-CL", maxBytes: 10_000 });
		const outcome = await storeMedia(liar, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "too_large" });
		expect(await objectsUnder("PBM-LIE-CL")).toEqual([]);
	});
});

describe("failing", () => {
	it("fails retryably, leaving no object, when the webhook's hash does not match", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 30_000), "image/jpeg");
		const other = await fake.addMedia(bytesOf(JPEG_HEAD, 30_001), "image/jpeg");
		const input = job(media.id, {
			requestId: "PBM-HASH",
			announcedSha256: other.sha256Base64,
		});
		const outcome = await storeMedia(graph, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "failed", retryable: true });
		expect(await objectsUnder("PBM-HASH")).toEqual([]);
	});

	it("fails retryably, leaving no object, when Meta's hash does not match the bytes", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 30_000), "image/jpeg");
		const other = await fake.addMedia(bytesOf(JPEG_HEAD, 30_001), "image/jpeg");
		const wrong = tamperedGraph({ info: (body) => ({ ...body, sha256: other.sha256Hex }) });
		const input = job(media.id, { requestId: "PBM-META-HASH" });
		const outcome = await storeMedia(wrong, env.FILES, input);
		expect(outcome).toMatchObject({
			ok: false,
			reason: "failed",
			retryable: true,
			detail: "SHA-256 of the download does not match Meta's",
		});
		expect(await objectsUnder("PBM-META-HASH")).toEqual([]);
	});

	it("fails retryably, leaving no object, when the body is cut short", async () => {
		const bytes = bytesOf(JPEG_HEAD, 100_000);
		const media = await fake.addMedia(bytes, "image/jpeg");
		const cut = tamperedGraph({
			download: (response) => {
				response.body?.cancel();
				return new Response(new Blob([bytes.subarray(0, 60_000)]).stream(), {
					headers: response.headers,
				});
			},
		});
		const input = job(media.id, { requestId: "PBM-CUT" });
		const outcome = await storeMedia(cut, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "failed", retryable: true });
		expect(await objectsUnder("PBM-CUT")).toEqual([]);
	});

	it("fails retryably, leaving no object, when the connection breaks mid-way", async () => {
		const bytes = bytesOf(JPEG_HEAD, 100_000);
		const media = await fake.addMedia(bytes, "image/jpeg");
		const broken = tamperedGraph({
			download: (response) => {
				response.body?.cancel();
				let sent = false;
				const body = new ReadableStream<Uint8Array>({
					pull(controller) {
						if (sent) controller.error(new TypeError("Network connection lost."));
						else controller.enqueue(bytes.subarray(0, 40_000));
						sent = true;
					},
				});
				return new Response(body, { headers: response.headers });
			},
		});
		const input = job(media.id, { requestId: "PBM-BROKEN" });
		const outcome = await storeMedia(broken, env.FILES, input);
		expect(outcome).toMatchObject({ ok: false, reason: "failed", retryable: true });
		expect(await objectsUnder("PBM-BROKEN")).toEqual([]);
	});

	it("never lets R2 commit a file that fails a check, even if the cleanup delete is lost", async () => {
		// R2 commits a fixed-length put once it has every byte, whatever the stream does next.
		const noDelete = new Proxy(env.FILES, {
			get(target, property) {
				if (property === "delete") return async () => undefined;
				const value: unknown = Reflect.get(target, property);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		const good = await fake.addMedia(bytesOf(JPEG_HEAD, 30_000), "image/jpeg");
		const other = await fake.addMedia(bytesOf(JPEG_HEAD, 30_001), "image/jpeg");
		const tiny = await fake.addMedia(new TextEncoder().encode("%PD"), "application/pdf");
		const cases: [DownloadJob, string][] = [
			[job(good.id, { requestId: "PBM-NC-HASH", announcedSha256: other.sha256Base64 }), "failed"],
			[job(tiny.id, { requestId: "PBM-NC-TINY", declaredMime: "application/pdf" }), "wrong_type"],
		];
		for (const [input, reason] of cases) {
			expect(await storeMedia(graph, noDelete, input)).toMatchObject({ ok: false, reason });
			expect(await objectsUnder(input.requestId)).toEqual([]);
		}
	});

	it("fails retryably when the media lookup answers 500", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 100), "image/jpeg");
		fake.fail("media_info", { kind: "http", status: 500 });
		const outcome = await storeMedia(graph, env.FILES, job(media.id));
		expect(outcome).toMatchObject({ ok: false, reason: "failed", retryable: true });
		expect(downloads()).toBe(0);
	});

	it("fails for good on an unknown media id", async () => {
		const outcome = await storeMedia(graph, env.FILES, job("999999999999"));
		expect(outcome).toMatchObject({ ok: false, reason: "failed", retryable: false });
	});

	it("fails retryably with Meta's Retry-After when throttled", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 100), "image/jpeg");
		fake.fail("media_info", { kind: "http", status: 429, retryAfter: 30 });
		const outcome = await storeMedia(graph, env.FILES, job(media.id));
		expect(outcome).toEqual({
			ok: false,
			reason: "failed",
			retryable: true,
			retryAfterMs: 30_000,
			detail: expect.stringContaining("media info"),
		});
	});

	it("fails retryably when the download URL answers 404 (expired) or the network drops", async () => {
		const media = await fake.addMedia(bytesOf(JPEG_HEAD, 100), "image/jpeg");
		fake.fail("media_download", { kind: "http", status: 404 });
		expect(await storeMedia(graph, env.FILES, job(media.id))).toMatchObject({
			reason: "failed",
			retryable: true,
		});
		fake.fail("media_download", { kind: "network" });
		expect(await storeMedia(graph, env.FILES, job(media.id))).toMatchObject({
			reason: "failed",
			retryable: true,
		});
	});
});
