import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	withResidents,
} from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

const t = withResidents("62815600");

/** A submitted request of a new resident (with a file); closed now unless `open`. */
async function requestOf(
	nik: string,
	open = false,
): Promise<{ r: Resident; id: string; ticket: string }> {
	const r = t.resident();
	await fillDetails(r, { service: "Legalisir", nik, name: "Siti Aminah" });
	await sendFile(r, "pdf");
	await r.tap("Lanjut");
	await r.tap("Kirim");
	const [row] = await requestRows(r.id);
	const id = String(row?.id);
	if (!open) {
		await env.DB.prepare("UPDATE requests SET status = 'completed', closed_at = ? WHERE id = ?")
			.bind(Date.now(), id)
			.run();
	}
	return { r, id, ticket: String(row?.ticket) };
}

async function recordOf(id: string) {
	return env.DB.prepare(
		"SELECT nik, resident_name, resident_phone, resident_id, ticket, service_code, erased_at FROM requests WHERE id = ?",
	)
		.bind(id)
		.first<Record<string, string | number | null>>();
}

async function objectRows(r: Resident): Promise<number> {
	return runInDurableObject(r.stub, (_i, state) =>
		Number(
			state.storage.sql
				.exec<{ n: number }>(
					`SELECT (SELECT count(*) FROM inbox) + (SELECT count(*) FROM outbox)
					 + (SELECT count(*) FROM jobs) + (SELECT count(*) FROM kv WHERE key <> 'schema_version') AS n`,
				)
				.one().n,
		),
	);
}

/** Audit rows and erasure rows, as text: where an identifier must never appear. */
async function erasureTrail(): Promise<string> {
	const audit = await env.DB.prepare(
		"SELECT * FROM audit_log WHERE action = 'resident.erasure'",
	).all();
	const erasures = await env.DB.prepare("SELECT * FROM erasures").all();
	return JSON.stringify([audit.results, erasures.results]);
}

