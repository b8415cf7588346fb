/**
 * A streaming reader of `multipart/form-data` (RFC 7578): parts come one at a time, each body a
 * stream, so a 20 MB PDF in an upload is never held whole (`request.formData()` would buffer it).
 * Only what the fake Graph API needs: field names, file names, content types, bodies.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CRLF = encoder.encode("\r\n");
const HEADER_END = encoder.encode("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

/** Thrown for a body that is not the multipart it claims to be. */
export class MultipartError extends Error {}

/** One part: read or cancel `body` before asking for the next part. */
export interface Part {
	name: string;
	fileName: string | undefined;
	contentType: string | undefined;
	body: ReadableStream<Uint8Array>;
}

/** The boundary of a `multipart/form-data` content type, if it is one. */
export function boundaryOf(contentType: string | null): string | undefined {
	if (contentType === null || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
	const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
	const first = needle[0];
	outer: for (
		let i = haystack.indexOf(first ?? 0, from);
		i !== -1;
		i = haystack.indexOf(first ?? 0, i + 1)
	) {
		if (i + needle.length > haystack.length) return -1;
		for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return i;
	}
	return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.byteLength === 0) return b;
	const joined = new Uint8Array(a.byteLength + b.byteLength);
	joined.set(a);
	joined.set(b, a.byteLength);
	return joined;
}

/** A byte source with a small look-ahead buffer. */
class Source {
	private buffer: Uint8Array;
	private done = false;
	private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

	constructor(reader: ReadableStreamDefaultReader<Uint8Array>, initial: Uint8Array) {
		this.reader = reader;
		this.buffer = initial;
	}

	private async more(): Promise<boolean> {
		if (this.done) return false;
		const { done, value } = await this.reader.read();
		if (done) {
			this.done = true;
			return false;
		}
		this.buffer = concat(this.buffer, value);
		return true;
	}

	/**
	 * The next bytes before `pattern`: `end` once the pattern was reached (and consumed). Bytes
	 * that could be the start of the pattern are kept back; a chunk that is not the end holds at
	 * least one byte. Undefined when the stream ends before the pattern.
	 */
	async next(pattern: Uint8Array): Promise<{ bytes: Uint8Array; end: boolean } | undefined> {
		for (;;) {
			const at = indexOf(this.buffer, pattern);
			if (at !== -1) {
				const bytes = this.buffer.slice(0, at);
				this.buffer = this.buffer.subarray(at + pattern.byteLength);
				return { bytes, end: true };
			}
			const safe = this.buffer.byteLength - (pattern.byteLength - 1);
			if (safe > 0) {
				const bytes = this.buffer.slice(0, safe);
				this.buffer = this.buffer.subarray(safe);
				return { bytes, end: false };
			}
			if (!(await this.more())) return undefined;
		}
	}

	/** Reads up to and past `pattern`, returning what came before it (at most `limit` bytes). */
	async collect(pattern: Uint8Array, limit: number): Promise<Uint8Array | undefined> {
		let collected: Uint8Array = new Uint8Array(0);
		for (;;) {
			const step = await this.next(pattern);
			if (step === undefined) return undefined;
			collected = concat(collected, step.bytes);
			if (collected.byteLength > limit) throw new MultipartError("multipart headers too long");
			if (step.end) return collected;
		}
	}

	/** Reads past `pattern`, dropping what comes before it; false when the stream ends first. */
	async skipPast(pattern: Uint8Array): Promise<boolean> {
		for (;;) {
			const step = await this.next(pattern);
			if (step === undefined) return false;
			if (step.end) return true;
		}
	}

	/** The next `n` bytes (fewer at the end of the stream). */
	async peek(n: number): Promise<Uint8Array> {
		while (this.buffer.byteLength < n && (await this.more())) {}
		return this.buffer.subarray(0, n);
	}

	skip(n: number): void {
		this.buffer = this.buffer.subarray(n);
	}

	async cancel(): Promise<void> {
		await this.reader.cancel().catch(() => undefined);
	}
}

