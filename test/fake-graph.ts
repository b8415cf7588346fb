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
	| { kind: "timeout" };

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

type Json = Record<string, unknown>;

/** A send that breaks one of Meta's rules; `message` becomes `error_data.details`. */
class InvalidParameter extends Error {}

const VERSION = /^v\d+\.\d+$/;
const JSON_TYPE = "application/json; charset=UTF-8";
const MESSAGE_TYPES = ["text", "interactive", "image", "document", "template", "reaction"];
/** Media types Meta accepts on upload, with its size limits (M-media). */
const UPLOAD_LIMITS: Record<string, number> = {
	"audio/aac": 16 << 20,
	"audio/amr": 16 << 20,
	"audio/mpeg": 16 << 20,
	"audio/mp4": 16 << 20,
	"audio/ogg": 16 << 20,
	"text/plain": 100 << 20,
	"application/pdf": 100 << 20,
	"application/msword": 100 << 20,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 << 20,
	"application/vnd.ms-excel": 100 << 20,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 << 20,
	"application/vnd.ms-powerpoint": 100 << 20,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 << 20,
	"image/jpeg": 5 << 20,
	"image/png": 5 << 20,
	"image/webp": 500 << 10,
	"video/mp4": 16 << 20,
	"video/3gpp": 16 << 20,
};
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

const isObject = (value: unknown): value is Json =>
	typeof value === "object" && value !== null && !Array.isArray(value);

/** Characters as Meta counts them: code points, not UTF-16 units. */
const length = (value: string): number => [...value].length;

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

function fbtraceId(): string {
	return `AFake${crypto.randomUUID().replaceAll("-", "").slice(0, 18)}`;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { "content-type": JSON_TYPE, ...headers },
	});
}

/** Meta's synchronous error body (§8). */
function metaError(
	status: number,
	code: number,
	message: string,
	extra: {
		type?: string;
		subcode?: number;
		details?: string;
		headers?: Record<string, string>;
	} = {},
): Response {
	const error: Json = { message, type: extra.type ?? "OAuthException", code };
	if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
	if (extra.details !== undefined) {
		error.error_data = { messaging_product: "whatsapp", details: extra.details };
	}
	error.fbtrace_id = fbtraceId();
	return json(status, { error }, extra.headers);
}

function invalidParameter(details: string): Response {
	return metaError(400, 100, "(#100) Invalid parameter", { details });
}

function unsupportedRequest(method: string, id: string): Response {
	return metaError(
		400,
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		{ type: "GraphMethodException", subcode: 33 },
	);
}

