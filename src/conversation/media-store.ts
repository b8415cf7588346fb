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
} from "../files/media-check";
import { log, maskId } from "../log";
import type { DownloadJob } from "./dialogue";
import { describe, putInParts, putVerifiedByR2, putWhole } from "./media-put";

export { type MediaOutcome, type SniffedMimeType, sniffMimeType } from "../files/media-check";

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
