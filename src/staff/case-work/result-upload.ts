import { toHex } from "../../crypto";
import { Problem } from "../../http/problem";

/** Finished documents are PDFs of at most this size. */
export const MAX_RESULT_BYTES = 20 * 1024 * 1024;
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

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

	const digest = new crypto.DigestStream("SHA-256");
	const digestWriter = digest.getWriter();
	let head = new Uint8Array(0);
	let notPdf = false;
	const check = new TransformStream<Uint8Array, Uint8Array>({
		async transform(chunk, controller) {
			if (head.length < PDF_MAGIC.length) {
				const merged = new Uint8Array(head.length + chunk.length);
				merged.set(head);
				merged.set(chunk, head.length);
				head = merged.slice(0, PDF_MAGIC.length);
				if (head.length >= PDF_MAGIC.length && !PDF_MAGIC.every((b, i) => head[i] === b)) {
					notPdf = true;
					controller.error(new Error("not a PDF"));
					return;
				}
			}
			await digestWriter.write(chunk);
			controller.enqueue(chunk);
		},
	});
	const sized = new FixedLengthStream(declared);
	try {
		await Promise.all([
			request.body.pipeThrough(check).pipeTo(sized.writable),
			bucket.put(key, sized.readable, {
				httpMetadata: { contentType: "application/pdf" },
				customMetadata: metadata,
			}),
		]);
	} catch {
		await bucket.delete(key).catch(() => undefined);
		if (notPdf) {
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
	await digestWriter.close();
	return { size: declared, sha256: toHex(await digest.digest) };
}
