import { storeUpload } from "../upload";

/** Finished documents are PDFs of at most this size. */
export const MAX_RESULT_BYTES = 20 * 1024 * 1024;

/**
 * Streams an uploaded PDF into R2 without holding it in memory, with the checks of any staff
 * upload (see {@link storeUpload}): declared length, at most 20 MB, bytes that say PDF, SHA-256.
 */
export async function storeResultPdf(
	bucket: R2Bucket,
	key: string,
	request: Request,
	metadata: Record<string, string>,
): Promise<{ size: number; sha256: string }> {
	const { size, sha256 } = await storeUpload(bucket, key, request, {
		accepted: ["application/pdf"],
		maxBytes: MAX_RESULT_BYTES,
		metadata,
	});
	return { size, sha256 };
}
