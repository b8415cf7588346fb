/**
 * A fake of Meta's Graph API (WhatsApp Cloud API) as a real HTTP server on 127.0.0.1, for the
 * benchmarks (`npm run bench`): the worker under test is pointed at it with GRAPH_API_BASE.
 *
 * It speaks the wire format of /work/shared/whatsapp-cloud-api.md §6-§8:
 * - `POST /<v>/<pnid>/messages`: sends (`{"messaging_product":"whatsapp","contacts":[...],
 *   "messages":[{"id":"wamid..."}]}`) and mark-as-read (`"status":"read"` → `{"success":true}`),
 *   which, as Meta's does, also marks the resident's earlier messages read (those the driver
 *   registered with `inbound`, by their timestamp: within a second, Meta's order is not known);
 * - `GET /<v>/<mediaId>?phone_number_id=`: `{messaging_product, url, mime_type, sha256 (hex),
 *   file_size, id}`;
 * - `GET <url>` (Bearer token required, as Meta does): the bytes, with Content-Type and
 *   Content-Length;
 * - `POST /<v>/<pnid>/media` (multipart): the upload is read to the end (never kept) → `{id}`;
 * - errors as Meta's `{"error":{message,type,code,fbtrace_id}}` (190 for a bad token, 100 for a
 *   bad parameter or unknown object).
 *
 * Media are generated: deterministic bytes made 64 KiB at a time and never held whole (a 100 MB
 * PDF costs 64 KiB here), their SHA-256 computed once up front by streaming the same generator.
 * Every send is recorded per recipient and announced on `events` (`"send"`, `"send:<to>"`,
 * `"read"`), so a driver can await the bot's next reply to a resident.
 */
import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import http from "node:http";

export const CHUNK_BYTES = 64 * 1024;
const PDF_HEAD = "%PDF-1.7\n";
const JSON_TYPE = "application/json; charset=UTF-8";
const VERSION = /^v\d+\.\d+$/;
const MESSAGE_TYPES = new Set(["text", "interactive", "image", "document", "template", "reaction"]);

/**
 * The bytes of a generated file at `offset`, written into `chunk`: a head naming the file (so every
 * file differs) after `%PDF-1.7\n` for PDFs, then a pattern of period 251 shifted by the seed.
 */
function fillChunk(media, offset, chunk) {
	const period = 251;
	const shift = media.seed % period;
	const n = Math.min(period, chunk.length);
	for (let i = 0; i < n; i++) chunk[i] = (offset + i + shift) % period;
	for (let filled = period; filled < chunk.length; filled *= 2) {
		chunk.copyWithin(filled, 0, Math.min(filled, chunk.length - filled));
	}
	const head = media.head;
	if (offset < head.length) {
		head.copy(chunk, 0, offset, Math.min(head.length, offset + chunk.length));
	}
}

/** The file's bytes, one fresh chunk (at most 64 KiB) at a time. */
function* chunksOf(media) {
	for (let offset = 0; offset < media.size; offset += CHUNK_BYTES) {
		const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, media.size - offset));
		fillChunk(media, offset, chunk);
		yield chunk;
	}
}

function fbtraceId() {
	return `AFake${randomBytes(9).toString("hex")}`;
}

function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		"content-type": JSON_TYPE,
		"content-length": Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

/** Meta's synchronous error body (§8). */
function sendError(res, status, code, message, extra = {}) {
	const error = { message, type: extra.type ?? "OAuthException", code };
	if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
	if (extra.details !== undefined) {
		error.error_data = { messaging_product: "whatsapp", details: extra.details };
	}
	error.fbtrace_id = fbtraceId();
	sendJson(res, status, { error }, extra.headers);
}

async function readJson(req, limit = 1 << 20) {
	const parts = [];
	let size = 0;
	for await (const part of req) {
		size += part.length;
		if (size > limit) throw new Error("body too large");
		parts.push(part);
	}
	return JSON.parse(Buffer.concat(parts).toString("utf8"));
}

/** Writes a generated file with backpressure: at most one 64 KiB chunk waits in memory. */
async function streamMedia(res, media) {
	res.writeHead(200, {
		"content-type": media.mimeType,
		"content-length": String(media.size),
	});
	for (const chunk of chunksOf(media)) {
		if (res.destroyed) return;
		if (!res.write(chunk)) {
			await new Promise((resolve) => {
				const done = () => {
					res.off("drain", done);
					res.off("close", done);
					resolve();
				};
				res.on("drain", done);
				res.on("close", done);
			});
		}
	}
	res.end();
}