function unauthorized(): Response {
	const message = "Invalid OAuth access token - Cannot parse access token";
	return metaError(401, 190, message, {
		headers: { "www-authenticate": `OAuth "Facebook Platform" "invalid_token" "${message}"` },
	});
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

// ---- Send validation: Meta's limits (§7), lengths in code points. ----

function text(value: unknown, param: string, min: number, max: number): string {
	if (typeof value !== "string") {
		throw new InvalidParameter(`Param ${param} is required and must be a string`);
	}
	const n = length(value);
	if (n < min || n > max) {
		throw new InvalidParameter(
			`Param ${param} must be between ${min} and ${max} characters long (got ${n})`,
		);
	}
	return value;
}

function optionalText(value: unknown, param: string, min: number, max: number): void {
	if (value !== undefined) text(value, param, min, max);
}

function object(value: unknown, param: string): Json {
	if (!isObject(value))
		throw new InvalidParameter(`Param ${param} is required and must be an object`);
	return value;
}

function array(value: unknown, param: string, min: number, max: number): unknown[] {
	if (!Array.isArray(value)) throw new InvalidParameter(`Param ${param} must be an array`);
	if (value.length < min || value.length > max) {
		throw new InvalidParameter(
			`Param ${param} must have between ${min} and ${max} elements (got ${value.length})`,
		);
	}
	return value;
}

function validateMedia(
	value: unknown,
	param: string,
	kind: string,
	knownMedia: (id: string) => boolean,
): void {
	const media = object(value, param);
	const hasId = media.id !== undefined;
	const hasLink = media.link !== undefined;
	if (hasId === hasLink) throw new InvalidParameter(`Param ${param} must have either id or link`);
	if (hasId) {
		const id = text(media.id, `${param}['id']`, 1, 256);
		if (!knownMedia(id)) throw new InvalidParameter(`Param ${param}['id'] is not a valid media id`);
	} else {
		const link = text(media.link, `${param}['link']`, 1, 2048);
		let url: URL | undefined;
		try {
			url = new URL(link);
		} catch {}
		if (url?.protocol !== "https:" && url?.protocol !== "http:") {
			throw new InvalidParameter(`Param ${param}['link'] must be a valid http(s) URL`);
		}
	}
	if (kind !== "header") optionalText(media.caption, `${param}['caption']`, 0, 1024);
	if (kind === "document" && media.filename !== undefined) {
		text(media.filename, `${param}['filename']`, 1, 240);
	}
}

function validateInteractive(value: unknown, knownMedia: (id: string) => boolean): void {
	const interactive = object(value, "interactive");
	const kind = interactive.type;
	if (kind !== "button" && kind !== "list") {
		throw new InvalidParameter(
			`Param interactive['type'] must be one of {button, list} (the fake supports no other)`,
		);
	}
	text(
		object(interactive.body, "interactive['body']").text,
		"interactive['body']['text']",
		1,
		1024,
	);
	if (interactive.footer !== undefined) {
		const footer = object(interactive.footer, "interactive['footer']");
		text(footer.text, "interactive['footer']['text']", 1, 60);
	}
	if (interactive.header !== undefined) {
		const header = object(interactive.header, "interactive['header']");
		const headerType = header.type;
		if (headerType === "text") {
			text(header.text, "interactive['header']['text']", 1, 60);
		} else if (
			kind === "button" &&
			(headerType === "image" || headerType === "video" || headerType === "document")
		) {
			validateMedia(
				header[headerType],
				`interactive['header']['${headerType}']`,
				"header",
				knownMedia,
			);
		} else {
			throw new InvalidParameter(
				`Param interactive['header']['type'] must be ${kind === "list" ? "text" : "one of {text, image, video, document}"}`,
			);
		}
	}
	const action = object(interactive.action, "interactive['action']");
	if (kind === "button") {
		const buttons = array(action.buttons, "interactive['action']['buttons']", 1, 3);
		const titles = new Set<string>();
		buttons.forEach((item, i) => {
			const param = `interactive['action']['buttons'][${i}]`;
			const button = object(item, param);
			if (button.type !== "reply")
				throw new InvalidParameter(`Param ${param}['type'] must be reply`);
			const reply = object(button.reply, `${param}['reply']`);
			text(reply.id, `${param}['reply']['id']`, 1, 256);
			const title = text(reply.title, `${param}['reply']['title']`, 1, 20);
			if (titles.has(title)) throw new InvalidParameter(`Button titles must be unique: ${title}`);
			titles.add(title);
		});
		return;
	}
	text(action.button, "interactive['action']['button']", 1, 20);
	const sections = array(action.sections, "interactive['action']['sections']", 1, 10);
	const rowIds = new Set<string>();
	let rows = 0;
	sections.forEach((item, s) => {
		const param = `interactive['action']['sections'][${s}]`;
		const section = object(item, param);
		if (sections.length > 1 && section.title === undefined) {
			throw new InvalidParameter(
				`Param ${param}['title'] is required when there is more than one section`,
			);
		}
		optionalText(section.title, `${param}['title']`, 1, 24);
		const sectionRows = array(section.rows, `${param}['rows']`, 1, 10);
		rows += sectionRows.length;
		sectionRows.forEach((rowItem, r) => {
			const rowParam = `${param}['rows'][${r}]`;
			const row = object(rowItem, rowParam);
			const id = text(row.id, `${rowParam}['id']`, 1, 200);
			if (rowIds.has(id)) throw new InvalidParameter(`Row ids must be unique: ${id}`);
			rowIds.add(id);
			text(row.title, `${rowParam}['title']`, 1, 24);
			optionalText(row.description, `${rowParam}['description']`, 0, 72);
		});
	});
	if (rows > 10) {
		throw new InvalidParameter(`A list message can have at most 10 rows in total (got ${rows})`);
	}
}

/** Validates a send (not mark-as-read) and returns its recipient and type, or throws. */
function validateSend(
	body: Json,
	knownMedia: (id: string) => boolean,
): { to: string; type: string } {
	if (body.messaging_product !== "whatsapp") {
		throw new InvalidParameter("Param messaging_product must be whatsapp");
	}
	if (body.recipient_type !== undefined && body.recipient_type !== "individual") {
		throw new InvalidParameter("Param recipient_type must be individual");
	}
	const to = body.to ?? body.recipient;
	if (typeof to !== "string" || to.length === 0) {
		throw new InvalidParameter("Param to is required and must be a non-empty string");
	}
	const type = body.type;
	if (typeof type !== "string" || !MESSAGE_TYPES.includes(type)) {
		throw new InvalidParameter(`Param type must be one of {${MESSAGE_TYPES.join(", ")}}`);
	}
	if (body.context !== undefined) {
		text(object(body.context, "context").message_id, "context['message_id']", 1, 512);
	}
	switch (type) {
		case "text": {
			const message = object(body.text, "text");
			text(message.body, "text['body']", 1, 4096);
			if (message.preview_url !== undefined && typeof message.preview_url !== "boolean") {
				throw new InvalidParameter("Param text['preview_url'] must be a boolean");
			}
			break;
		}
		case "interactive":
			validateInteractive(body.interactive, knownMedia);
			break;
		case "image":
		case "document":
			validateMedia(body[type], type, type, knownMedia);
			break;
		case "template": {
			const template = object(body.template, "template");
			text(template.name, "template['name']", 1, 512);
			text(
				object(template.language, "template['language']").code,
				"template['language']['code']",
				1,
				15,
			);
			if (template.components !== undefined && !Array.isArray(template.components)) {
				throw new InvalidParameter("Param template['components'] must be an array");
			}
			break;
		}
		case "reaction": {
			const reaction = object(body.reaction, "reaction");
			text(reaction.message_id, "reaction['message_id']", 1, 512);
			text(reaction.emoji, "reaction['emoji']", 0, 10);
			break;
		}
	}
	return { to, type };
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
		if (endpoint === "media_download") return this.download(segments[1] ?? "");
		const [version = "", node = ""] = segments;
		if (!VERSION.test(version)) {
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
