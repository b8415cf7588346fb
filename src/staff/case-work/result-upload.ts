import { MediaCheck } from "../../files/media-check";
import { Problem } from "../../http/problem";

/** Finished documents are PDFs of at most this size. */
export const MAX_RESULT_BYTES = 20 * 1024 * 1024;

/**
 * Streams an uploaded PDF into R2 without holding it in memory: the declared length is enforced
 * (R2 needs it for a stream), the first bytes must say PDF, and the SHA-256 is computed on the way.
 */
export async function storeResultPdf(
	bucket: R2Bucket,
	key: string,
	request: Request,
	metadata: Record<string, string>,
): Promise<{ size: number; sha256: string }> {
	const declared = Number(request.headers.get("content-length") ?? Number.NaN);
	if (!Number.isInteger(declared) || declared <= 0) {
		throw new Problem(
			411,
			"length-required",
			"Length required",
			"Send the PDF with a Content-Length header.",
		);
	}
	if (declared > MAX_RESULT_BYTES) {
		throw new Problem(
			413,
			"payload-too-large",
			"Payload too large",
			`The PDF may be at most ${MAX_RESULT_BYTES} bytes.`,
		);
	}
	const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
	if (type !== "application/pdf") {
		throw new Problem(
			415,
			"unsupported-media-type",
			"Unsupported media type",
			"Send the document as application/pdf.",
		);
	}
	if (request.body === null)
		throw new Problem(400, "empty-body", "Empty body", "The PDF is missing.");

	// The same checks as a resident's file: type by magic bytes, size, length, SHA-256; a file that
	// fails one is never committed to R2 (MediaCheck holds the last chunk back until all passed).
	const check = new MediaCheck({
		declared: "application/pdf",
		accepted: ["application/pdf"],
		maxBytes: MAX_RESULT_BYTES,
		contentLength: declared,
		expectedLength: declared,
		expectedSha256: [],
	});
	const sized = new FixedLengthStream(declared);
	try {
		await Promise.all([
			request.body.pipeThrough(check.stream).pipeTo(sized.writable),
			bucket.put(key, sized.readable, {
				httpMetadata: { contentType: "application/pdf" },
				customMetadata: metadata,
			}),
		]);
	} catch {
		check.dispose();
		await bucket.delete(key).catch(() => undefined);
		if (check.stopped?.reason === "wrong_type") {
			throw new Problem(
				415,
				"unsupported-media-type",
				"Not a PDF",
				"The file does not start like a PDF.",
			);
		}
		throw new Problem(
			400,
			"upload-failed",
			"Upload failed",
			"The body ended before Content-Length bytes.",
		);
	}
	if (check.sha256 === undefined) throw new Error("the PDF's SHA-256 was not computed");
	return { size: check.size, sha256: check.sha256 };
}
