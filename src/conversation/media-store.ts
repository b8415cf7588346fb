/**
 * Moves one file a resident sent into R2, streamed from the channel (WhatsApp) to R2 so that a
 * 100 MB PDF never sits in a Worker's 128 MB. On the way the bytes are checked against the type the
 * resident's phone declared, the size limit and the channel's hashes; whatever goes wrong, no
 * partial or unverified object is left behind.
 */
import type { ChannelClient, ChannelFailure } from "../channel/client";
import { toHex } from "../crypto";
import {
	type Failure,
	failed,
	HEAD_BYTES,
	MediaCheck,
	type MediaOutcome,
	type Refusal,
	refuse,
	type Stored,
	typeRefusal,
} from "../files/media-check";
import { log, maskId } from "../log";
import type { DownloadJob } from "./dialogue";

export { type MediaOutcome, type SniffedMimeType, sniffMimeType } from "../files/media-check";

/** R2's minimum multipart part size (all parts but the last must be this big and equal). */
const PART_BYTES = 5 << 20;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The R2 key of a file: `requests/<request id>/<document code>/<message id>` (a complaint's photo:
 * `complaints/<complaint id>/...`, a file for the staff holding the chat: `handoffs/<hand-off
 * id>/...`), each part URI-encoded.
 */
export function mediaKey(
	requestId: string,
	docCode: string,
	messageId: string,
	prefix: "requests" | "complaints" | "handoffs" = "requests",
): string {
	// Encoding keeps a "/" (base64 in wamids) from adding a level; ordinary ids are unchanged.
	return [prefix, requestId, docCode, messageId].map(encodeURIComponent).join("/");
}

/**
 * Downloads `job`'s media from Meta and stores it in `bucket` under {@link mediaKey}, streamed.
 * Refuses without downloading when the declared type is not accepted or Meta's size is over
 * `maxBytes`; stops mid-stream (and stores nothing) when the bytes are not the declared type, pass
 * `maxBytes`, are cut short or do not match Meta's hash or the webhook's. Storing the same message
 * again is a no-op answered from the stored object. Never throws for channel, network or R2 trouble.
 */
export async function storeMedia(
	channel: ChannelClient,
	bucket: R2Bucket,
	job: DownloadJob,
): Promise<MediaOutcome> {
	let outcome: MediaOutcome;
	try {
		outcome = await store(channel, bucket, job);
	} catch (error) {
		outcome = failed(true, `unexpected: ${describe(error)}`);
	}
	if (!outcome.ok) {
		log.warn("media.not_stored", {
			reason: outcome.reason,
			retryable: outcome.reason === "failed" ? outcome.retryable : false,
			detail: outcome.detail,
			requestId: job.requestId,
			docCode: job.docCode,
			// A wamid encodes the sender's phone number, so it is masked like one.
			messageId: maskId(job.messageId),
			mediaId: maskId(job.mediaId),
		});
	}
	return outcome;
}

