/**
 * Counters of storage work, per isolate, for the benchmarks' cost figures (`npm run bench` reads
 * them at `/dev/metrics`, sandbox only), and of the residents' messages handled, which the bench
 * waits for. Counting is a few additions per call: always on.
 */
export interface StorageCounters {
	/** D1 statements run, and the rows D1 says they read and wrote. */
	d1Queries: number;
	d1RowsRead: number;
	d1RowsWritten: number;
	/** Statements run by the webhook handler itself (the acknowledgement path). */
	d1QueriesOnWebhook: number;
	/** Rows written to Durable Object SQLite storage. */
	doRowsWritten: number;
	/** SQL statements Conversation objects ran (not billed: a figure of the work each call does). */
	doStatements: number;
	/** Rows Conversation objects' statements read (billed, cheaply: every row a scan visits). */
	doRowsRead: number;
	/** Durable Object requests: RPC calls and alarm runs of Conversation objects. */
	doRequests: number;
	/** R2 operations by billing class (A: writes and lists, B: reads). */
	r2ClassA: number;
	r2ClassB: number;
	/**
	 * Residents' messages whose step committed. Not "marked read": a mark covers the messages
	 * before it, which may still wait for their step.
	 */
	messagesHandled: number;
}

export const counters: StorageCounters = {
	d1Queries: 0,
	d1RowsRead: 0,
	d1RowsWritten: 0,
	d1QueriesOnWebhook: 0,
	doRowsWritten: 0,
	doStatements: 0,
	doRowsRead: 0,
	doRequests: 0,
	r2ClassA: 0,
	r2ClassB: 0,
	messagesHandled: 0,
};

export function resetCounters(): void {
	for (const key of Object.keys(counters) as (keyof StorageCounters)[]) counters[key] = 0;
}

/** One SQL text's share of the D1 work while a tally runs. */
export interface StatementTally {
	runs: number;
	rowsWritten: number;
}

/** SQL text (whitespace collapsed) → its runs and rows written; null unless a tally runs. */
let tally: Map<string, StatementTally> | null = null;

/**
 * Starts counting D1 runs and rows written by SQL text (tests and diagnostics: which statement
 * writes the rows the cost figure counts), forgetting any earlier tally.
 *
 * @returns The tally, filled in as statements run until {@link stopStatementTally}.
 */
export function startStatementTally(): Map<string, StatementTally> {
	tally = new Map();
	return tally;
}

/** Stops the tally started by {@link startStatementTally} (the map it returned stays readable). */
export function stopStatementTally(): void {
	tally = null;
}

function countResult(result: unknown, onWebhook: boolean, sql: string | undefined): void {
	const meta = (result as { meta?: { rows_read?: number; rows_written?: number } } | null)?.meta;
	counters.d1Queries++;
	if (onWebhook) counters.d1QueriesOnWebhook++;
	counters.d1RowsRead += meta?.rows_read ?? 0;
	counters.d1RowsWritten += meta?.rows_written ?? 0;
	if (tally !== null && sql !== undefined) {
		const key = sql.replace(/\s+/g, " ").trim();
		const entry = tally.get(key) ?? { runs: 0, rowsWritten: 0 };
		entry.runs++;
		entry.rowsWritten += meta?.rows_written ?? 0;
		tally.set(key, entry);
	}
}

/**
 * D1 with every statement's `meta` added to the counters; `onWebhook` marks the webhook's own
 * handler, whose acknowledgement must not wait on D1 (the target is 0 queries).
 */
export function meteredD1(db: D1Database, onWebhook = false): D1Database {
	// The SQL of each statement handed out, for the tally of a batch's results.
	const sqlOf = new WeakMap<D1PreparedStatement, string>();
	const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
		const proxy = new Proxy(stmt, {
			get(target, prop, receiver) {
				if (prop === "bind") {
					return (...values: unknown[]) => statement(target.bind(...values), sql);
				}
				if (prop === "run" || prop === "all") {
					return async () => {
						const result = await target[prop]();
						countResult(result, onWebhook, sql);
						return result;
					};
				}
				if (prop === "first" || prop === "raw") {
					return async (...args: unknown[]) => {
						counters.d1Queries++;
						if (onWebhook) counters.d1QueriesOnWebhook++;
						return (target[prop] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
					};
				}
				const value = Reflect.get(target, prop, receiver);
				return typeof value === "function" ? value.bind(target) : value;
			},
		});
		sqlOf.set(proxy, sql);
		return proxy;
	};
	return new Proxy(db, {
		get(target, prop, receiver) {
			if (prop === "prepare") return (sql: string) => statement(target.prepare(sql), sql);
			if (prop === "batch") {
				return async (statements: D1PreparedStatement[]) => {
					const results = await target.batch(statements);
					results.forEach((result, i) => {
						const stmt = statements[i];
						countResult(result, onWebhook, stmt && sqlOf.get(stmt));
					});
					return results;
				};
			}
			const value = Reflect.get(target, prop, receiver);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

const CLASS_A = new Set(["put", "list", "createMultipartUpload", "resumeMultipartUpload"]);
const CLASS_B = new Set(["get", "head"]);

/** R2 with each operation counted by billing class. */
export function meteredR2(bucket: R2Bucket): R2Bucket {
	return new Proxy(bucket, {
		get(target, prop, receiver) {
			const value = Reflect.get(target, prop, receiver);
			if (typeof value !== "function") return value;
			const name = String(prop);
			return (...args: unknown[]) => {
				if (CLASS_A.has(name)) counters.r2ClassA++;
				else if (CLASS_B.has(name)) counters.r2ClassB++;
				const result = (value as (...a: unknown[]) => unknown).apply(target, args);
				if (name === "createMultipartUpload" || name === "resumeMultipartUpload") {
					// Each part and the completion are class A operations too.
					return (result as Promise<R2MultipartUpload>).then(
						(upload) =>
							new Proxy(upload, {
								get(u, p, r) {
									const v = Reflect.get(u, p, r);
									if (typeof v !== "function") return v;
									return (...a: unknown[]) => {
										if (p === "uploadPart" || p === "complete") counters.r2ClassA++;
										return (v as (...x: unknown[]) => unknown).apply(u, a);
									};
								},
							}),
					);
				}
				return result;
			};
		},
	});
}

/** SQLite storage whose writes are counted (cursors are read when the unit of work ends). */
export class MeteredSql {
	private readonly cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
	constructor(readonly sql: SqlStorage) {}

	exec<T extends Record<string, SqlStorageValue>>(
		query: string,
		...bindings: unknown[]
	): SqlStorageCursor<T> {
		const cursor = this.sql.exec<T>(query, ...bindings);
		counters.doStatements++;
		this.cursors.push(cursor as unknown as SqlStorageCursor<Record<string, SqlStorageValue>>);
		if (this.cursors.length > 200) this.settle();
		return cursor;
	}

	/** Adds the rows written and read by the statements run so far. */
	settle(): void {
		for (const cursor of this.cursors.splice(0)) {
			counters.doRowsWritten += cursor.rowsWritten;
			counters.doRowsRead += cursor.rowsRead;
		}
	}
}
