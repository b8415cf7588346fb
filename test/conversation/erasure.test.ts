import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	withResidents,
} from "../helpers/resident";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62815500");
const DAY = 24 * 60 * 60 * 1000;
const NIK = "1674015203900077";

/** Every row of every table of the object, as text (to look for a NIK anywhere). */
async function dump(r: Resident): Promise<string> {
	return runInDurableObject(r.stub, (_i, state) => {
		const sql = state.storage.sql;
		const tables = sql
			.exec<{ name: string }>(
				"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
			)
			.toArray();
		return JSON.stringify(
			Object.fromEntries(
				tables.map(({ name }) => [name, sql.exec(`SELECT * FROM ${name}`).toArray()]),
			),
		);
	});
}

async function count(r: Resident, table: string): Promise<number> {
	return runInDurableObject(r.stub, (_i, state) =>
		Number(state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${table}`).one().n),
	);
}

/** A draft with a typed NIK and a file, abandoned ('batal'); then a status chat about nothing. */
async function abandonedDraft(r: Resident): Promise<string> {
	await fillDetails(r, { service: "Legalisir", nik: NIK });
	await sendFile(r, "pdf");
	const draftId = await r.draftId();
	await r.say("batal");
	await r.say("status");
	// A file of the draft whose discard never ran (a crash), still in R2.
	await env.FILES.put(`requests/${draftId}/lainnya/leftover`, "%PDF-1.7");
	return draftId;
}

describe("the conversation's own erasure after 30 quiet days", () => {
	it("erases an abandoned draft with a typed NIK and a request-less status chat, then forgets the resident", async () => {
		const r = t.resident();
		const draftId = await abandonedDraft(r);
		expect(await dump(r)).toContain(NIK);

		// 29 days of silence: the alarm runs and keeps everything.
		await r.quietFor(29 * DAY);
		await runDurableObjectAlarm(r.stub);
		expect(await dump(r)).toContain(NIK);
		expect(await count(r, "inbox")).toBeGreaterThan(0);

		// Two more: the object's own alarm (armed by itself, no cron) erases it all.
		await r.quietFor(2 * DAY);
		expect(
			await runInDurableObject(r.stub, (_i, state) => state.storage.getAlarm()),
		).not.toBeNull();
		expect(await runDurableObjectAlarm(r.stub)).toBe(true);
		const after = await dump(r);
		expect(after).not.toContain(NIK);
		expect(after).not.toContain("Budi Santoso");
		expect(after).not.toContain(r.id);
		for (const table of ["inbox", "outbox", "delivery_statuses", "jobs"]) {
			expect(await count(r, table), table).toBe(0);
		}
		const kv = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql.exec<{ key: string }>("SELECT key FROM kv").toArray(),
		);
		expect(kv).toEqual([{ key: "schema_version" }]);
		expect((await env.FILES.list({ prefix: `requests/${draftId}/` })).objects).toEqual([]);
		// Nothing more to do: no alarm left, and a second run is harmless.
		expect(await runInDurableObject(r.stub, (_i, state) => state.storage.getAlarm())).toBeNull();
		await runInDurableObject(r.stub, (_i, state) => state.storage.setAlarm(Date.now()));
		await runDurableObjectAlarm(r.stub);
		expect(await count(r, "inbox")).toBe(0);
	});

	it("keeps a submitted request's messages for the retention purge and erases only the rest", async () => {
		const r = t.resident();
		await fillDetails(r, { service: "Legalisir", nik: NIK });
		await sendFile(r, "pdf");
		await r.tap("Lanjut");
		await r.tap("Kirim");
		const [request] = await requestRows(r.id);
		const requestId = String(request?.id);
		await r.say("status");
		await r.quietFor(31 * DAY);
		await runDurableObjectAlarm(r.stub);

		const kept = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ request_id: string | null; n: number }>(
					`SELECT request_id, count(*) AS n FROM (
						SELECT request_id FROM inbox UNION ALL SELECT request_id FROM outbox)
					 GROUP BY request_id`,
				)
				.toArray(),
		);
		expect(kept.map((row) => row.request_id)).toEqual([requestId]);
		// Whose chat it is stays (the kept request's notices reach them); their profile name does not.
		const identity = await runInDurableObject(r.stub, (_i, state) =>
			state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'identity'")
				.one(),
		);
		expect(JSON.parse(identity.value)).toEqual({
			channel: "whatsapp",
			businessId: PHONE_NUMBER_ID,
			residentId: r.id,
		});
		expect((await r.stub.transcript(requestId)).length).toBeGreaterThan(0);
		// Swept once: the object does not wake again until something new is written.
		expect(await runInDurableObject(r.stub, (_i, state) => state.storage.getAlarm())).toBeNull();
	});
});
