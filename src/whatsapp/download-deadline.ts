/**
 * A download's deadline. The Graph client's timeout covers a call until its headers come; a body
 * that then stalls (the connection open, no bytes) would hold the resident's conversation forever,
 * its download job never failing. So the whole transfer must end by a deadline set from its
 * length, or the fetch is aborted (which errors the body for its reader) and the transfer fails,
 * to be tried again.
 *
 * A deadline, not an idle timer on each read: the bytes never pass through JavaScript (the body
 * goes to R2 as the runtime streams it), so the file path stays as cheap as a bare R2 put of the
 * download. A timer on each read cost the big file a JavaScript step per read and about 60 MiB
 * more of workerd's peak memory in the bench (docs/performance.md, twelfth pass).
 */

/** The slowest transfer taken as working: Meta's CDN to Cloudflare runs at megabytes a second. */
export const MIN_BYTES_PER_SECOND = 128 << 10;
/** A download whose length nobody announced is given the time of WhatsApp's largest file. */
const UNKNOWN_LENGTH_BYTES = 100 << 20;

/** The transfer did not end by its deadline (stalled, or far too slow). */
export class TransferTimeoutError extends Error {
	constructor(deadlineMs: number) {
		super(`media download stalled: not done within ${deadlineMs} ms`);
		this.name = "TransferTimeoutError";
	}
}

/**
 * The time a transfer of `length` bytes (else of WhatsApp's largest file) may take: `graceMs`
 * plus the bytes at {@link MIN_BYTES_PER_SECOND}. A 1 MiB photo gets 8 s more than the grace,
 * a 100 MiB file about 13 minutes (under a Durable Object alarm's 15).
 */
export function transferDeadlineMs(length: number | undefined, graceMs: number): number {
	return graceMs + Math.ceil(((length ?? UNKNOWN_LENGTH_BYTES) / MIN_BYTES_PER_SECOND) * 1000);
}

/**
 * Calls `onTimeout` with a {@link TransferTimeoutError} `deadlineMs` from now, unless the
 * function returned is called first (the transfer is over: its timer must not keep the
 * conversation's object awake for minutes).
 */
export function startDeadline(deadlineMs: number, onTimeout: (error: Error) => void): () => void {
	const timer = setTimeout(() => onTimeout(new TransferTimeoutError(deadlineMs)), deadlineMs);
	return () => clearTimeout(timer);
}
