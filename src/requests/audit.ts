/**
 * The audit log: who did what to which request and when, every file view included. The one
 * place that writes `audit_log` and the one that reads it back for the staff API.
 *
 * @module
 */

import { type Cursor, encodeCursor } from "./cursor";

/** The audit actor of whoever uses the bootstrap `ADMIN_TOKEN` (not a staff row). */
export const BOOTSTRAP_ACTOR = "bootstrap-admin";

/**
 * An audit actor as the `request_events.actor` column takes it (`resident`, `system` or
 * `staff:<...>`): the bootstrap admin is recorded there as `staff:bootstrap-admin`.
 */
export function eventActor(actor: string): string {
	return actor === BOOTSTRAP_ACTOR ? `staff:${BOOTSTRAP_ACTOR}` : actor;
}

/**
 * One audit row to write. Callers pass no personal data in `detail` (no NIK, name, phone, token
 * or file content): ids, codes, counts.
 */
export interface AuditEntry {
	/** `staff:<id>`, `bootstrap-admin`, `resident` or `system`. */
	actor: string;
	action: string;
	requestId?: string | null;
	detail?: Record<string, string | number | boolean | null | string[]>;
}

/** A number the batch itself counts as the audit row is written: a scalar `SELECT count(*) ...`. */
export interface BatchCount {
	sql: string;
	params: readonly unknown[];
}

/**
 * The insert as a prepared statement, so that it can join the batch of the change it records.
 *
 * @param options.onlyIfChanged - Write the row only when the statement just before it in the
 *   batch changed a row (`changes() > 0`): the audit of a conditional update.
 * @param options.counts - Fields of `detail` counted in the batch when the row is written, after
 *   the statements before it: what their conditional writes really wrote (a count made before the
 *   batch would include the writes that found their row changed meanwhile and wrote nothing).
 */
export function auditStatement(
	db: D1Database,
	entry: AuditEntry,
	at = Date.now(),
	options: { onlyIfChanged?: boolean; counts?: Readonly<Record<string, BatchCount>> } = {},
): D1PreparedStatement {
	const guard = options.onlyIfChanged ? " WHERE changes() > 0" : "";
	let detail = "?";
	const params: unknown[] = [JSON.stringify(entry.detail ?? {})];
	for (const [field, count] of Object.entries(options.counts ?? {})) {
		// The field is written into the SQL text: a plain name only.
		if (!/^[A-Za-z]+$/.test(field)) throw new TypeError(`auditStatement: field ${field}`);
		detail = `json_set(${detail}, '$.${field}', (${count.sql}))`;
		params.push(...count.params);
	}
	return db
		.prepare(
			`INSERT INTO audit_log (id, at, actor, action, request_id, detail) SELECT ?, ?, ?, ?, ?, ${detail}${guard}`,
		)
		.bind(crypto.randomUUID(), at, entry.actor, entry.action, entry.requestId ?? null, ...params);
}

/** Writes one audit row on its own (when there is no change to batch it with). */
export async function audit(db: D1Database, entry: AuditEntry): Promise<void> {
	await auditStatement(db, entry).run();
}

/** An `audit_log` row as stored (`detail` is JSON). */
export interface AuditRow {
	id: string;
	at: number;
	actor: string;
	action: string;
	request_id: string | null;
	detail: string;
}

/** Filters of the audit log; times are epoch milliseconds. */
export interface AuditFilters {
	actor?: string;
	/** A request id. */
	request?: string;
	action?: string;
	/** At or after. */
	from?: number;
	/** Before (exclusive). */
	to?: number;
	cursor?: Cursor;
	limit: number;
}

/** The audit log's conditions, fixed text with bound values. */
const CONDITIONS = {
	actor: "actor = ?",
	request: "request_id = ?",
	action: "action = ?",
	from: "at >= ?",
	to: "at < ?",
	cursor: "(at, id) < (?, ?)",
} as const;

/** One page of the audit log, newest first (`at DESC, id DESC`), with keyset pagination. */
export async function auditPage(
	db: D1Database,
	filters: AuditFilters,
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
	const used: [keyof typeof CONDITIONS, ...(string | number)[]][] = [];
	for (const name of ["actor", "request", "action", "from", "to"] as const) {
		const value = filters[name];
		if (value !== undefined) used.push([name, value]);
	}
	if (filters.cursor !== undefined) used.push(["cursor", filters.cursor.at, filters.cursor.id]);
	const where =
		used.length === 0 ? "" : `WHERE ${used.map(([name]) => CONDITIONS[name]).join(" AND ")}`;
	const { results } = await db
		.prepare(
			`SELECT id, at, actor, action, request_id, detail FROM audit_log ${where}
			ORDER BY at DESC, id DESC LIMIT ?`,
		)
		.bind(...used.flatMap(([, ...values]) => values), filters.limit + 1)
		.all<AuditRow>();
	const rows = results.slice(0, filters.limit);
	const last = rows.at(-1);
	return {
		rows,
		nextCursor:
			results.length > filters.limit && last !== undefined ? encodeCursor(last.at, last.id) : null,
	};
}
