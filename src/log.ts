/**
 * Structured logs, one JSON object a line. Residents' identifiers are masked here, so that no
 * caller can log a full phone number, NIK or user id by accident.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

function emit(level: "info" | "warn" | "error", event: string, fields: LogFields): void {
	const line = JSON.stringify({ level, event, ...fields });
	if (level === "error") console.error(line);
	else if (level === "warn") console.warn(line);
	else console.log(line);
}

export const log = {
	info: (event: string, fields: LogFields = {}) => emit("info", event, fields),
	warn: (event: string, fields: LogFields = {}) => emit("warn", event, fields),
	error: (event: string, fields: LogFields = {}) => emit("error", event, fields),
};

/** Keeps the first 4 and last 2 characters of an identifier: enough to correlate, not to identify. */
export function maskId(id: string): string {
	if (id.length <= 6) return "*".repeat(id.length);
	return `${id.slice(0, 4)}${"*".repeat(id.length - 6)}${id.slice(-2)}`;
}
