import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, Settings } from "../../src/env";
import {
	fillDetails,
	type Resident,
	requestRows,
	sendFile,
	texts,
	withResidents,
} from "../helpers/resident";
import { api, createStaff } from "../helpers/staff";

const t = withResidents("62813800");
const DAY = 24 * 60 * 60 * 1000;
const SORRY = /terjadi gangguan di sistem kami/;

interface Letter {
	id: string;
	kind: string;
	requestId: string | null;
	error: string;
	attempts: number;
	firstAttemptAt: number;
	lastAttemptAt: number;
	state: string;
	retriedAt: number | null;
}

/** The object's settings, with `OFFICE_CODE` as a deployer mistyped it; returns the undo. */
async function breakOfficeCode(r: Resident): Promise<() => Promise<void>> {
	type Patchable = { work: { settings: () => Settings } };
	let original: (() => Settings) | undefined;
	await runInDurableObject(r.stub, (instance) => {
		const work = (instance as unknown as Patchable).work;
		const real = work.settings.bind(work);
		original = work.settings;
		work.settings = () => {
			const settings = real();
			return new Proxy(settings, {
				get: (target, key) =>
					key === "get"
						? (name: Parameters<Settings["get"]>[0]) =>
								name === "OFFICE_CODE" ? "35" : target.get(name)
						: Reflect.get(target, key),
			});
		};
	});
	return async () => {
		await runInDurableObject(r.stub, (instance) => {
			if (original) (instance as unknown as Patchable).work.settings = original;
		});
	};
}

/** Taps "Kirim" on a ready draft while submissions fail, then runs the alarm until it gives up. */
async function submitFailing(r: Resident, rounds: number): Promise<string> {
	await fillDetails(r, { service: "Legalisir", nik: "1674015203900017" });
	await sendFile(r, "pdf");
	await r.tap("Lanjut");
	let said = texts(await r.tap("Kirim"));
	for (let i = 0; i < rounds; i++) {
		await r.fastForward();
		said += `\n${texts(r.replies())}`;
	}
	return said;
}

async function letters(query = ""): Promise<Letter[]> {
	const res = await api("GET", `/dead-letters${query}`);
	expect(res.status).toBe(200);
	return (await res.json<{ items: Letter[] }>()).items;
}

async function deadJobs(r: Resident): Promise<number> {
	return runInDurableObject(
		r.stub,
		(_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM dead_jobs").one().n as number,
	);
}

describe("settings", () => {
	it("refuses an office code that tickets cannot carry, with the ticket's own rule", () => {
		expect(() => new Settings({ OFFICE_CODE: "35" }).get("OFFICE_CODE")).toThrow(ConfigError);
		expect(new Settings({ OFFICE_CODE: "PBM2" }).get("OFFICE_CODE")).toBe("PBM2");
	});
});

describe("a job that fails every time", () => {
	it("is dead-lettered after its cap, the resident told once, and an admin's retry files it", async () => {
		const r = t.resident();
		const fix = await breakOfficeCode(r);
		const said = await submitFailing(r, 14);
		// Told once, in the resident's language; no ticket, and no longer "submitting".
		expect(said.match(new RegExp(SORRY, "g"))?.length).toBe(1);
		expect(await requestRows(r.id)).toHaveLength(0);
		const jobsLeft = await runInDurableObject(
			r.stub,
			(_i, state) => state.storage.sql.exec("SELECT count(*) AS n FROM jobs").one().n,
		);
		expect(jobsLeft).toBe(0);

		// The conversation goes on: the next message is answered, not held behind the job.
		const next = texts(await r.say("halo"));
		expect(next).not.toMatch(/sedang kami kirim/);
		expect(next).toMatch(/layanan/i);

		// Admins see it, without personal data.
		const open = (await letters("?state=open")).filter((l) => l.kind === "submit");
		const letter = open.find((l) => l.attempts === 12);
		expect(letter).toBeDefined();
		expect(letter?.error).toMatch(/office code/);
		expect(JSON.stringify(letter)).not.toContain("1674015203900017");
		expect(JSON.stringify(letter)).not.toContain(r.id);
		const id = String(letter?.id);

		// Only admins.
		const officer = await createStaff("officer");
		expect((await api("GET", "/dead-letters", { token: officer.token })).status).toBe(403);
		expect((await api("POST", `/dead-letters/${id}/retry`, { token: officer.token })).status).toBe(
			403,
		);

		// Fixed, then retried: the request is filed as drafted and the resident gets the ticket.
		await fix();
		const retried = await api("POST", `/dead-letters/${id}/retry`);
		expect(retried.status).toBe(200);
		expect((await retried.json<Letter>()).state).toBe("retried");
		await r.settle();
		const rows = await requestRows(r.id);
		expect(rows).toHaveLength(1);
		expect(rows[0]?.id).toBe(letter?.requestId);
		expect(texts(r.replies())).toContain(String(rows[0]?.ticket));
		expect(await deadJobs(r)).toBe(0);

		// Idempotent: a second retry files nothing more.
		const again = await api("POST", `/dead-letters/${id}/retry`);
		expect(again.status).toBe(200);
		await r.settle();
		expect(await requestRows(r.id)).toHaveLength(1);
		const audited = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'dead_letter.retry' AND detail LIKE ?",
		)
			.bind(`%${id}%`)
			.all();
		expect(audited.results.length).toBeGreaterThanOrEqual(1);
		expect((await api("POST", "/dead-letters/nope/retry")).status).toBe(404);
	});

	it("is dead-lettered once it is older than its age cap, whatever its tries", async () => {
		const r = t.resident();
		await breakOfficeCode(r);
		await submitFailing(r, 0);
		await runInDurableObject(r.stub, (_i, state) => {
			state.storage.sql.exec("UPDATE jobs SET created_at = ?", Date.now() - 25 * 60 * 60_000);
		});
		await r.fastForward();
		expect(texts(r.replies())).toMatch(SORRY);
		const mine = (await letters()).filter((l) => l.kind === "submit" && l.attempts === 2);
		expect(mine.length).toBeGreaterThanOrEqual(1);
	});
});

