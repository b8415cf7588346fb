/**
 * A file uploaded to the staff API as the raw body, streamed into R2 through the same checks as a
 * resident's WhatsApp file (MediaCheck: type by magic bytes, size limit, length, SHA-256), never
 * held in memory: the finished document, or a document filed for a resident.
 *
 * @module
 */

import { MediaCheck } from "../files/media-check";
import { Problem } from "../http/problem";

/** What an upload may be. */
export interface UploadRules {
	/** The accepted MIME types (the body's `Content-Type` must be one of them). */
	accepted: string[];
	maxBytes: number;
	/** Custom metadata of the R2 object. */
	metadata: Record<string, string>;
}

/** The stored object's facts. */
export interface StoredUpload {
	mimeType: string;
	size: number;
	sha256: string;
}

/** The columns every row recording a stored upload has (a draft's file, a held correction). */
export function storedFileColumns(id: string, docCode: string, key: string, stored: StoredUpload) {
	return {
		id,
		doc_code: docCode,
		r2_key: key,
		mime_type: stored.mimeType,
		size: stored.size,
		sha256: stored.sha256,
		created_at: Date.now(),
	};
}

/**
 * Streams the request's body to `key`. The declared length is enforced (R2 needs it for a
 * stream): 411 without one, 413 over the limit, 415 for a type not accepted or content that is
 * not what its `Content-Type` says, 400 for a body cut short. A file that fails a check is never
 * committed to R2 (MediaCheck holds the last chunk back until every check has passed).
 */
export async function storeUpload(
	bucket: R2Bucket,
	key: string,
	request: Request,
	rules: UploadRules,
): Promise<StoredUpload> {
	const declared = Number(request.headers.get("content-length") ?? Number.NaN);
	if (!Number.isInteger(declared) || declared <= 0) {
		throw new Problem(
			411,
			"length-required",
			"Length required",
			"Send the file with a Content-Length header.",
		);
	}
	if (declared > rules.maxBytes) {
		throw new Problem(
			413,
			"payload-too-large",
			"Payload too large",
			`The file may be at most ${rules.maxBytes} bytes.`,
		);
	}
	const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
	if (type === undefined || !rules.accepted.includes(type)) {
		throw new Problem(
			415,
			"unsupported-media-type",
			"Unsupported media type",
			`Send the file as ${rules.accepted.join(" or ")}.`,
			{ extensions: { accepted: rules.accepted } },
		);
	}
	if (request.body === null)
		throw new Problem(400, "empty-body", "Empty body", "The file is missing.");

	const check = new MediaCheck({
		declared: type,
		accepted: rules.accepted,
		maxBytes: rules.maxBytes,
		contentLength: declared,
		expectedLength: declared,
		expectedSha256: [],
	});
	const sized = new FixedLengthStream(declared);
	try {
		await Promise.all([
			request.body.pipeThrough(check.stream).pipeTo(sized.writable),
			bucket.put(key, sized.readable, {
				httpMetadata: { contentType: type },
				customMetadata: rules.metadata,
			}),
		]);
	} catch {
		check.dispose();
		await bucket.delete(key).catch(() => undefined);
		if (check.stopped?.reason === "wrong_type") {
			throw new Problem(
				415,
				"unsupported-media-type",
				"Content does not match its type",
				`The file's content is not ${type}.`,
			);
		}
		throw new Problem(
			400,
			"upload-failed",
			"Upload failed",
			"The body ended before Content-Length bytes.",
		);
	}
	if (check.sha256 === undefined) throw new Error("the upload's SHA-256 was not computed");
	return { mimeType: type, size: check.size, sha256: check.sha256 };
}