/**
 * Starts the fake. `token` is the access token the worker must present; `phoneNumberId` the
 * office's number. Resolves once listening on 127.0.0.1 (`port` 0: a free port).
 */
export async function startFakeGraph({ token, phoneNumberId, port = 0, host = "127.0.0.1" }) {
	const events = new EventEmitter();
	events.setMaxListeners(0);
	/** @type {Map<string, {id: string, to: string, type: string, body: object, at: number}[]>} */
	const sentTo = new Map();
	/**
	 * wamid of the resident's message → times it was marked read: by a mark of its own or, once,
	 * by a mark of a later message. More than 1: marked again when already read.
	 */
	const reads = new Map();
	/** wamid → [sender, timestamp] of each message the driver registered; per sender, unread ones. */
	const inboundOf = new Map();
	const unreadOf = new Map();
	const markRead = (id) => {
		reads.set(id, (reads.get(id) ?? 0) + 1);
		if (reads.get(id) === 1) stats.reads++;
	};
	const media = new Map();
	const stats = {
		sends: 0,
		/** Messages read (each once), by their own mark or a later one's. */
		reads: 0,
		/** Mark-as-read calls. */
		markCalls: 0,
		mediaInfo: 0,
		downloads: 0,
		downloadedBytes: 0,
		uploads: 0,
		uploadedBytes: 0,
		authFailures: 0,
		badRequests: 0,
	};
	let wamidCounter = 0;
	let uploadCounter = 0;
	let base = "";

	const authorized = (req, res) => {
		if (req.headers.authorization === `Bearer ${token}`) return true;
		stats.authFailures++;
		sendError(res, 401, 190, "Invalid OAuth access token - Cannot parse access token", {
			subcode: 463,
		});
		return false;
	};

	const badParameter = (res, details) => {
		stats.badRequests++;
		sendError(res, 400, 100, "(#100) Invalid parameter", { details });
	};

	async function onMessages(req, res, pnid) {
		let body;
		try {
			body = await readJson(req);
		} catch {
			return badParameter(res, "The request body is not valid JSON.");
		}
		if (body?.messaging_product !== "whatsapp") {
			return badParameter(res, "messaging_product must be whatsapp");
		}
		if (body.status === "read") {
			if (typeof body.message_id !== "string" || body.message_id === "") {
				return badParameter(res, "message_id is required");
			}
			stats.markCalls++;
			const marked = inboundOf.get(body.message_id);
			if (marked !== undefined) {
				const [from, timestamp] = marked;
				const unread = unreadOf.get(from) ?? new Set();
				for (const id of unread) {
					if (id === body.message_id) continue;
					if ((inboundOf.get(id)?.[1] ?? Infinity) > timestamp) continue;
					unread.delete(id);
					markRead(id);
				}
				unread.delete(body.message_id);
			}
			markRead(body.message_id);
			events.emit("read", body.message_id);
			return sendJson(res, 200, { success: true });
		}
		const to = body.to ?? body.recipient;
		if (typeof to !== "string" || to === "") return badParameter(res, "to is required");
		if (!MESSAGE_TYPES.has(body.type)) return badParameter(res, `type ${body.type} is not valid`);
		if (body[body.type] === undefined) {
			return badParameter(res, `the ${body.type} object is missing`);
		}
		wamidCounter++;
		const id = `wamid.FAKE${String(wamidCounter).padStart(10, "0")}`;
		const record = { id, phoneNumberId: pnid, to, type: body.type, body, at: Date.now() };
		let list = sentTo.get(to);
		if (list === undefined) {
			list = [];
			sentTo.set(to, list);
		}
		list.push(record);
		stats.sends++;
		events.emit("send", record);
		events.emit(`send:${to}`, record);
		sendJson(res, 200, {
			messaging_product: "whatsapp",
			contacts: [{ input: to, wa_id: to.replace(/^\+/, "") }],
			messages: [{ id }],
		});
	}

	function onMediaInfo(res, mediaId, url) {
		const item = media.get(mediaId);
		if (item === undefined) {
			stats.badRequests++;
			return sendError(
				res,
				400,
				100,
				`Unsupported get request. Object with ID '${mediaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
				{ type: "GraphMethodException", subcode: 33 },
			);
		}
		const pnid = url.searchParams.get("phone_number_id");
		if (pnid !== null && pnid !== phoneNumberId) {
			return badParameter(res, "phone_number_id does not own this media");
		}
		stats.mediaInfo++;
		sendJson(res, 200, {
			messaging_product: "whatsapp",
			url: `${base}/whatsapp_business/attachments/?mid=${encodeURIComponent(mediaId)}&ext=${Math.floor(Date.now() / 1000) + 300}`,
			mime_type: item.mimeType,
			sha256: item.sha256Hex,
			file_size: item.size,
			id: mediaId,
		});
	}

	async function onDownload(_req, res, url) {
		const item = media.get(url.searchParams.get("mid") ?? "");
		if (item === undefined) {
			return sendError(res, 404, 100, "Media not found", { type: "GraphMethodException" });
		}
		stats.downloads++;
		await streamMedia(res, item);
		stats.downloadedBytes += item.size;
	}

	async function onUpload(req, res) {
		const type = req.headers["content-type"] ?? "";
		if (!/^multipart\/form-data;\s*boundary=/i.test(type)) {
			req.resume();
			return badParameter(res, "The upload must be multipart/form-data.");
		}
		// Read to the end without keeping it: only the size matters here.
		let size = 0;
		for await (const part of req) size += part.length;
		uploadCounter++;
		stats.uploads++;
		stats.uploadedBytes += size;
		sendJson(res, 200, { id: `9${String(uploadCounter).padStart(15, "0")}` });
	}

	const server = http.createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? "/", "http://fake.graph");
			const parts = url.pathname.split("/").filter(Boolean);
			if (!authorized(req, res)) {
				req.resume();
				return;
			}
			if (req.method === "GET" && url.pathname === "/whatsapp_business/attachments/") {
				return await onDownload(req, res, url);
			}
			if (parts.length >= 2 && VERSION.test(parts[0] ?? "")) {
				if (req.method === "POST" && parts.length === 3 && parts[2] === "messages") {
					return await onMessages(req, res, parts[1]);
				}
				if (req.method === "POST" && parts.length === 3 && parts[2] === "media") {
					return await onUpload(req, res);
				}
				if (req.method === "GET" && parts.length === 2) {
					return onMediaInfo(res, decodeURIComponent(parts[1] ?? ""), url);
				}
			}
			req.resume();
			stats.badRequests++;
			sendError(res, 400, 2500, `Unknown path components: ${url.pathname}`);
		} catch (error) {
			if (!res.headersSent) {
				sendError(res, 500, 1, `An unknown error occurred (${error?.message ?? error})`);
			} else res.destroy();
		}
	});
	server.keepAliveTimeout = 30_000;
	server.headersTimeout = 35_000;
	server.requestTimeout = 0;
	const sockets = new Set();
	server.on("connection", (socket) => {
		sockets.add(socket);
		socket.on("close", () => sockets.delete(socket));
	});

	await new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, host, resolve);
	});
	const address = server.address();
	base = `http://${host}:${address.port}`;

	let mediaCounter = 0;
	return {
		base,
		port: address.port,
		events,
		stats,
		reads,
		/** Registers a message `from` sent (`timestamp` in seconds), for marks of later ones. */
		inbound(from, id, timestamp) {
			inboundOf.set(id, [from, timestamp]);
			let unread = unreadOf.get(from);
			if (unread === undefined) {
				unread = new Set();
				unreadOf.set(from, unread);
			}
			unread.add(id);
		},
		/** Everything sent to `to` so far, oldest first (the live array: do not modify). */
		sentTo(to) {
			return sentTo.get(to) ?? [];
		},
		recipients() {
			return [...sentTo.keys()];
		},
		/**
		 * Registers a generated file and returns what a webhook announces of it. Its SHA-256 is
		 * computed here by streaming the generator once (64 KiB at a time).
		 */
		addMedia({ size, mimeType = "application/pdf", seed = 0 }) {
			mediaCounter++;
			const id = `${7_000_000_000_000 + mediaCounter}`;
			const isPdf = mimeType === "application/pdf";
			const head = Buffer.from(`${isPdf ? PDF_HEAD : ""}%bench media ${id} seed ${seed}\n`);
			const item = { id, size, mimeType, seed, head, sha256Hex: "", sha256Base64: "" };
			const hash = createHash("sha256");
			for (const chunk of chunksOf(item)) hash.update(chunk);
			const digest = hash.digest();
			item.sha256Hex = digest.toString("hex");
			item.sha256Base64 = digest.toString("base64");
			media.set(id, item);
			return { id, size, mimeType, sha256Hex: item.sha256Hex, sha256Base64: item.sha256Base64 };
		},
		async close() {
			await new Promise((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			});
		},
	};
}
