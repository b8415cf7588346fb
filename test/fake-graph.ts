/**
 * A fake of Meta's Graph API (WhatsApp Cloud API) for tests: it answers the product's `fetch()`
 * calls with Meta's real wire format (request validation, success bodies, error bodies) and
 * records what was sent, so tests assert on behaviour the resident would see. Reference:
 * /work/shared/whatsapp-cloud-api.md §6 (media), §7 (sending), §8 (errors).
 *
 * In the workerd test runtime, the worker and Durable Objects share the test's `globalThis`, so
 * `install()` (a spy on `globalThis.fetch`) intercepts every outbound call. Everything the fake
 * keeps is plain data (no streams or promises), because workerd forbids using I/O objects created
 * in one request (a test) from another (a Durable Object); streams are made per call.
 */
import { vi } from "vitest";
import {
	GRAPH_VERSION,
	InvalidParameter,
	invalidParameter,
	isObject,
	type Json,
	json,
	metaError,
	UPLOAD_LIMITS,
	unsupportedRequest,
	validateSend,
} from "../src/sandbox/meta-graph";

/** The Graph API base URL the tests configure (vitest.config.ts, `GRAPH_API_BASE`). */
export const FAKE_GRAPH_BASE = "https://graph.test";
/** The access token the tests configure (vitest.config.ts, `WHATSAPP_ACCESS_TOKEN`). */
export const FAKE_GRAPH_TOKEN = "test_access_token";

/** A message Meta accepted: `body` is the exact JSON the product posted. */
export interface SentMessage {
	id: string;
	phoneNumberId: string;
	to: string;
	type: string;
	body: Record<string, unknown>;
	at: number;
}

/** A media object the fake can describe, serve and accept as a send's `id`. */
export interface FakeMedia {
	id: string;
	mimeType: string;
	size: number;
	sha256Hex: string;
	sha256Base64: string;
}

/** A failure to inject into the next call(s) to an endpoint. */
export type Fault =
	| {
			kind: "http";
			status: number;
			/** Meta error code; default 130429 for 429, 131000 for 5xx, 100 for other statuses. */
			code?: number;
			/** Goes into `error.message` as `(#<code>) <message>` and, unless `details`, into details. */
			message?: string;
			/** `error.error_data.details`; defaults to Meta's details for well-known codes. */
			details?: string;
			/** Seconds, sent as a `Retry-After` header. */
			retryAfter?: number;
	  }
	| { kind: "network" }
	| { kind: "timeout" }
	/**
	 * A media download whose headers and first `afterBytes` bytes come, then nothing more: the
	 * connection stays open until the caller aborts (a body that stalls mid-way).
	 */
	| { kind: "stall"; afterBytes: number };

/** Which Graph endpoint a call hit; `any` (in `fail`) matches every endpoint. */
/** `mark_read` is a POST to `/messages` whose body has `"status":"read"`: told apart for faults. */
export type Endpoint =
	| "messages"
	| "mark_read"
	| "media_info"
	| "media_download"
	| "media_upload"
	| "any";

/** Content for `addMedia` that is generated in chunks, never held whole (e.g. a 100 MB PDF). */
export interface GeneratedMedia {
	size: number;
	mimeType: string;
	/** Bytes per generated chunk (default 64 KiB). */
	chunk?: number;
	/** Fills `chunk` with the bytes at `offset`; must be deterministic (it runs on every download). */
	fill?: (offset: number, chunk: Uint8Array) => void;
}

type MediaSource =
	| { kind: "bytes"; bytes: Uint8Array }
	| { kind: "blob"; blob: Blob }
	| { kind: "generated"; chunk: number; fill: (offset: number, chunk: Uint8Array) => void };

interface StoredMedia {
	info: FakeMedia;
	source: MediaSource;
}

/** Meta's wording for codes tests commonly inject: [message, details] (M-errors, §8). */
const KNOWN_ERRORS: Record<number, [string, string]> = {
	100: ["Invalid parameter", "Invalid parameter"],
	4: ["Application request limit reached", "Application request limit reached"],
	130429: ["Rate limit hit", "Cloud API message throughput has been reached."],
	131000: ["Something went wrong", "Something went wrong"],
	131026: [
		"Message undeliverable",
		"Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number.",
	],
	131047: [
		"Re-engagement message",
		"Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
	],
	131048: [
		"Spam rate limit hit",
		"Message failed to send because there are restrictions on how many messages can be sent from this phone number.",
	],
	131053: ["Media upload error", "Unable to upload the media used in the message."],
	131056: [
		"(Business Account, Consumer Account) pair rate limit hit",
		"Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
	],
};

