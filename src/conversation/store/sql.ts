/**
 * The one thing the table modules need from the object's storage: running a statement. The shell
 * hands them its counted executor, so no table method deals with metering.
 */
export interface Sql {
	exec<T extends Record<string, SqlStorageValue>>(
		query: string,
		...bindings: unknown[]
	): SqlStorageCursor<T>;
}
