import { z } from "zod";
import type { DownloadedMedia, MediaInfo, SendOptions, UploadSource } from "../channel/client";
import type { Settings } from "../env";
import { log } from "../log";
import { startDeadline, transferDeadlineMs } from "./download-deadline";
import { classifyGraphError, GraphError, parseRetryAfter } from "./graph-errors";
import { type OutboundMessage, TRACK_DELIVERY, toGraphPayload } from "./outbound-messages";

/** Everything the client needs; built from settings by the caller. */
export interface GraphClientOptions {
	base: string;
	version: string;
	token: string;
	phoneNumberId: string;
	/**
	 * Per-call timeout (a call that takes longer is a retryable failure), and the grace of a
	 * download's deadline (see download-deadline.ts).
	 */
	timeoutMs?: number;
	fetch?: typeof fetch;
}

const errorBodySchema = z.object({
	error: z.object({
		message: z.string().optional(),
		code: z.coerce.number().int().optional(),
		error_subcode: z.coerce.number().int().optional(),
		error_data: z.object({ details: z.string().optional() }).optional(),
	}),
});

const sendResultSchema = z.object({
	messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

const mediaInfoSchema = z.object({
	url: z.url(),
	mime_type: z.string().min(1),
	sha256: z.string().optional(),
	file_size: z.coerce.number().int().nonnegative().optional(),
	id: z.string(),
});

/**
 * Meta's Graph API for one business number: sending, marking read and media. Each failure comes
 * back as a classified {@link GraphError}; a message that breaks Meta's limits throws before
 * anything is sent.
 */
export class GraphClient {
	private readonly options: Required<Omit<GraphClientOptions, "fetch">>;
	private readonly fetcher: typeof fetch;

	constructor(options: GraphClientOptions) {
		this.options = { timeoutMs: 15_000, ...options, base: options.base.replace(/\/+$/, "") };
		// Late-bound so a test's replacement of globalThis.fetch is honoured.
		this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
	}

	private url(path: string): string {
		return `${this.options.base}/${this.options.version}/${path}`;
	}

	/** Sends a message; resolves to Meta's id for it (`wamid...`). */
	async send(to: string, message: OutboundMessage, options: SendOptions = {}): Promise<string> {
		const payload = {
			...toGraphPayload(to, message),
			// Meta echoes it in the message's status webhooks (see statusNeedsConversation).
			...(options.trackDelivery ? { biz_opaque_callback_data: TRACK_DELIVERY } : {}),
		};
		const response = await this.call(this.url(`${this.options.phoneNumberId}/messages`), {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(payload),
		});
		const result = sendResultSchema.safeParse(await response.json());
		if (!result.success) {
			throw new GraphError({ kind: "retryable", message: "send answered without a message id" });
		}
		return result.data.messages[0]?.id ?? "";
	}

	/** Marks a resident's message as read (blue ticks), optionally showing "typing...". */
	async markRead(messageId: string, options: { typing?: boolean } = {}): Promise<void> {
		await this.call(this.url(`${this.options.phoneNumberId}/messages`), {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({
				messaging_product: "whatsapp",
				status: "read",
				message_id: messageId,
				...(options.typing ? { typing_indicator: { type: "text" } } : {}),
			}),
		});
	}

	/** Step one of a download: where the file is (the URL lives 5 minutes). */
	async mediaInfo(mediaId: string): Promise<MediaInfo> {
		const url = `${this.url(encodeURIComponent(mediaId))}?phone_number_id=${encodeURIComponent(this.options.phoneNumberId)}`;
		const response = await this.call(url, { method: "GET" });
		const parsed = mediaInfoSchema.safeParse(await response.json());
		if (!parsed.success) {
			throw new GraphError({ kind: "retryable", message: "media info answer not understood" });
		}
		const { url: mediaUrl, mime_type, sha256, file_size, id } = parsed.data;
		return {
			id,
			url: mediaUrl,
			mimeType: mime_type,
			...(sha256 === undefined ? {} : { sha256 }),
			...(file_size === undefined ? {} : { fileSize: file_size }),
		};
	}

	/**
	 * Step two of a download, for a caller that looked at the {@link mediaInfo} first (to refuse a
	 * file by size or type without fetching it). The URL lives 5 minutes, so call it right away.
	 */
	async downloadFrom(info: MediaInfo): Promise<DownloadedMedia> {
		if (!this.mayCarryToken(info.url)) {
			const host = hostOf(info.url);
			log.warn("graph.media_host_refused", { host });
			throw new GraphError({
				kind: "permanent",
				message: `media URL on ${host}, not one of Meta's media hosts: not fetched with the token`,
			});
		}
		const controller = new AbortController();
		const response = await this.call(info.url, { method: "GET" }, { streaming: controller });
		if (response.body === null) {
			throw new GraphError({ kind: "retryable", message: "media download had no body" });
		}
		const announced = Number(response.headers.get("content-length") ?? Number.NaN);
		const length = Number.isFinite(announced) ? announced : undefined;
		// A body that stalls after the headers: the fetch is aborted by the transfer's deadline,
		// which errors the body for its reader, and the download is tried again.
		const stop = startDeadline(
			transferDeadlineMs(length ?? info.fileSize, this.options.timeoutMs),
			(error) => {
				log.warn("graph.download_stalled", { host: hostOf(info.url), detail: error.message });
				controller.abort(error);
			},
		);
		return {
			info,
			body: response.body,
			done: stop,
			contentType: response.headers.get("content-type") ?? info.mimeType,
			contentLength: length,
		};
	}

	/**
	 * Uploads a file for sending (ids live 30 days), streaming it inside a multipart body of
	 * known length, so a 20 MB PDF never sits in memory.
	 */
	async uploadMedia(source: UploadSource): Promise<string> {
		const boundary = `----disdukcapil${crypto.randomUUID().replaceAll("-", "")}`;
		const encoder = new TextEncoder();
		const safeName = source.fileName.replace(/["\r\n]/g, "_");
		const head = encoder.encode(
			`--${boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n` +
				`--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n${source.mimeType}\r\n` +
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\n` +
				`Content-Type: ${source.mimeType}\r\n\r\n`,
		);
		const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
		const total = head.byteLength + source.size + tail.byteLength;
		const { readable, writable } = new FixedLengthStream(total);
		const pump = (async () => {
			const writer = writable.getWriter();
			try {
				await writer.write(head);
				const reader = source.body.getReader();
				for (;;) {
					const { done, value } = await reader.read();
					if (done) break;
					await writer.write(value);
				}
				await writer.write(tail);
				await writer.close();
			} catch (error) {
				await writer.abort(error).catch(() => undefined);
			}
		})();
		const [response] = await Promise.all([
			this.call(this.url(`${this.options.phoneNumberId}/media`), {
				method: "POST",
				headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
				body: readable,
			}),
			pump,
		]);
		const parsed = z.object({ id: z.string().min(1) }).safeParse(await response.json());
		if (!parsed.success) {
			throw new GraphError({ kind: "retryable", message: "upload answered without a media id" });
		}
		return parsed.data.id;
	}

	/**
	 * Whether the access token may go to `url`: Meta's media hosts over https, or the configured
	 * Graph API base's own origin (where the sandbox's and the tests' fakes serve media).
	 */
	private mayCarryToken(url: string): boolean {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return false;
		}
		if (parsed.origin === new URL(this.options.base).origin) return true;
		return parsed.protocol === "https:" && parsed.port === "" && isMetaMediaHost(parsed.hostname);
	}

	/**
	 * One authenticated call; any failure becomes a classified GraphError. `streaming`: a download
	 * whose body must outlive the header timeout, under the caller's controller (which stops the
	 * body later, see download-deadline.ts).
	 */
	private async call(
		url: string,
		init: RequestInit,
		{ streaming }: { streaming?: AbortController } = {},
	): Promise<Response> {
		const headers = new Headers(init.headers);
		headers.set("authorization", `Bearer ${this.options.token}`);
		headers.set("user-agent", "disdukcapil-whatsapp/1.0");
		const controller = streaming ?? new AbortController();
		const timer = setTimeout(
			() => controller.abort(new Error(`timed out after ${this.options.timeoutMs} ms`)),
			this.options.timeoutMs,
		);
		let response: Response;
		try {
			// Never follow a redirect: the token would go along to wherever it points.
			response = await this.fetcher(url, {
				...init,
				headers,
				redirect: "manual",
				signal: controller.signal,
			});
		} catch (error) {
			throw new GraphError({
				kind: "retryable",
				message: `Graph API unreachable (${new URL(url).host}): ${error instanceof Error ? error.message : String(error)}`,
			});
		} finally {
			clearTimeout(timer);
		}
		if (response.ok) return response;
		if (response.status >= 300 && response.status < 400) {
			await response.body?.cancel();
			log.warn("graph.redirect_refused", { host: hostOf(url), status: response.status });
			throw new GraphError({
				kind: "permanent",
				message: `${hostOf(url)} answered a redirect (${response.status}): not followed with the token`,
				httpStatus: response.status,
			});
		}
		throw await this.toError(response);
	}

	private async toError(response: Response): Promise<GraphError> {
		let code: number | undefined;
		let subcode: number | undefined;
		let message = `Graph API answered ${response.status}`;
		let details: string | undefined;
		const text = await response.text().catch(() => "");
		try {
			const parsed = errorBodySchema.safeParse(JSON.parse(text));
			if (parsed.success) {
				code = parsed.data.error.code;
				subcode = parsed.data.error.error_subcode;
				message = parsed.data.error.message ?? message;
				details = parsed.data.error.error_data?.details;
			}
		} catch {
			// Not JSON (a proxy's HTML page, say): the HTTP status alone decides.
		}
		const kind = classifyGraphError(response.status, code);
		if (kind === "unauthorized") {
			// For the deployer (docs/deploy.md, "Rotating secrets"): every message and download
			// waits until the token works again; nothing is lost, nothing goes out.
			log.error("graph.token_broken", {
				alert: true,
				status: response.status,
				code,
				subcode,
				detail:
					"WHATSAPP_ACCESS_TOKEN is expired or invalid: rotate it; messages and downloads wait until then",
			});
		}
		const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
		return new GraphError({
			kind,
			message,
			httpStatus: response.status,
			...(code === undefined ? {} : { code }),
			...(retryAfterMs === undefined ? {} : { retryAfterMs }),
			...(details === undefined ? {} : { details }),
		});
	}
}

/**
 * The hosts Meta hands out media download URLs on (`lookaside.fbsbx.com` today, its CDNs and
 * facebook.com), as the URL parser names them: a look-alike or trailing-dot name is not one.
 */
export function isMetaMediaHost(hostname: string): boolean {
	return (
		hostname === "lookaside.fbsbx.com" ||
		hostname.endsWith(".fbcdn.net") ||
		hostname === "facebook.com" ||
		hostname.endsWith(".facebook.com")
	);
}

/** The host of a URL for logs and messages (never its path or query, which may hold ids). */
function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return "(not a URL)";
	}
}

/** A client for the office's number, configured from settings (throws ConfigError if broken). */
export function graphClientFor(settings: Settings, phoneNumberId: string): GraphClient {
	return new GraphClient({
		base: settings.get("GRAPH_API_BASE"),
		version: settings.get("GRAPH_API_VERSION"),
		token: settings.get("WHATSAPP_ACCESS_TOKEN"),
		timeoutMs: settings.get("GRAPH_TIMEOUT_MS"),
		phoneNumberId,
	});
}