const toHex = (bytes: Uint8Array): string =>
	Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

function digestInfo(id: string, mimeType: string, size: number, digest: ArrayBuffer): FakeMedia {
	const bytes = new Uint8Array(digest);
	return { id, mimeType, size, sha256Hex: toHex(bytes), sha256Base64: toBase64(bytes) };
}

/** A cheap deterministic pattern for generated media without a `fill`: byte i is i mod 251. */
function patternFill(offset: number, chunk: Uint8Array): void {
	const period = 251;
	for (let i = 0; i < Math.min(period, chunk.length); i++) chunk[i] = (offset + i) % period;
	// The pattern repeats every 251 bytes, so doubling copies of the first period fill the rest.
	for (let filled = period; filled < chunk.length; filled *= 2) {
		chunk.copyWithin(filled, 0, Math.min(filled, chunk.length - filled));
	}
}

function unauthorized(): Response {
	const message = "Invalid OAuth access token - Cannot parse access token";
	return metaError(401, 190, message, {
		headers: { "www-authenticate": `OAuth "Facebook Platform" "invalid_token" "${message}"` },
	});
}

/**
 * Meta's answer to a token that has expired (code 190, subcode 463), as Graph sends it: HTTP 400
 * with an OAuthException (HTTP 401 is also seen, see `unauthorized`).
 */
function expiredToken(): Response {
	return metaError(
		400,
		190,
		"Error validating access token: Session has expired on Tuesday, 10-Jun-25 04:00:00 PDT. The current time is Tuesday, 10-Jun-25 05:12:09 PDT.",
		{ subcode: 463 },
	);
}

/**
 * `response` with its first `afterBytes` body bytes, then a body that never ends until `signal`
 * aborts (as a real fetch's body errors when its request is aborted). Headers as they were.
 */
function stallAfter(response: Response, afterBytes: number, signal?: AbortSignal): Response {
	const source = response.body?.getReader();
	let sent = 0;
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			if (source === undefined) return controller.close();
			if (sent >= afterBytes) {
				// Nothing more, ever: only the caller's abort ends it.
				await new Promise<void>((resolve) => {
					if (signal === undefined) return;
					if (signal.aborted) return resolve();
					signal.addEventListener("abort", () => resolve(), { once: true });
				});
				controller.error(signal?.reason);
				return;
			}
			const { done, value } = await source.read();
			if (done) return controller.close();
			const part = value.subarray(0, afterBytes - sent);
			sent += part.byteLength;
			controller.enqueue(part);
		},
		cancel: (reason) => source?.cancel(reason),
	});
	// Of known length, as a real download's body is (R2 takes only such a stream).
	const length = Number(response.headers.get("content-length"));
	const sized = new FixedLengthStream(length);
	body.pipeTo(sized.writable).catch(() => {});
	return new Response(sized.readable, { status: response.status, headers: response.headers });
}

function faultResponse(fault: Extract<Fault, { kind: "http" }>): Response {
	const code = fault.code ?? (fault.status === 429 ? 130429 : fault.status >= 500 ? 131000 : 100);
	const known = KNOWN_ERRORS[code];
	const message = fault.message ?? known?.[0] ?? "Something went wrong";
	const details =
		fault.details ?? (fault.message === undefined ? known?.[1] : undefined) ?? message;
	const headers: Record<string, string> = {};
	if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
	return metaError(fault.status, code, `(#${code}) ${message}`, { details, headers });
}

/** Where a Graph URL points: the endpoint (for faults and `calls`) and its path segments. */
function classify(method: string, segments: string[]): Endpoint {
	if (segments[0] === "media-download" && segments.length === 2 && method === "GET") {
		return "media_download";
	}
	if (segments.length === 3 && method === "POST") {
		if (segments[2] === "messages") return "messages";
		if (segments[2] === "media") return "media_upload";
	}
	if (segments.length === 2 && (method === "GET" || method === "DELETE")) return "media_info";
	return "any";
}

/**
 * The fake Graph API. One instance per test (or `reset()` between tests); `install()` routes
 * `globalThis.fetch` to it and fails loudly on any other URL.
 */
