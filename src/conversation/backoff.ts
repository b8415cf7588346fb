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
