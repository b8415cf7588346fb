import { Problem } from "./problem";

/**
 * Reads a request body whole, refusing it once it passes `limit` bytes: the declared length is
 * checked first, then the bytes actually read (a sender may lie or omit Content-Length).
 */
export async function readCappedBody(
	request: Request,
	limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
	const tooLarge = () =>
		new Problem(413, "payload-too-large", "Payload too large", `The body exceeds ${limit} bytes.`);
	const declared = Number(request.headers.get("content-length") ?? Number.NaN);
	if (Number.isFinite(declared) && declared > limit) throw tooLarge();
	if (request.body === null) return new Uint8Array(0);
	if (Number.isFinite(declared)) {
		// The runtime enforces Content-Length, so a declared body within the cap is read natively.
		const body = new Uint8Array(await request.arrayBuffer());
		if (body.byteLength > limit) throw tooLarge();
		return body;
	}

	const chunks: Uint8Array[] = [];
	let total = 0;
	const reader = request.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > limit) {
			await reader.cancel();
			throw tooLarge();
		}
		chunks.push(value);
	}
	const body = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		body.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return body;
}