export class FakeGraph {
	/** Accepted sends, in order (templates included; mark-as-read is in `reads`). */
	readonly sent: SentMessage[] = [];
	/** Sends Meta would refuse, with the `error_data.details` the fake answered. */
	readonly rejected: { body: unknown; error: string }[] = [];
	/** Message ids marked as read. */
	readonly reads: string[] = [];
	/** Every call that reached the fake, faulted ones included. */
	readonly calls: {
		method: string;
		url: string;
		endpoint: Endpoint;
		authorization: string | null;
	}[] = [];
	/** Media the product uploaded. */
	readonly uploads: FakeMedia[] = [];
	/** `<METHOD> <url>` of calls to anything but the Graph API (each also rejected the fetch). */
	readonly unmocked: string[] = [];

	private readonly base: string;
	private readonly token: string;
	private readonly media = new Map<string, StoredMedia>();
	private faults: { endpoint: Endpoint; fault: Fault; times: number }[] = [];
	private expired = false;
	private messageCounter = 0;
	private mediaCounter = 0;

	constructor(opts: { base?: string; token?: string } = {}) {
		this.base = (opts.base ?? FAKE_GRAPH_BASE).replace(/\/+$/, "");
		this.token = opts.token ?? FAKE_GRAPH_TOKEN;
	}

	/** Spies on `globalThis.fetch` (worker and Durable Objects alike); returns the restore function. */
	install(): () => void {
		const spy = vi
			.spyOn(globalThis, "fetch")
			.mockImplementation((input, init) => this.fetch(input, init));
		return () => spy.mockRestore();
	}

	/** Answers one request the way graph.facebook.com would. */
	async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
		const request = new Request(input, init);
		const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
		const method = request.method.toUpperCase();
		if (!request.url.startsWith(`${this.base}/`)) {
			const call = `${method} ${request.url}`;
			this.unmocked.push(call);
			throw new Error(`unmocked fetch: ${call}`);
		}
		if (signal?.aborted) throw signal.reason;
		const url = new URL(request.url);
		const path = url.pathname.slice(new URL(`${this.base}/`).pathname.length - 1);
		const segments = path.split("/").filter((segment) => segment !== "");
		let endpoint = classify(method, segments);
		if (endpoint === "messages") {
			const peek = (await request
				.clone()
				.json()
				.catch(() => null)) as { status?: unknown } | null;
			if (peek?.status === "read") endpoint = "mark_read";
		}
		const authorization = request.headers.get("authorization");
		this.calls.push({ method, url: request.url, endpoint, authorization });

		const fault = this.takeFault(endpoint);
		if (fault?.kind === "network") throw new TypeError("Network connection lost.");
		if (fault?.kind === "timeout") return this.hang(signal ?? undefined);
		if (fault?.kind === "http") return faultResponse(fault);

