/**
 * Structured logs, one JSON object a line. Every line is masked here, on its way out, so that no
 * call site can leak a resident's identifier or a secret: WhatsApp message ids (they encode the
 * phone number), phone numbers, NIK-shaped digit runs, staff tokens and bearer values.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * What is masked in every string of a log line, in order. Runs of 9 or more digits (spaces
 * allowed: a NIK's 16 digits, a phone number in any form) are masked whatever they are, and so
 * is an Indonesian mobile number written with hyphens; tickets (`PBM-261128-0042`) are kept.
 * Numbers logged as numbers (times, counts) are not text and are left alone.
 */
const SENSITIVE: RegExp[] = [
	/\bwamid\.[A-Za-z0-9_=+/-]+/g,
	/\bdks_[A-Za-z0-9_-]+/g,
	/(?<=\bBearer\s+)\S+/gi,
	/(?<![A-Za-z0-9-])(?:\+?62[ -]?|0)8[\d -]{7,}\d(?![A-Za-z0-9])/g,
	/\+?(?<![A-Za-z0-9])\d[\d ]{7,}\d(?![A-Za-z0-9])/g,
];

/** `text` with every identifier and secret of {@link SENSITIVE} masked by {@link maskId}. */
export function maskText(text: string): string {
	return SENSITIVE.reduce((masked, pattern) => masked.replace(pattern, maskMatch), text);
}

/** Masks a match; digit runs of fewer than 9 digits (dates, counts with a space) are kept. */
function maskMatch(match: string): string {
	if (/^[\d +-]+$/.test(match) && match.replace(/\D/g, "").length < 9) return match;
	return maskId(match);
}

/** Every string of the line masked (the event's name too); numbers and flags as they are. */
function masked(fields: LogFields): LogFields {
	const out: LogFields = {};
	for (const [key, value] of Object.entries(fields)) {
		out[key] = typeof value === "string" ? maskText(value) : value;
	}
	return out;
}

function emit(level: "info" | "warn" | "error", event: string, fields: LogFields): void {
	const line = JSON.stringify({ level, event: maskText(event), ...masked(fields) });
	if (level === "error") console.error(line);
	else if (level === "warn") console.warn(line);
	else console.log(line);
}

/** The logger: `log.info|warn|error(event, fields)`, one JSON line per call, masked on the way out. */
export const log = {
	info: (event: string, fields: LogFields = {}) => emit("info", event, fields),
	warn: (event: string, fields: LogFields = {}) => emit("warn", event, fields),
	error: (event: string, fields: LogFields = {}) => emit("error", event, fields),
};

/** An error as logs and job failures write it: its kind and message (anything else, as text). */
export function errorDetail(error: unknown): string {
	return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Keeps the first 4 and last 2 characters of an identifier: enough to correlate, not to identify. */
export function maskId(id: string): string {
	if (id.length <= 6) return "*".repeat(id.length);
	return `${id.slice(0, 4)}${"*".repeat(id.length - 6)}${id.slice(-2)}`;
}
