import { describe, expect, it } from "vitest";
import { withTables } from "../helpers/tables";

describe("the kv values a call reads", () => {
	it("are read from SQLite once, and written values are known without reading", async () => {
		const reads = await withTables("kv-once", (tables, statements) => {
			tables.kv.set("nudge_due", "1");
			const before = statements();
			const seen = [tables.kv.nudgeDue(), tables.kv.nudgeDue(), tables.kv.get("user_id")];
			tables.kv.get("user_id");
			return { seen, statements: statements() - before };
		});
		// One statement: user_id's read; nudge_due was written by this call.
		expect(reads).toEqual({ seen: [true, true, undefined], statements: 1 });
	});

	it("are not kept from a transaction that rolled back", async () => {
		const after = await withTables("kv-rollback", (tables) => {
			tables.kv.set("user_id", "before");
			expect(() =>
				tables.transaction(() => {
					tables.kv.set("user_id", "inside");
					throw new Error("the step failed");
				}),
			).toThrow("the step failed");
			return tables.kv.get("user_id");
		});
		expect(after).toBe("before");
	});

	it("are read again after forget, so a write made elsewhere is seen", async () => {
		const values = await withTables("kv-forget", (tables, _statements, raw) => {
			tables.kv.set("user_id", "old");
			raw.exec("UPDATE kv SET value = 'new' WHERE key = 'user_id'");
			const remembered = tables.kv.get("user_id");
			tables.kv.forget();
			return [remembered, tables.kv.get("user_id")];
		});
		expect(values).toEqual(["old", "new"]);
	});

	it("are all gone when the object forgets the resident", async () => {
		const identity = await withTables("kv-clear", (tables) => {
			tables.kv.setIdentity({ channel: "whatsapp", businessId: "1", residentId: "62811" });
			tables.erasure.clearAll();
			return [tables.kv.hasIdentity(), tables.kv.get("schema_version") !== undefined];
		});
		expect(identity).toEqual([false, true]);
	});
});