function parseHeaders(raw: string): Omit<Part, "body"> {
	const headers = new Map<string, string>();
	for (const line of raw.split("\r\n")) {
		const colon = line.indexOf(":");
		if (colon > 0)
			headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	const disposition = headers.get("content-disposition") ?? "";
	if (!/^form-data\s*;/i.test(disposition)) {
		throw new MultipartError("a part has no Content-Disposition: form-data");
	}
	const param = (key: string) =>
		new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(disposition)?.[1] ??
		new RegExp(`;\\s*${key}=([^\\s;"]+)`, "i").exec(disposition)?.[1];
	const name = param("name");
	if (name === undefined) throw new MultipartError("a part has no name");
	return { name, fileName: param("filename"), contentType: headers.get("content-type") };
}

/**
 * The parts of a multipart body, in order. Each part's body must be consumed (or cancelled)
 * before the next is asked for; an unconsumed body is drained when the next part is requested.
 */
export async function* multipartParts(
	body: ReadableStream<Uint8Array>,
	boundary: string,
): AsyncGenerator<Part, void, undefined> {
	// Seen as "\r\n--boundary" everywhere, the first delimiter included, thanks to a leading CRLF.
	const delimiter = encoder.encode(`\r\n--${boundary}`);
	const source = new Source(body.getReader(), CRLF);
	try {
		if (!(await source.skipPast(delimiter))) {
			throw new MultipartError("no multipart boundary in the body");
		}
		for (;;) {
			const after = await source.peek(2);
			if (after[0] === 0x2d && after[1] === 0x2d) return; // "--": the closing delimiter
			// Transport padding, then the CRLF that ends the delimiter line.
			if ((await source.collect(CRLF, 256)) === undefined) {
				throw new MultipartError("truncated multipart body");
			}
			// A part without headers starts with the blank line itself.
			const blank = await source.peek(2);
			let head: Uint8Array | undefined;
			if (blank[0] === 0x0d && blank[1] === 0x0a) {
				source.skip(2);
				head = new Uint8Array(0);
			} else {
				head = await source.collect(HEADER_END, MAX_HEADER_BYTES);
			}
			if (head === undefined) throw new MultipartError("truncated multipart headers");
			const meta = parseHeaders(decoder.decode(head));

			// Changed by the body's callbacks while the consumer reads it.
			const part: { state: "unread" | "reading" | "done" | "truncated" } = { state: "unread" };
			let settle: () => void = () => undefined;
			const settled = new Promise<void>((resolve) => {
				settle = resolve;
			});
			const partBody = new ReadableStream<Uint8Array>(
				{
					async pull(controller) {
						part.state = "reading";
						// Each pull enqueues at least one byte or ends the part: backpressure holds.
						const step = await source.next(delimiter);
						if (step === undefined) {
							part.state = "truncated";
							controller.error(new MultipartError("truncated multipart part"));
							settle();
							return;
						}
						if (step.bytes.byteLength > 0) controller.enqueue(step.bytes);
						if (step.end) {
							part.state = "done";
							controller.close();
							settle();
						}
					},
					cancel() {
						settle();
					},
				},
				{ highWaterMark: 0 },
			);
			yield { ...meta, body: partBody };
			if (part.state === "reading") await settled;
			// A body the consumer skipped or cancelled: read past the rest of it.
			if (part.state === "unread" || part.state === "reading") {
				await partBody.cancel().catch(() => undefined);
				part.state = (await source.skipPast(delimiter)) ? "done" : "truncated";
			}
			if (part.state === "truncated") throw new MultipartError("truncated multipart part");
		}
	} finally {
		await source.cancel();
	}
}

/** Reads a small text part whole (field values only, never files). */
export async function readField(part: Part, limit = 4096): Promise<string> {
	const reader = part.body.getReader();
	let bytes: Uint8Array = new Uint8Array(0);
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		bytes = concat(bytes, value);
		if (bytes.byteLength > limit) {
			await reader.cancel();
			throw new MultipartError(`field ${part.name} is too long`);
		}
	}
	return decoder.decode(bytes);
}