		if (authorization !== `Bearer ${this.token}`) return unauthorized();
		if (this.expired) return expiredToken();
		if (endpoint === "media_download") {
			const response = this.download(segments[1] ?? "");
			if (fault?.kind !== "stall" || !response.ok) return response;
			return stallAfter(response, fault.afterBytes, signal ?? undefined);
		}
		const [version = "", node = ""] = segments;
		if (!GRAPH_VERSION.test(version)) {
			return invalidParameter(`Unknown Graph API version '${version}' (expected like v25.0)`);
		}
		switch (endpoint) {
			case "messages":
			case "mark_read":
				return this.messages(node, request);
			case "media_upload":
				return this.upload(request);
			case "media_info":
				return method === "GET" ? this.mediaInfo(node) : this.deleteMedia(node);
			default:
				if (segments.length === 2) return unsupportedRequest(method, node);
				return metaError(400, 2500, `Unknown path components: /${segments.slice(2).join("/")}`);
		}
	}

	/**
	 * Makes media the product can fetch by id (as if a resident sent it) or send by id. Big media
	 * is described by size and generated in chunks, here once to hash it and again per download.
	 */
	async addMedia(
		content: Uint8Array | GeneratedMedia,
		mimeType?: string,
		opts: { id?: string } = {},
	): Promise<FakeMedia> {
		const id = opts.id ?? this.newMediaId();
		let stored: StoredMedia;
		if (content instanceof Uint8Array) {
			const bytes = content.slice();
			const digest = await crypto.subtle.digest("SHA-256", bytes);
			const type = mimeType ?? "application/octet-stream";
			stored = {
				info: digestInfo(id, type, bytes.length, digest),
				source: { kind: "bytes", bytes },
			};
		} else {
			const chunk = content.chunk ?? 64 << 10;
			const fill = content.fill ?? patternFill;
			const hasher = new crypto.DigestStream("SHA-256");
			const writer = hasher.getWriter();
			for (let offset = 0; offset < content.size; offset += chunk) {
				const part = new Uint8Array(Math.min(chunk, content.size - offset));
				fill(offset, part);
				await writer.write(part);
			}
			await writer.close();
			const info = digestInfo(id, mimeType ?? content.mimeType, content.size, await hasher.digest);
			stored = { info, source: { kind: "generated", chunk, fill } };
		}
		this.media.set(id, stored);
		return stored.info;
	}

	/** The next `times` calls to `endpoint` (or to any, for `"any"`) get `fault`; first in, first out. */
	fail(endpoint: Endpoint, fault: Fault, times = 1): void {
		if (times > 0) this.faults.push({ endpoint, fault, times });
	}

	/**
	 * From now on the configured token is refused as Meta refuses an expired one (190, subcode
	 * 463) on every endpoint, the media download included, until {@link renewToken}.
	 */
	expireToken(): void {
		this.expired = true;
	}

	/** The deployer put a working token in place: calls succeed again. */
	renewToken(): void {
		this.expired = false;
	}

	/** What a resident read, in order: text bodies, interactive body texts and media captions. */
	textsTo(to: string): string[] {
		const texts: string[] = [];
		for (const message of this.sent) {
			if (message.to !== to) continue;
			const content = message.body[message.type];
			if (!isObject(content)) continue;
			if (message.type === "text" && typeof content.body === "string") texts.push(content.body);
			if (message.type === "interactive" && isObject(content.body)) {
				if (typeof content.body.text === "string") texts.push(content.body.text);
			}
			if (
				(message.type === "image" || message.type === "document") &&
				typeof content.caption === "string"
			) {
				texts.push(content.caption);
			}
		}
		return texts;
	}

	/** Forgets everything recorded, all media and pending faults (arrays are emptied in place). */
	reset(): void {
		this.sent.length = 0;
		this.rejected.length = 0;
		this.reads.length = 0;
		this.calls.length = 0;
		this.uploads.length = 0;
		this.unmocked.length = 0;
		this.media.clear();
		this.faults = [];
		this.expired = false;
	}

	private newMediaId(): string {
		this.mediaCounter++;
		return String(1_000_000_000_000_000 + this.mediaCounter);
	}

	private chaosConfig: { share: number; faults: Fault[]; random: () => number } | undefined;

	/**
	 * From now on a `share` (0..1) of calls, drawn by a seeded generator, get one of `faults`:
	 * for fault-injection runs. `chaos(0)` turns it off.
	 */
	chaos(share: number, faults: Fault[] = [], seed = 1): void {
		let state = seed >>> 0 || 1;
		const random = () => {
			// xorshift32: deterministic, so a failing run can be replayed.
			state ^= state << 13;
			state ^= state >>> 17;
			state ^= state << 5;
			return (state >>> 0) / 0x100000000;
		};
		this.chaosConfig = share > 0 && faults.length > 0 ? { share, faults, random } : undefined;
	}

	private takeFault(endpoint: Endpoint): Fault | undefined {
		const index = this.faults.findIndex((f) => f.endpoint === "any" || f.endpoint === endpoint);
		const entry = this.faults[index];
		if (entry === undefined) {
			const chaos = this.chaosConfig;
			if (chaos === undefined || chaos.random() >= chaos.share) return undefined;
			return chaos.faults[Math.floor(chaos.random() * chaos.faults.length)];
		}
		entry.times--;
		if (entry.times <= 0) this.faults.splice(index, 1);
		return entry.fault;
	}

	/** Like a request whose answer never comes: settles only when the caller's signal aborts. */
	private hang(signal: AbortSignal | undefined): Promise<Response> {
		return new Promise((_resolve, reject) => {
			if (signal === undefined) return;
			if (signal.aborted) reject(signal.reason);
			signal.addEventListener("abort", () => reject(signal.reason), { once: true });
		});
	}

	private async messages(phoneNumberId: string, request: Request): Promise<Response> {
		const raw = await request.text();
		let body: unknown;
		try {
			body = JSON.parse(raw);
		} catch {
			return this.reject(raw, "Request body must be JSON");
		}
		if (!isObject(body)) return this.reject(body, "Request body must be a JSON object");
		if (body.status === "read") {
			if (body.messaging_product !== "whatsapp") {
				return this.reject(body, "Param messaging_product must be whatsapp");
			}
			if (typeof body.message_id !== "string" || body.message_id.length === 0) {
				return this.reject(body, "Param message_id is required");
			}
			this.reads.push(body.message_id);
			return json(200, { success: true });
		}
		let send: { to: string; type: string };
		try {
			send = validateSend(body, (id) => this.media.has(id));
		} catch (error) {
			if (error instanceof InvalidParameter) return this.reject(body, error.message);
			throw error;
		}
		this.messageCounter++;
		const id = `wamid.FAKE${this.messageCounter}`;
		this.sent.push({ id, phoneNumberId, to: send.to, type: send.type, body, at: Date.now() });
		const message: Json = { id };
		if (send.type === "template") message.message_status = "accepted";
		return json(200, {
			messaging_product: "whatsapp",
			contacts: [{ input: send.to, wa_id: send.to.replace(/^\+/, "") }],
			messages: [message],
		});
	}

	private reject(body: unknown, details: string): Response {
		this.rejected.push({ body, error: details });
		return invalidParameter(details);
	}

	private mediaInfo(id: string): Response {
		const stored = this.media.get(id);
		if (stored === undefined) return unsupportedRequest("GET", id);
		const { info } = stored;
		return json(200, {
			messaging_product: "whatsapp",
			url: `${this.base}/media-download/${info.id}?hash=x`,
			mime_type: info.mimeType,
			sha256: info.sha256Hex,
			file_size: info.size,
			id: info.id,
		});
	}

	private deleteMedia(id: string): Response {
		if (!this.media.delete(id)) return unsupportedRequest("DELETE", id);
		return json(200, { success: true });
	}

	private download(id: string): Response {
		const stored = this.media.get(id);
		if (stored === undefined) return new Response("Not Found", { status: 404 });
		const { info, source } = stored;
		const headers = { "content-type": info.mimeType, "content-length": String(info.size) };
		if (source.kind === "bytes") return new Response(source.bytes.slice(), { headers });
		if (source.kind === "blob") return new Response(source.blob, { headers });
		let offset = 0;
		const generated = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (offset >= info.size) {
					controller.close();
					return;
				}
				const part = new Uint8Array(Math.min(source.chunk, info.size - offset));
				source.fill(offset, part);
				offset += part.length;
				controller.enqueue(part);
			},
		});
		// A FixedLengthStream gives the body a known length, as a real download has (R2 needs it).
		const sized = new FixedLengthStream(info.size);
		generated.pipeTo(sized.writable).catch(() => {});
		return new Response(sized.readable, { headers });
	}

	private async upload(request: Request): Promise<Response> {
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return invalidParameter("Request body must be multipart/form-data");
		}
		if (form.get("messaging_product") !== "whatsapp") {
			return invalidParameter("Param messaging_product must be whatsapp");
		}
		const type = form.get("type");
		if (typeof type !== "string" || type.length === 0) {
			return invalidParameter("Param type is required");
		}
		const file = form.get("file");
		if (file === null || typeof file === "string") {
			return invalidParameter("Param file is required and must be a file");
		}
		const mimeType = file.type.split(";")[0]?.trim() ?? "";
		const limit = UPLOAD_LIMITS[mimeType];
		if (limit === undefined) {
			return invalidParameter(
				`Param file must be a file with one of the following types: ${Object.keys(UPLOAD_LIMITS).join(", ")}. Received file of type '${file.type}'.`,
			);
		}
		if (file.size > limit) {
			return invalidParameter(`Param file is too big for ${mimeType}: max ${limit} bytes`);
		}
		const hasher = new crypto.DigestStream("SHA-256");
		await file.stream().pipeTo(hasher);
		const id = this.newMediaId();
		const info = digestInfo(id, mimeType, file.size, await hasher.digest);
		this.media.set(id, { info, source: { kind: "blob", blob: file } });
		this.uploads.push(info);
		return json(200, { id });
	}
}
