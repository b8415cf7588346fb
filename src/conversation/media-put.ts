/**
 * The R2 writes of a resident's file as it streams in: one put of known length (checked on the
 * way, or verified by R2 itself against Meta's hash), or a multipart upload when the length is
 * unknown. media-store.ts decides which and what to check.
 *
 * @module
 */

import {
	type Failure,
	failed,
	HEAD_BYTES,
	type Refusal,
	type Stored,
	typeRefusal,
} from "../files/media-check";

/** R2's minimum multipart part size (all parts but the last must be this big and equal). */
const PART_BYTES = 5 << 20;

/** Where a file goes, and what R2 keeps with it. */
export interface PutTarget {
	bucket: R2Bucket;
	key: string;
	contentType: string;
	customMetadata: Record<string, string>;
}

/** One `put` of known length; with Meta's hash R2 itself refuses bytes that do not match it. */
export async function putWhole(
	target: PutTarget,
	body: ReadableStream<Uint8Array>,
	length: number,
	sha256: string | undefined,
): Promise<void> {
	// R2 accepts a stream only when its length is known up front: a FixedLengthStream says it.
	const sized = new FixedLengthStream(length);
	// If R2 gives up before reading everything, nobody drains `sized`: stop the pipe too.
	const stop = new AbortController();
	const [piped, put] = await Promise.allSettled([
		body.pipeTo(sized.writable, { signal: stop.signal }),
		target.bucket
			.put(target.key, sized.readable, {
				httpMetadata: { contentType: target.contentType },
				customMetadata: target.customMetadata,
				...(sha256 === undefined ? {} : { sha256 }),
			})
			.catch((error: unknown) => {
				stop.abort(error);
				throw error;
			}),
	]);
	if (piped.status === "rejected") throw piped.reason;
	if (put.status === "rejected") throw put.reason;
	if (put.value === null) throw new Error("R2 did not store the object");
}

/**
 * The usual case, a download of known length with Meta's hash: only the first bytes pass through
 * JavaScript (for the type), from one branch of a tee that is then dropped; the other branch goes
 * to R2 as it is, streamed by the runtime, and R2 itself refuses bytes that do not have the hash
 * (or the body's length), so nothing unverified is ever stored. A JavaScript stage would cost
 * about 25 µs per 4 KiB chunk of the download, as much again as the whole transfer (bench/,
 * docs/performance.md): CPU time Workers bill. (The channel's body comes under a deadline, piped
 * natively, see whatsapp/download-deadline.ts.)
 */
export async function putVerifiedByR2(
	target: PutTarget,
	body: ReadableStream<Uint8Array>,
	sha256: string,
	accepted: readonly string[],
): Promise<Stored | Refusal | Failure> {
	const [sniffed, stored] = body.tee();
	const reader = sniffed.getReader();
	const head: Uint8Array[] = [];
	let headLength = 0;
	try {
		while (headLength < HEAD_BYTES) {
			const { done, value } = await reader.read();
			if (done) break;
			head.push(value);
			headLength += value.byteLength;
		}
	} catch (error) {
		await stored.cancel().catch(() => undefined);
		return failed(true, `transfer: ${describe(error)}`);
	}
	// The tee holds only what this branch read ahead of the other: the first chunk or two.
	await reader.cancel().catch(() => undefined);
	const refusal = typeRefusal(firstBytes(head), target.contentType, accepted);
	if (refusal !== undefined) {
		await stored.cancel().catch(() => undefined);
		return refusal;
	}
	let object: R2Object | null;
	try {
		object = await target.bucket.put(target.key, stored, {
			httpMetadata: { contentType: target.contentType },
			customMetadata: target.customMetadata,
			sha256,
		});
	} catch (error) {
		// R2 may give up before reading the branch to its end: let the download go.
		await stored.cancel().catch(() => undefined);
		const detail = describe(error);
		// R2's code for a body whose SHA-256 is not the one given.
		if (detail.includes("(10037)")) {
			return failed(true, "SHA-256 of the download does not match Meta's");
		}
		return failed(true, `transfer: ${detail}`);
	}
	if (object === null) return failed(true, "transfer: R2 did not store the object");
	return {
		ok: true,
		key: target.key,
		size: object.size,
		mimeType: target.contentType,
		sha256,
	};
}

/** The first bytes of `chunks`, up to {@link HEAD_BYTES}. */
function firstBytes(chunks: Uint8Array[]): Uint8Array {
	const head = new Uint8Array(HEAD_BYTES);
	let filled = 0;
	for (const chunk of chunks) {
		const n = Math.min(HEAD_BYTES - filled, chunk.byteLength);
		head.set(chunk.subarray(0, n), filled);
		filled += n;
		if (filled === HEAD_BYTES) break;
	}
	return head.subarray(0, filled);
}

/**
 * For a download of unknown length (no `Content-Length`): a multipart upload, holding one 5 MiB
 * part at a time. Completed only after the whole stream passed its checks, so nothing unverified
 * ever becomes visible; any failure aborts the upload.
 */
export async function putInParts(
	target: PutTarget,
	body: ReadableStream<Uint8Array>,
): Promise<void> {
	const upload = await target.bucket.createMultipartUpload(target.key, {
		httpMetadata: { contentType: target.contentType },
		customMetadata: target.customMetadata,
	});
	const parts: R2UploadedPart[] = [];
	let part: Uint8Array | undefined;
	let filled = 0;
	const sink = new WritableStream<Uint8Array>({
		async write(chunk) {
			for (let offset = 0; offset < chunk.byteLength; ) {
				part ??= new Uint8Array(PART_BYTES);
				const n = Math.min(PART_BYTES - filled, chunk.byteLength - offset);
				part.set(chunk.subarray(offset, offset + n), filled);
				filled += n;
				offset += n;
				if (filled === PART_BYTES) {
					parts.push(await upload.uploadPart(parts.length + 1, part));
					part = undefined;
					filled = 0;
				}
			}
		},
		async close() {
			if (part !== undefined && filled > 0) {
				parts.push(await upload.uploadPart(parts.length + 1, part.subarray(0, filled)));
			}
			await upload.complete(parts);
		},
	});
	try {
		await body.pipeTo(sink);
	} catch (error) {
		await upload.abort().catch(() => undefined);
		throw error;
	}
}

/** An error's message, for a failure's detail. */
export function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