describe("POST /api/v1/residents/erasure", () => {
	it("erases by phone (written nationally): records pseudonymized, the chat cleared, files gone, audited by id only", async () => {
		const { r, id, ticket } = await requestOf("1674015203900101");
		// A later draft with a file, never submitted: its files go too.
		await r.say("menu");
		await sendFile(r, "jpeg");
		const draftKeys = await runInDurableObject(r.stub, (_i, state) => {
			const saved = state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'")
				.one();
			return (JSON.parse(saved.value) as { draft: { files: { key?: string }[] } }).draft.files
				.map((file) => file.key)
				.filter((key): key is string => key !== undefined);
		});
		expect(draftKeys).toHaveLength(1);
		expect((await env.FILES.list({ prefix: `requests/${id}/` })).objects.length).toBeGreaterThan(0);
		const national = `0${r.id.slice(2, 5)}-${r.id.slice(5, 9)}-${r.id.slice(9)}`;

		const res = await api("POST", "/residents/erasure", { json: { phone: national } });
		expect(res.status).toBe(200);
		const body = await res.json<{
			id: string;
			requests: number;
			conversations: number;
			files: number;
		}>();
		expect(body).toMatchObject({ requests: 1, conversations: 1 });
		expect(body.files).toBeGreaterThan(0);

		const record = await recordOf(id);
		expect(record).toMatchObject({
			nik: "0000000000000000",
			resident_name: "",
			resident_phone: null,
			resident_id: "",
			ticket,
			service_code: "legalisir",
		});
		expect(await objectRows(r)).toBe(0);
		expect((await env.FILES.list({ prefix: `requests/${id}/` })).objects).toEqual([]);
		for (const key of draftKeys) expect(await env.FILES.head(key)).toBeNull();

		const erasure = await env.DB.prepare("SELECT * FROM erasures WHERE id = ?")
			.bind(body.id)
			.first();
		expect(erasure).toMatchObject({ identifier_kind: "phone", requests: 1, conversations: 1 });
		const audit = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'resident.erasure' AND detail LIKE ?",
		)
			.bind(`%${body.id}%`)
			.first<{ actor: string; detail: string }>();
		expect(audit?.actor).toBe("bootstrap-admin");
		const trail = await erasureTrail();
		for (const identifier of [r.id, r.id.slice(2), national, "1674015203900101", "Siti"]) {
			expect(trail).not.toContain(identifier);
		}

		// Asking again is harmless: nothing left to find but what is already erased.
		const again = await api("POST", "/residents/erasure", { json: { phone: `+${r.id}` } });
		expect(again.status).toBe(200);
		expect(await recordOf(id)).toEqual(record);
	});

	it("erases by NIK, and clears the conversation the requests came from", async () => {
		const { r, id } = await requestOf("1674015203900202");
		const res = await api("POST", "/residents/erasure", { json: { nik: "1674 0152 0390 0202" } });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ requests: 1, conversations: 1 });
		expect((await recordOf(id))?.nik).toBe("0000000000000000");
		expect(await objectRows(r)).toBe(0);
		expect(await erasureTrail()).not.toContain("1674015203900202");
		// Staff still open the erased record (statistics), with no resident and no transcript left.
		const detail = await api("GET", `/requests/${id}`);
		expect(detail.status).toBe(200);
		expect(JSON.stringify(await detail.json())).not.toContain(r.id);
		const messages = await api("GET", `/requests/${id}/messages`);
		expect(messages.status).toBe(200);
		expect(JSON.stringify(await messages.json())).not.toContain("1674015203900202");
	});

	it("takes the resident's dead letters and user-id link with it, and nobody else's", async () => {
		const { r } = await requestOf("1674015203900303");
		const other = t.resident();
		const seed = async (residentId: string, letterId: string) => {
			await env.DB.batch([
				env.DB.prepare(
					`INSERT INTO dead_letters (id, conversation, kind, error, attempts, first_attempt_at, last_attempt_at)
					 VALUES (?, ?, 'notice', 'Error: ***', 8, 1, 2)`,
				).bind(letterId, `${PHONE_NUMBER_ID}:${residentId}`),
				env.DB.prepare(
					"INSERT INTO resident_identities (business_id, user_id, wa_id, linked_at) VALUES (?, ?, ?, 1)",
				).bind(PHONE_NUMBER_ID, `US.${letterId}`, residentId),
			]);
		};
		await seed(r.id, "letter-erased");
		await seed(other.id, "letter-kept");
		const res = await api("POST", "/residents/erasure", { json: { phone: `+${r.id}` } });
		expect(res.status).toBe(200);
		const left = async (table: string, column: string, value: string) =>
			(
				await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} LIKE ?`)
					.bind(`%${value}`)
					.first<{ n: number }>()
			)?.n;
		expect(await left("dead_letters", "conversation", r.id)).toBe(0);
		expect(await left("resident_identities", "wa_id", r.id)).toBe(0);
		expect(await left("dead_letters", "conversation", other.id)).toBe(1);
		expect(await left("resident_identities", "wa_id", other.id)).toBe(1);
	});

	it("refuses with 409 naming the ticket while the resident has an open request, and erases nothing", async () => {
		const { r, id, ticket } = await requestOf("1674015203900303", true);
		const res = await api("POST", "/residents/erasure", { json: { nik: "1674015203900303" } });
		expect(res.status).toBe(409);
		expect(res.headers.get("content-type")).toBe("application/problem+json");
		const problem = await res.json<{ detail: string; ticket: string }>();
		expect(problem.detail).toContain(ticket);
		expect(problem.ticket).toBe(ticket);
		expect((await recordOf(id))?.nik).toBe("1674015203900303");
		expect(await objectRows(r)).toBeGreaterThan(0);
		const byPhone = await api("POST", "/residents/erasure", { json: { phone: r.id } });
		expect(byPhone.status).toBe(409);
	});

	it("takes exactly one valid identifier, from an admin only", async () => {
		for (const json of [
			{},
			{ phone: "0812-3456-7890", nik: "1674015203900101" },
			{ nik: "12" },
			{ phone: "abc" },
		]) {
			const res = await api("POST", "/residents/erasure", { json });
			expect(res.status, JSON.stringify(json)).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		const officer = await createStaff("officer");
		const res = await api("POST", "/residents/erasure", {
			token: officer.token,
			json: { nik: "1674015203900101" },
		});
		expect(res.status).toBe(403);
	});
});
