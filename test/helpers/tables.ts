import { env, runInDurableObject } from "cloudflare:test";
import { Tables } from "../../src/conversation/store/tables";

/**
 * Runs `check` on a fresh Conversation object's tables, with every SQL statement they run
 * counted, and the object's SQLite itself (to write behind their back).
 */
export async function withTables<T>(
	name: string,
	check: (tables: Tables, statements: () => number, raw: SqlStorage) => T,
) {
	return runInDurableObject(env.CONVERSATIONS.getByName(name), (_instance, state) => {
		let count = 0;
		const sql = {
			exec: ((query: string, ...bindings: unknown[]) => {
				count++;
				return state.storage.sql.exec(query, ...bindings);
			}) as SqlStorage["exec"],
		};
		return check(new Tables(sql, state.storage), () => count, state.storage.sql);
	});
}
