import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS, KV_TABLE } from "../../src/conversation/schema";

type Column = {
	cid: number;
	name: string;
	type: string;
	notnull: number;
	dflt_value: string | null;
	pk: number;
};

/** What a schema is, beyond its comments: each table's columns in order and kind, each view's SQL. */
function schemaOf(sql: SqlStorage) {
	const objects = sql
		.exec<{ type: string; name: string; sql: string }>(
			`SELECT type, name, sql FROM sqlite_master
			 WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '__miniflare%'
			 ORDER BY name`,
		)
		.toArray();
	return objects.map(({ type, name, sql: text }) =>
		type === "table"
			? {
					type,
					name,
					columns: sql.exec<Column>(`PRAGMA table_info(${name})`).toArray(),
					withoutRowid: /WITHOUT ROWID\s*$/i.test(text),
				}
			: { type, name, sql: text.replace(/\s+/g, " ") },
	);
}

describe("a new Conversation object's schema", () => {
	it("is the one the migrations arrive at, column for column", async () => {
		const stub = env.CONVERSATIONS.getByName("schema-fresh-vs-migrated");
		const [fresh, migrated, version] = await runInDurableObject(stub, (_instance, state) => {
			const sql = state.storage.sql;
			const created = schemaOf(sql);
			const version = sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'schema_version'")
				.one().value;
			// The same object rebuilt the way a deployed one got there: version 0, then each migration.
			sql.exec("DROP VIEW unhandled_inbox");
			for (const { name } of created.filter((object) => object.type === "table")) {
				sql.exec(`DROP TABLE ${name}`);
			}
			sql.exec(KV_TABLE);
			for (const migration of CONVERSATION_MIGRATIONS) sql.exec(migration);
			return [created, schemaOf(sql), version];
		});
		expect(fresh.map((object) => object.name)).toEqual([
			"dead_jobs",
			"delivery_statuses",
			"inbox",
			"jobs",
			"kv",
			"outbox",
			"outbox_unsent",
			"unhandled_inbox",
		]);
		expect(fresh).toEqual(migrated);
		expect(version).toBe(String(CONVERSATION_MIGRATIONS.length));
	});
});
