/**
 * Exponential backoff with jitter, capped, and never sooner than the server asked
 * (`Retry-After`). Jitter spreads retries of many conversations after a shared outage.
 */
export function backoffDelay(
	attempt: number,
	options: { baseMs?: number; capMs?: number; retryAfterMs?: number; random?: () => number } = {},
): number {
	const { baseMs = 2_000, capMs = 10 * 60_000, retryAfterMs = 0, random = Math.random } = options;
	const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
	const jittered = exponential * (0.8 + 0.4 * random());
	return Math.round(Math.max(retryAfterMs, jittered));
}

/** The shortest and longest wait of work held by an outage of ours (see {@link heldDelay}). */
export const HELD_MIN_MS = 60_000;
export const HELD_MAX_MS = 10 * 60_000;

/**
 * The wait before work held by an outage of ours (the channel refuses the office's credentials)
 * is tried again, for as long as the outage lasts: half of how long the work has waited so far,
 * between 1 and 10 minutes, with jitter. The tries thin out as the outage goes on and need no
 * counter; none is spent either, as the work is not at fault. A token replaced is found within
 * 10 minutes.
 */
export function heldDelay(waitedMs: number, random: () => number = Math.random): number {
	const base = Math.min(HELD_MAX_MS, Math.max(HELD_MIN_MS, waitedMs / 2));
	return Math.round(base * (0.8 + 0.4 * random()));
}
