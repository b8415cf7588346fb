/**
 * Structured logs, one JSON object a line. Fields are written as given: nothing is masked here,
 * so a caller that logs a resident's identifier masks it first with {@link maskId}.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

function emit(level: "info" | "warn" | "error", event: string, fields: LogFields): void {
	const line = JSON.stringify({ level, event, ...fields });
	if (level === "error") console.error(line);
	else if (level === "warn") console.warn(line);
	else console.log(line);
}

/** The logger: `log.info|warn|error(event, fields)`, one JSON line per call. */
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
