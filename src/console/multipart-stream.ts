/**
 * The one file of a browser's multipart form, as a stream: for the upload form that works without
 * script. `parseBody()`/`formData()` would hold the whole file in the Worker's memory; this reads
 * the part's headers, then passes the bytes through as they arrive.
 *
 * The form must carry exactly one field, the file (CSRF rests on the Origin check, so there is no
 * token field). Then the file's length is known before its bytes are read: the body's
 * Content-Length less the part's headers and the closing delimiter a browser writes
 * (`\r\n--boundary--\r\n`). The API needs that length up front (it streams into R2, which must be
 * told). A body that does not end with that delimiter, or with a delimiter inside the file's bytes
 * (a second field), errors the stream, so the API stores nothing.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** More than any part header a browser writes (name, file name, type). */
const MAX_HEAD_BYTES = 8 * 1024;

/** The file of the form: its declared type and name, exact size, and its bytes to stream. */
export interface FilePart {
	type: string;
	fileName: string;
	size: number;
	body: ReadableStream<Uint8Array>;
}

/** Why the body is not a one-file form (the caller answers 400, or 411 without a length). */
export type PartProblem = "no-length" | "not-multipart" | "malformed" | "empty";

/** Where `needle` first occurs in `haystack`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return i;
	}
	return -1;
}

/** Stops reading the body; the client may be gone already, which changes nothing here. */
async function quietly(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	await reader.cancel().catch(() => undefined);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

/** A header parameter (`name="file"`) of the part's Content-Disposition. */
function param(header: string, name: string): string | undefined {
	return new RegExp(`;\\s*${name}="([^"]*)"`, "i").exec(header)?.[1];
}

/** Reads the form's head and returns its one file part, streaming, or why it cannot. */
export async function filePart(request: Request): Promise<FilePart | PartProblem> {
	const total = Number(request.headers.get("content-length") ?? Number.NaN);
	if (!Number.isInteger(total) || total <= 0) return "no-length";
	const type = request.headers.get("content-type") ?? "";
	const boundary = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(type);
	const mark = boundary?.[1] ?? boundary?.[2];
	if (mark === undefined || request.body === null) return "not-multipart";

	const reader = request.body.getReader();
	let buffer: Uint8Array = new Uint8Array(0);
	let headEnd = -1;
	while (headEnd < 0) {
		const { done, value } = await reader.read();
		if (done || buffer.length > MAX_HEAD_BYTES) {
			await quietly(reader);
			return "malformed";
		}
		buffer = concat(buffer, value);
		headEnd = indexOf(buffer, encoder.encode("\r\n\r\n"));
	}
	const head = decoder.decode(buffer.subarray(0, headEnd));
	const [opening, ...lines] = head.split("\r\n");
	const disposition = lines.find((l) => /^content-disposition:/i.test(l)) ?? "";
	const fileName = param(disposition, "filename");
	if (opening !== `--${mark}` || fileName === undefined) {
		await quietly(reader);
		return "malformed";
	}
	const partType = lines
		.find((l) => /^content-type:/i.test(l))
		?.replace(/^content-type:\s*/i, "")
		.trim();
	const closing = encoder.encode(`\r\n--${mark}--\r\n`);
	const size = total - (headEnd + 4) - closing.length;
	if (size <= 0) {
		await quietly(reader);
		return size === 0 ? "empty" : "malformed";
	}
	return {
		type: partType === undefined || partType === "" ? "application/octet-stream" : partType,
		fileName,
		size,
		body: fileBytes(reader, buffer.subarray(headEnd + 4), size, closing),
	};
}

/** The next `size` bytes of the body (after `first`), then a check that only `closing` follows. */
function fileBytes(
	reader: ReadableStreamDefaultReader<Uint8Array>,
	first: Uint8Array,
	size: number,
	closing: Uint8Array,
): ReadableStream<Uint8Array> {
	let pending: Uint8Array = first;
	let left = size;
	let tail: Uint8Array = new Uint8Array(0);
	// A delimiter inside the file's bytes means another part follows: the length was wrong.
	const delimiter = closing.subarray(0, closing.length - 4);
	let seen: Uint8Array = new Uint8Array(0);
	return new ReadableStream<Uint8Array>({
		// Loops until it enqueues, closes or errors: a pull that does neither may not be called again.
		async pull(controller) {
			for (;;) {
				if (pending.length === 0) {
					const { done, value } = await reader.read();
					if (done) {
						if (left > 0) controller.error(new Error("the form ended inside its file"));
						else if (tail.length !== closing.length || indexOf(tail, closing) !== 0) {
							controller.error(new Error("the form does not end after its one file"));
						} else controller.close();
						return;
					}
					pending = value;
				}
				if (left > 0) {
					const take = Math.min(left, pending.length);
					const chunk = pending.subarray(0, take);
					const window = concat(seen, chunk);
					if (indexOf(window, delimiter) >= 0) {
						controller.error(new Error("the form carries more than its one file"));
						await quietly(reader);
						return;
					}
					seen = window.subarray(Math.max(0, window.length - delimiter.length + 1));
					controller.enqueue(chunk);
					left -= take;
					pending = pending.subarray(take);
					return;
				}
				// Past the file: what remains is the closing delimiter, kept to check it.
				if (tail.length + pending.length > closing.length) {
					controller.error(new Error("the form carries more than its one file"));
					await quietly(reader);
					return;
				}
				tail = concat(tail, pending);
				pending = new Uint8Array(0);
			}
		},
		async cancel(reason) {
			await reader.cancel(reason).catch(() => undefined);
		},
	});
}
