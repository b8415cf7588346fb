/**
 * Reading a long list from D1 one page at a time, oldest first, by keyset (`(time, id) > last`),
 * so that a report or an export over a year never holds more than one page of rows.
 *
 * @module
 */

/** Rows a page reads: small enough for memory, large enough to keep the query count low. */
export const KEYSET_PAGE_SIZE = 500;

/** A list query: fixed SQL text with bound values. */
export interface KeysetQuery {
	/** `SELECT ... FROM ...` (no WHERE); the selection names the keys `key_at` and `key_id`. */
	select: string;
	/** Conditions joined with AND; `?` placeholders bound from `binds` in order. */
	where: string[];
	binds: (string | number)[];
	/** The expressions the keys are (`r.created_at`, `r.id`): the order and the keyset. */
	at: string;
	id: string;
}

/** The keys every row of a {@link KeysetQuery} carries. */
export interface KeysetRow {
	key_at: number;
	key_id: string;
}

/**
 * The query's rows in `(at, id)` order, a page at a time. Each page is read only when the
 * consumer asks for it, so a stream that is cancelled reads no further.
 */
export async function* keysetPages<T extends KeysetRow>(
	db: D1Database,
	query: KeysetQuery,
	pageSize = KEYSET_PAGE_SIZE,
): AsyncGenerator<T[], void, undefined> {
	let after: [number, string] | null = null;
	for (;;) {
		const where = [...query.where];
		const binds = [...query.binds];
		if (after !== null) {
			where.push(`(${query.at}, ${query.id}) > (?, ?)`);
			binds.push(...after);
		}
		const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
		const { results } = await db
			.prepare(`${query.select} ${clause} ORDER BY ${query.at}, ${query.id} LIMIT ?`)
			.bind(...binds, pageSize)
			.all<T>();
		if (results.length > 0) yield results;
		const last = results.at(-1);
		if (results.length < pageSize || last === undefined) return;
		after = [last.key_at, last.key_id];
	}
}