async function store(
	channel: ChannelClient,
	bucket: R2Bucket,
	job: DownloadJob,
): Promise<MediaOutcome> {
	const declared = baseMime(job.declaredMime);
	const accepted = job.acceptedTypes.map(baseMime);
	if (!accepted.includes(declared)) {
		return refuse("wrong_type", `${declared || "no type"} is not one of ${accepted.join(", ")}`);
	}
	const announced =
		job.announcedSha256 === undefined ? undefined : normalizeSha256(job.announcedSha256);
	if (job.announcedSha256 !== undefined && announced === undefined) {
		log.warn("media.announced_hash_unreadable", { requestId: job.requestId, docCode: job.docCode });
	}
	const key = mediaKey(job.requestId, job.docCode, job.messageId, job.prefix);

	// A redelivered webhook or a retried job finds the file already stored (objects only ever
	// appear whole and verified), so neither downloads it again nor deletes it on a later failure.
	const existing = await bucket.head(key);
	const previous = existing === null ? undefined : storedOutcome(existing, key, announced);
	if (previous !== undefined) return previous;

	const found = await channel.mediaInfo(job.mediaId);
	if (!found.ok) return channelFailed(found, "media info");
	const info = found.value;
	if (info.fileSize !== undefined && info.fileSize > job.maxBytes) {
		return refuse("too_large", `${info.fileSize} bytes is over the limit of ${job.maxBytes}`);
	}
	const metaHex = info.sha256 === undefined ? undefined : normalizeSha256(info.sha256);
	if (info.sha256 !== undefined && metaHex === undefined) {
		log.warn("media.meta_hash_unreadable", { requestId: job.requestId, docCode: job.docCode });
	}

	const fetched = await channel.download(info);
	if (!fetched.ok) return channelFailed(fetched, "media download");
	const download = fetched.value;
	// The deadline ends with the transfer, whichever way it goes.
	try {
		const length = download.contentLength;
		const early = checkLength(length, info.fileSize, job.maxBytes);
		if (early !== undefined) {
			await download.body.cancel().catch(() => undefined);
			return early;
		}

		const expectedSha256 = [metaHex, announced].filter((hex) => hex !== undefined);
		const customMetadata: Record<string, string> = {
			requestId: job.requestId,
			docCode: job.docCode,
			messageId: job.messageId,
			...(job.fileName === undefined ? {} : { fileName: job.fileName }),
			...(expectedSha256[0] === undefined ? {} : { sha256: expectedSha256[0] }),
		};
		const target = { bucket, key, contentType: declared, customMetadata };
		const sha256 = expectedSha256[0];
		if (
			length !== undefined &&
			length >= HEAD_BYTES &&
			sha256 !== undefined &&
			expectedSha256.every((hex) => hex === sha256)
		) {
			const stored = await putVerifiedByR2(target, download.body, sha256, accepted);
			if (stored.ok)
				return { ...stored, ...(job.fileName === undefined ? {} : { fileName: job.fileName }) };
			return stored;
		}
		const check = new MediaCheck({
			declared,
			accepted,
			maxBytes: job.maxBytes,
			contentLength: length,
			expectedLength: length ?? info.fileSize,
			expectedSha256,
		});
		try {
			const body = download.body.pipeThrough(check.stream);
			if (length === undefined) await putInParts(target, body);
			else await putWhole(target, body, length, expectedSha256[0]);
			if (check.stopped !== undefined) throw new Error(check.stopped.detail);
		} catch (error) {
			check.dispose();
			// A safety net: MediaCheck already keeps a failing file from being committed, and R2
			// writes are atomic; deleting a key that does not exist is harmless.
			await bucket.delete(key).catch((e: unknown) => {
				log.error("media.cleanup_failed", {
					requestId: job.requestId,
					docCode: job.docCode,
					detail: describe(e),
				});
			});
			return check.stopped ?? failed(true, `transfer: ${describe(error)}`);
		}
		return {
			ok: true,
			key,
			size: check.size,
			mimeType: declared,
			sha256: check.sha256 ?? "",
			...(job.fileName === undefined ? {} : { fileName: job.fileName }),
		};
	} finally {
		download.done();
	}
}

interface PutTarget {
	bucket: R2Bucket;
	key: string;
	contentType: string;
	customMetadata: Record<string, string>;
}

/** One `put` of known length; with Meta's hash R2 itself refuses bytes that do not match it. */
async function putWhole(
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
async function putVerifiedByR2(
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
async function putInParts(target: PutTarget, body: ReadableStream<Uint8Array>): Promise<void> {
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

/** An object stored by an earlier run, as an outcome, if its hash is known and agrees. */
function storedOutcome(
	object: R2Object,
	key: string,
	announced: string | undefined,
): Stored | undefined {
	const checksum = object.checksums.sha256;
	const sha256 = checksum === undefined ? object.customMetadata?.sha256 : toHex(checksum);
	if (sha256 === undefined || (announced !== undefined && sha256 !== announced)) return undefined;
	const fileName = object.customMetadata?.fileName;
	return {
		ok: true,
		key,
		size: object.size,
		mimeType: object.httpMetadata?.contentType ?? "application/octet-stream",
		sha256,
		...(fileName === undefined ? {} : { fileName }),
	};
}

/** What the download's `Content-Length` alone says is wrong, before a byte is read. */
function checkLength(
	length: number | undefined,
	fileSize: number | undefined,
	maxBytes: number,
): Refusal | Failure | undefined {
	if (length === undefined) return undefined;
	if (length > maxBytes)
		return refuse("too_large", `${length} bytes is over the limit of ${maxBytes}`);
	if (fileSize !== undefined && length !== fileSize) {
		return failed(true, `Meta described ${fileSize} bytes but sends ${length}`);
	}
	return undefined;
}

/** The channel's classified failure of one step, as an outcome (the channel decides `retryable`). */
function channelFailed(failure: ChannelFailure, step: "media info" | "media download"): Failure {
	return failed(
		failure.retryable,
		`${step}: ${failure.detail}`,
		failure.retryAfterMs,
		failure.unauthorized,
	);
}

/** `image/JPEG; x=y` → `image/jpeg`. */
function baseMime(mime: string): string {
	return (mime.split(";")[0] ?? "").trim().toLowerCase();
}

/** A SHA-256 as lowercase hex, from hex (Meta's media endpoint) or base64 (its webhooks). */
function normalizeSha256(value: string): string | undefined {
	const trimmed = value.trim();
	if (HEX_SHA256.test(trimmed.toLowerCase())) return trimmed.toLowerCase();
	let binary: string;
	try {
		binary = atob(trimmed.replaceAll("-", "+").replaceAll("_", "/"));
	} catch {
		return undefined;
	}
	if (binary.length !== 32) return undefined;
	return toHex(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