/** A submission dead-lettered (the office code broken for good); its letter, draft files. */
async function deadSubmission(r: Resident): Promise<{ letter: Letter; draftId: string }> {
	await breakOfficeCode(r);
	await submitFailing(r, 14);
	const letter = (await letters("?state=open")).find(
		(l) => l.kind === "submit" && l.attempts === 12 && l.requestId !== null,
	);
	const draftId = String(letter?.requestId);
	expect(await filesOf(draftId)).toBeGreaterThan(0);
	expect(await requestRows(r.id)).toHaveLength(0);
	return { letter: letter as Letter, draftId };
}

async function filesOf(draftId: string): Promise<number> {
	return (await env.FILES.list({ prefix: `requests/${draftId}/` })).objects.length;
}

async function letterExists(id: string): Promise<boolean> {
	const row = await env.DB.prepare("SELECT 1 FROM dead_letters WHERE id = ?").bind(id).first();
	return row !== null;
}

describe("a message WhatsApp keeps refusing", () => {
	it("becomes a dead letter for admins, without the number, and an admin's retry sends it", async () => {
		const r = t.resident();
		t.graph.fail("messages", {
			kind: "http",
			status: 400,
			code: 100,
			message: `Invalid parameter for recipient ${r.id}`,
		});
		const [list, ...more] = await r.say("Halo");
		// The greeting was refused for good; the service list after it went out.
		expect(more).toEqual([]);
		expect(texts([list].filter((m) => m !== undefined))).toMatch(/layanan/i);
		await r.settle();

		const letter = (await letters("?state=open")).find(
			(l) => l.kind === "send" && l.error.includes("recipient"),
		);
		expect(letter).toMatchObject({ kind: "send", attempts: 1, state: "open" });
		expect(JSON.stringify(letter)).not.toContain(r.id);
		expect(await deadJobs(r)).toBe(1);

		const retried = await api("POST", `/dead-letters/${letter?.id}/retry`);
		expect(retried.status).toBe(200);
		await r.settle();
		expect(texts(r.replies())).toMatch(/selamat datang/i);
		expect((await r.outbox()).map((row) => row.state)).toEqual(["sent", "sent"]);
		expect(await deadJobs(r)).toBe(0);
		// Idempotent: a second retry sends nothing more.
		expect((await api("POST", `/dead-letters/${letter?.id}/retry`)).status).toBe(200);
		await r.settle();
		expect(r.replies()).toEqual([]);
	});
});

