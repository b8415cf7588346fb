/**
 * How a failed Graph API call should be treated, from HTTP status and Meta's error code
 * (the classification courier uses, with 131047 split out because it needs a template, and a
 * refused access token split out because it is an outage of ours, not the call's fault).
 */
export type GraphErrorKind =
	| "throttled"
	| "retryable"
	| "window_closed"
	| "unauthorized"
	| "permanent";

const THROTTLED_CODES = new Set([4, 80007, 130429, 131048, 131056, 133016]);
const RETRYABLE_CODES = new Set([1, 2, 131053]);
export const WINDOW_CLOSED_CODE = 131047;
export const TOKEN_BROKEN_CODE = 190;

/**
 * Codes that, in a failed status webhook (`statuses[].errors`), say the message may go through if
 * sent again later: the same throttling and passing errors a synchronous answer is retried for,
 * and 131000 ("Something went wrong"), Meta's generic failure, which a status reports without the
 * HTTP 5xx that would make the synchronous answer retryable.
 */
export function isPassingDeliveryFailure(code: number): boolean {
	return THROTTLED_CODES.has(code) || RETRYABLE_CODES.has(code) || code === 131000;
}

export function classifyGraphError(
	httpStatus: number | undefined,
	code: number | undefined,
): GraphErrorKind {
	if (code === WINDOW_CLOSED_CODE) return "window_closed";
	// Meta's 190 (expired or invalid token) comes with HTTP 400 or 401; a 401 from the media host
	// may carry no Graph body at all. Either way no call can succeed until the token is replaced.
	if (code === TOKEN_BROKEN_CODE || httpStatus === 401) return "unauthorized";
	if (httpStatus === 429 || (code !== undefined && THROTTLED_CODES.has(code))) return "throttled";
	if (code !== undefined && RETRYABLE_CODES.has(code)) return "retryable";
	if (httpStatus === undefined || httpStatus >= 500) return "retryable";
	return "permanent";
}

/** A failed Graph API call, classified. `retryAfterMs` is set when Meta said when to retry. */
export class GraphError extends Error {
	readonly kind: GraphErrorKind;
	readonly httpStatus: number | undefined;
	readonly code: number | undefined;
	readonly retryAfterMs: number | undefined;
	readonly details: string | undefined;

	constructor(init: {
		kind: GraphErrorKind;
		message: string;
		httpStatus?: number;
		code?: number;
		retryAfterMs?: number;
		details?: string;
	}) {
		super(init.message);
		this.name = "GraphError";
		this.kind = init.kind;
		this.httpStatus = init.httpStatus;
		this.code = init.code;
		this.retryAfterMs = init.retryAfterMs;
		this.details = init.details;
	}
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from `now`. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
	if (header === null || header.trim() === "") return undefined;
	const seconds = Number(header);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
