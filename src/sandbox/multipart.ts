import { parseMultipart } from "multitars";

/**
 * `multipart/form-data` (RFC 7578) read as a stream, through `multitars`: parts come one at a
 * time, each body a stream with backpressure, so a 20 MB PDF in an upload is never held whole
 * (`request.formData()` would buffer it). This module only adapts it to what the fake Graph API
 * needs: field names, file names, content types, bodies, and one error type for bad input.
 */

/** Thrown for a body that is not the multipart it claims to be. */
export class MultipartError extends Error {}

/** One part: read or cancel `body` before asking for the next part. */
export interface Part {
	name: string;
	fileName: string | undefined;
	contentType: string | undefined;
	body: ReadableStream<Uint8Array>;
}

/**
 * The boundary of a `multipart/form-data` content type, if it is one. RFC 2046 also allows `=`
 * in a boundary; multitars stops a boundary there, so such a body is not taken for multipart.
 */
export function boundaryOf(contentType: string | null): string | undefined {
	if (contentType === null || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
	const match = /;\s*boundary=(?:"([^"=]{1,70})"|([^\s;"=]{1,70}))(?:$|[\s;])/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

function multipartError(error: unknown): MultipartError {
	if (error instanceof MultipartError) return error;
	return new MultipartError(error instanceof Error ? error.message : String(error));
}

/** A `name="value"` (or unquoted) parameter of a Content-Disposition header. */
function dispositionParam(disposition: string, key: string): string | undefined {
	return (
		new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(disposition)?.[1] ??
		new RegExp(`;\\s*${key}=([^\\s;"]+)`, "i").exec(disposition)?.[1]
	);
}

/** The library's part body, with its parse errors turned into MultipartError. */
function partBody(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
	const reader = source.getReader();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const { done, value } = await reader.read();
					if (done) controller.close();
					else controller.enqueue(value);
				} catch (error) {
					controller.error(multipartError(error));
				}
			},
			async cancel(reason) {
				// Cancelling skips the rest of the part in the library, which can find the body cut.
				await reader.cancel(reason).catch((error: unknown) => {
					throw multipartError(error);
				});
			},
		},
		// Nothing read ahead: the consumer's pace is the upload's pace.
		{ highWaterMark: 0 },
	);
}

/**
 * The parts of a multipart body, in order. Each part's body must be consumed (or cancelled)
 * before the next is asked for; an unconsumed body is skipped when the next part is requested.
 */
export async function* multipartParts(
	body: ReadableStream<Uint8Array>,
	boundary: string,
): AsyncGenerator<Part, void, undefined> {
	try {
		const parts = parseMultipart(body, {
			contentType: `multipart/form-data; boundary="${boundary}"`,
		});
		for await (const part of parts) {
			const disposition = part.headers["content-disposition"] ?? "";
			const name = dispositionParam(disposition, "name");
			if (name === undefined) throw new MultipartError("a part has no name");
			yield {
				name,
				fileName: dispositionParam(disposition, "filename"),
				contentType: part.headers["content-type"],
				body: partBody(part.stream()),
			};
		}
	} catch (error) {
		throw multipartError(error);
	}
}

/** Reads a small text part whole (field values only, never files). */
export async function readField(part: Part, limit = 4096): Promise<string> {
	const reader = part.body.getReader();
	const decoder = new TextDecoder();
	let text = "";
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			throw new MultipartError(`field ${part.name} is too long`);
		}
		text += decoder.decode(value, { stream: true });
	}
	return text + decoder.decode();
}