describe("a dead submission and personal data", () => {
	it("keeps the draft's papers while an admin can retry it, and lets both go after 30 quiet days", async () => {
		const r = t.resident();
		const { letter, draftId } = await deadSubmission(r);

		// 29 days of silence: the letter can still be retried, so its papers stay.
		await r.quietFor(29 * DAY);
		await runDurableObjectAlarm(r.stub);
		expect(await deadJobs(r)).toBe(1);
		expect(await filesOf(draftId)).toBeGreaterThan(0);
		expect(await letterExists(letter.id)).toBe(true);

		// Two more: the job, its letter and the draft's files go together (the letter first).
		await r.quietFor(2 * DAY);
		await runDurableObjectAlarm(r.stub);
		expect(await deadJobs(r)).toBe(0);
		expect(await filesOf(draftId)).toBe(0);
		expect(await letterExists(letter.id)).toBe(false);
		const expired = await env.DB.prepare(
			"SELECT actor, detail FROM audit_log WHERE action = 'dead_letter.expired' AND detail LIKE ?",
		)
			.bind(`%${letter.id}%`)
			.all<{ actor: string; detail: string }>();
		expect(expired.results).toHaveLength(1);
		expect(expired.results[0]?.actor).toBe("system");
		// Nothing left to retry: not a request filed without its papers.
		expect((await api("POST", `/dead-letters/${letter.id}/retry`)).status).toBe(404);
		await r.settle();
		expect(await requestRows(r.id)).toHaveLength(0);
		// The object forgot the resident (nothing of theirs left), and a repeat sweep is harmless.
		const kvRows = await runInDurableObject(
			r.stub,
			(_i, state) =>
				state.storage.sql.exec("SELECT count(*) AS n FROM kv WHERE key <> 'schema_version'").one()
					.n,
		);
		expect(kvRows).toBe(0);
	});

	it("counts 30 quiet days from when the job died, not from the resident's last message", async () => {
		const r = t.resident();
		const { letter, draftId } = await deadSubmission(r);
		// The chat went quiet 40 days ago; the job died (again, after a retry) 10 days ago.
		await r.quietFor(40 * DAY);
		await runInDurableObject(r.stub, (_i, state) => {
			state.storage.sql.exec("UPDATE dead_jobs SET last_at = ?", Date.now() - 10 * DAY);
		});
		await runDurableObjectAlarm(r.stub);
		expect(await deadJobs(r)).toBe(1);
		expect(await filesOf(draftId)).toBeGreaterThan(0);
		expect(await letterExists(letter.id)).toBe(true);
	});

	it("goes with an admin's erasure of the resident: job, letter and papers", async () => {
		const r = t.resident();
		const { letter, draftId } = await deadSubmission(r);
		const res = await api("POST", "/residents/erasure", { json: { phone: `+${r.id}` } });
		expect(res.status).toBe(200);
		expect(await deadJobs(r)).toBe(0);
		expect(await filesOf(draftId)).toBe(0);
		expect(await letterExists(letter.id)).toBe(false);
		expect((await api("POST", `/dead-letters/${letter.id}/retry`)).status).toBe(404);
	});
});

describe("the dead letters list", () => {
	it("pages through every letter, newest failure first, with a filter kept on each page", async () => {
		const base = Date.now() - DAY;
		const ids = Array.from({ length: 5 }, (_, i) => `paged-${i}-${crypto.randomUUID()}`);
		// Two share a failure time: the id breaks the tie, and neither is skipped.
		const times = [base + 4, base + 3, base + 3, base + 2, base + 1];
		await env.DB.batch(
			ids.map((id, i) =>
				env.DB.prepare(
					`INSERT INTO dead_letters (id, conversation, kind, request_id, error, attempts,
						first_attempt_at, last_attempt_at, state) VALUES (?, 'x', 'notice', NULL, 'e', 12, ?, ?, ?)`,
				).bind(id, base, times[i], i === 2 ? "retried" : "open"),
			),
		);
		const seen: string[] = [];
		let cursor: string | null = "";
		for (let pages = 0; cursor !== null; pages++) {
			expect(pages).toBeLessThan(5);
			const res = await api("GET", `/dead-letters?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
			expect(res.status).toBe(200);
			const page: { items: Letter[]; nextCursor: string | null } = await res.json();
			seen.push(...page.items.map((letter) => letter.id).filter((id) => ids.includes(id)));
			cursor = page.nextCursor;
		}
		const newestFirst = [ids[0], ...[ids[1], ids[2]].sort().reverse(), ids[3], ids[4]];
		expect(seen).toEqual(newestFirst);
		const open = await api("GET", "/dead-letters?state=open&limit=100");
		const openIds = (await open.json<{ items: Letter[] }>()).items.map((letter) => letter.id);
		expect(openIds.filter((id) => ids.includes(id))).toEqual(
			newestFirst.filter((id) => id !== ids[2]),
		);
		const bad = await api("GET", "/dead-letters?cursor=nope!");
		expect(bad.status).toBe(400);
		expect(await bad.text()).toContain("query.cursor");
		await env.DB.prepare("DELETE FROM dead_letters WHERE id LIKE 'paged-%'").run();
	});
});
