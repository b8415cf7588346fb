/**
 * A download's body with an idle timeout. The Graph client's timeout covers a call until its
 * headers come; a body that then stalls (the connection open, no bytes) would hold the resident's
 * conversation forever, its download job never failing. Here every read of the body must bring
 * bytes within the idle time, or the transfer is stopped and fails, to be tried again.
 *
 * The bytes are passed on as they come, never collected: they are read in runs of at least
 * {@link MIN_READ_BYTES} (one JavaScript step per run, not per 4 KiB chunk of the network: the
 * file path keeps the bytes' trips through JavaScript few, see media-store.ts) into a native
 * stream of the body's length, which R2 reads as it reads the response itself.
 */

/** Each read waits for this many bytes at least (or the end), so that JavaScript sees few steps. */
export const MIN_READ_BYTES = 16 << 10;
const READ_BYTES = 256 << 10;

/** The body stalled: no bytes for `idleMs`. */
export class BodyStalledError extends Error {
	constructor(idleMs: number) {
		super(`media download stalled: no bytes for ${idleMs} ms`);
		this.name = "BodyStalledError";
	}
}

/**
 * `body`, passed on as it comes, failing with {@link BodyStalledError} when a read brings nothing
 * for `idleMs`; `onStall` then stops the transfer (the caller aborts its fetch). `length`: the
 * body's announced length, kept on the stream returned (R2 takes a stream of known length).
 */
export function withIdleTimeout(
	body: ReadableStream<Uint8Array>,
	options: { length: number | undefined; idleMs: number; onStall: (error: Error) => void },
): ReadableStream<Uint8Array> {
	const out =
		options.length === undefined
			? new IdentityTransformStream()
			: new FixedLengthStream(options.length);
	void pump(body, out.writable.getWriter(), options);
	return out.readable;
}

async function pump(
	body: ReadableStream<Uint8Array>,
	writer: WritableStreamDefaultWriter<ArrayBuffer | ArrayBufferView>,
	options: { idleMs: number; onStall: (error: Error) => void },
): Promise<void> {
	const { read, cancel } = readerOf(body);
	try {
		for (;;) {
			const result = await within(read(), options.idleMs);
			if (result.done) break;
			// Resolves once the reader took it: the body is read no faster than R2 stores it.
			await writer.write(result.value);
		}
		await writer.close();
	} catch (error) {
		if (error instanceof BodyStalledError) options.onStall(error);
		await writer.abort(error).catch(() => undefined);
		await cancel(error);
	}
}

/** Reads in runs (a byte stream, as the runtime's responses are), else chunk by chunk. */
function readerOf(body: ReadableStream<Uint8Array>): {
	read: () => Promise<ReadableStreamReadResult<Uint8Array>>;
	cancel: (reason: unknown) => Promise<void>;
} {
	let reader: ReadableStreamBYOBReader | ReadableStreamDefaultReader<Uint8Array>;
	try {
		reader = body.getReader({ mode: "byob" });
	} catch {
		// A stream made in JavaScript without `type: "bytes"`: its own chunks.
		const chunks = body.getReader();
		return { read: () => chunks.read(), cancel: (reason) => chunks.cancel(reason).catch(() => {}) };
	}
	const runs = reader;
	return {
		// A fresh buffer each time: the one just written may still be on its way to R2.
		read: () => runs.readAtLeast(MIN_READ_BYTES, new Uint8Array(READ_BYTES)),
		cancel: (reason) => runs.cancel(reason).catch(() => {}),
	};
}

/** `pending`, or a {@link BodyStalledError} when it takes longer than `idleMs`. */
async function within<T>(pending: Promise<T>, idleMs: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | null = null;
	const stalled = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new BodyStalledError(idleMs)), idleMs);
	});
	try {
		return await Promise.race([pending, stalled]);
	} finally {
		clearTimeout(timer);
	}
}
