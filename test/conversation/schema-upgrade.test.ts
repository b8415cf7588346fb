import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS } from "../../src/conversation/schema";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	texts,
	withResidents,
} from "../helpers/resident";
import { api } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62815900");

/** The schema version an upgraded object reaches. */
const LATEST = String(CONVERSATION_MIGRATIONS.length);

/** The identity's keys as schema version 3 and earlier stored them, one kv row each. */
const OLD_KEYS = ["channel", "business_id", "resident_id", "profile_name"];

/**
 * Puts the object back as a deployment of schema version 3 left it (the identity as four kv rows,
 * `profile_name` only when given), then evicts it: its next request runs the constructor's
 * migrations again.
 */
async function asDeployedAtVersion3(r: Resident, profileName?: string): Promise<void> {
	await runInDurableObject(r.stub, (_i, state) => {
		const sql = state.storage.sql;
		sql.exec("DELETE FROM kv WHERE key = 'identity'");
		const old: [string, string][] = [
			["channel", "whatsapp"],
			["business_id", PHONE_NUMBER_ID],
			["resident_id", r.id],
		];
		if (profileName !== undefined) old.push(["profile_name", profileName]);
		for (const [key, value] of old)
			sql.exec("INSERT INTO kv (key, value) VALUES (?, ?)", key, value);
		sql.exec("UPDATE kv SET value = '3' WHERE key = 'schema_version'");
		sql.exec("DROP INDEX outbox_unsent"); // version 5's
		sql.exec("ALTER TABLE jobs DROP COLUMN age_from"); // version 6's
	});
	await evictDurableObject(r.stub);
}

/** The kv rows, as a record (reading it starts the object, so pending migrations run first). */
async function kvOf(r: Resident): Promise<Record<string, string>> {
	return runInDurableObject(r.stub, (_i, state) =>
		Object.fromEntries(
			state.storage.sql
				.exec<{ key: string; value: string }>("SELECT key, value FROM kv")
				.toArray()
				.map((row) => [row.key, row.value]),
		),
	);
}

describe("an object deployed with the identity as four kv rows", () => {
	it("upgrades to one identity row and still reaches the same resident from the same number", async () => {
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir" });
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		const ticket = /PBM-\d{6}-\d{4}/.exec(texts(await r.tap("Kirim")))?.[0];
		const [request] = await requestRows(r.id);
		await asDeployedAtVersion3(r, "Warga Uji");

		// Staff's step reaches the resident before they write again: the identity comes from the upgrade.
		const res = await api("POST", `/requests/${String(request?.id)}/transitions`, {
			json: { to: "in_review" },
		});
		expect(res.status).toBe(200);
		await r.settle();
		const notice = r.replies();
		expect(texts(notice)).toContain(`${ticket}* sedang diperiksa`);
		expect(notice.map((m) => m.phoneNumberId)).toEqual(notice.map(() => PHONE_NUMBER_ID));

		const upgraded = await kvOf(r);
		expect(upgraded.schema_version).toBe(LATEST);
		for (const key of OLD_KEYS) expect(upgraded[key], key).toBeUndefined();
		// The text KvState writes for the same identity: the next delivery finds it unchanged.
		const identity = JSON.stringify({
			channel: "whatsapp",
			businessId: PHONE_NUMBER_ID,
			residentId: r.id,
			profileName: "Warga Uji",
		});
		expect(upgraded.identity).toBe(identity);
		expect(texts(await r.say("status"))).toContain(ticket);
		expect((await kvOf(r)).identity).toBe(identity);
	});

	it("leaves the profile name out of the identity when none was recorded", async () => {
		const r = t.resident();
		await r.say("Halo");
		await asDeployedAtVersion3(r);
		const upgraded = await kvOf(r);
		expect(upgraded.identity).toBe(
			JSON.stringify({ channel: "whatsapp", businessId: PHONE_NUMBER_ID, residentId: r.id }),
		);
		for (const key of OLD_KEYS) expect(upgraded[key], key).toBeUndefined();
	});

	it("gives an object that never learned whose it is no identity", async () => {
		const r = t.resident();
		await r.say("Halo");
		await runInDurableObject(r.stub, (_i, state) => {
			state.storage.sql.exec("DELETE FROM kv WHERE key <> 'schema_version'");
			state.storage.sql.exec("UPDATE kv SET value = '3' WHERE key = 'schema_version'");
			state.storage.sql.exec("DROP INDEX outbox_unsent");
			state.storage.sql.exec("ALTER TABLE jobs DROP COLUMN age_from");
		});
		await evictDurableObject(r.stub);
		expect(await kvOf(r)).toEqual({ schema_version: LATEST });
	});
});

describe("an object deployed before the inbox's mark (schema version 2)", () => {
	it("keeps every message it handled handled, and handles the next one once", async () => {
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir" });
		const handledBefore = r.sent().length;
		// Version 2 marked each handled message on its row and had no mark, no `late`, no view.
		await runInDurableObject(r.stub, (_i, state) => {
			const sql = state.storage.sql;
			sql.exec(
				`UPDATE inbox SET processed_at = received_at
				 WHERE message_id NOT IN (SELECT message_id FROM unhandled_inbox)`,
			);
			sql.exec("DROP VIEW unhandled_inbox");
			for (const column of ["handled_sent_at", "handled_arrival", "handled_id"]) {
				sql.exec(`ALTER TABLE kv DROP COLUMN ${column}`);
			}
			sql.exec("ALTER TABLE inbox DROP COLUMN late");
		});
		await asDeployedAtVersion3(r, "Warga Uji");
		await runInDurableObject(r.stub, (_i, state) => {
			state.storage.sql.exec("UPDATE kv SET value = '2' WHERE key = 'schema_version'");
			// Starting the object to get here ran version 6's migration again.
			state.storage.sql.exec("ALTER TABLE jobs DROP COLUMN age_from");
		});
		await evictDurableObject(r.stub);
		expect((await kvOf(r)).schema_version).toBe(LATEST);
		// Nothing said before is answered again; the next message is answered once.
		await r.fastForward();
		expect(r.sent()).toHaveLength(handledBefore);
		const { replies: answer } = await sendFile(r, "pdf");
		expect(texts(answer)).toContain("✅");
		expect(r.sent()).toHaveLength(handledBefore + answer.length);
	});
});

describe("an object deployed before the outbox's index (schema version 4)", () => {
	it("indexes the reply it had not sent yet, and sends it", async () => {
		const r = t.resident();
		const greeting = await r.say("Halo");
		await runInDurableObject(r.stub, (_i, state) => {
			const sql = state.storage.sql;
			sql.exec("DROP INDEX outbox_unsent");
			// Its last reply did not go out before the deployment: queued, due now.
			sql.exec(
				`UPDATE outbox SET state = 'pending', next_at = 0, sent_at = NULL, wamid = NULL
				 WHERE seq = (SELECT max(seq) FROM outbox)`,
			);
			sql.exec("ALTER TABLE jobs DROP COLUMN age_from"); // version 6's
			sql.exec("UPDATE kv SET value = '4' WHERE key = 'schema_version'");
		});
		await evictDurableObject(r.stub);
		expect((await kvOf(r)).schema_version).toBe(LATEST);
		const indexed = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ seq: number }>(
					"SELECT seq FROM outbox INDEXED BY outbox_unsent WHERE state IN ('pending', 'waiting')",
				)
				.toArray(),
		);
		expect(indexed).toHaveLength(1);
		await r.settle();
		// The queued reply went out once, and nothing is left to send.
		expect(texts(r.replies())).toBe(texts(greeting.slice(-1)));
		expect((await r.outbox()).map((row) => row.state)).toEqual(greeting.map(() => "sent"));
	});
});
