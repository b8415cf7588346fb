/**
 * A hand-off's conversation as staff read it when the resident changed their WhatsApp number
 * during it or just before: what they said from either number, in order, each message once,
 * however the pages are cut.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../src/requests/cursor";
import userChangedNumber from "../fixtures/whatsapp/user-changed-number.json?raw";
import { page, signIn } from "../helpers/console";
import { Resident, withResidents } from "../helpers/resident";
import { ADMIN, api } from "../helpers/staff";
import { freshen, inboxOf, postWebhook } from "../helpers/webhook";

const PREFIX = "62811700";
const t = withResidents(PREFIX);

interface Page {
	messages: { direction: string; kind: string; text: string | null; at: number }[];
	nextCursor: string | null;
}

/** WhatsApp's notice that `from` now writes as another number; the resident there. */
async function changeNumber(from: Resident): Promise<Resident> {
	const to = from.id.replace(PREFIX, "62811799");
	const res = await postWebhook(
		freshen(userChangedNumber.replaceAll("6281300000007", from.id).replaceAll("6281300000008", to)),
	);
	expect(res.status).toBe(200);
	await from.settle();
	return new Resident(to, t.graph);
}

async function handoffOf(r: Resident): Promise<string> {
	const row = await env.DB.prepare("SELECT id FROM handoffs WHERE resident_id = ?")
		.bind(r.id)
		.first<{ id: string }>();
	expect(row).not.toBeNull();
	return String(row?.id);
}

async function read(id: string, query: string): Promise<Page> {
	const res = await api("GET", `/handoffs/${id}/messages${query}`);
	expect(res.status).toBe(200);
	return res.json<Page>();
}

const line = (m: Page["messages"][number]) => `${m.direction}:${m.text ?? m.kind}`;

/** The whole conversation read `limit` messages at a time, each page's lines in turn. */
async function paged(id: string, limit: number): Promise<string[]> {
	const lines: string[] = [];
	let cursor: string | null = "";
	while (cursor !== null) {
		const page = await read(id, `?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
		expect(page.messages.length).toBeLessThanOrEqual(limit);
		lines.push(...page.messages.map(line));
		cursor = page.nextCursor;
	}
	return lines;
}

/** Where `text` from the resident stands, expecting it exactly once. */
function once(lines: string[], text: string): number {
	expect(lines.filter((l) => l === `in:${text}`)).toEqual([`in:${text}`]);
	return lines.indexOf(`in:${text}`);
}

describe("a hand-off across a number change", () => {
	it("staff see what the resident wrote from the old number and the new one, in order, each once, on every page", async () => {
		const old = t.resident();
		await old.say("Saya mau ganti alamat di KK");
		await old.say("petugas");
		const id = await handoffOf(old);
		await old.say("pesan lama 1");
		await api("POST", `/handoffs/${id}/reply`, { json: { text: "Baik, kami bantu." } });
		await old.settle();
		await old.say("pesan lama 2");
		// Sent as the number changes, not handled yet: the new conversation takes it over too.
		old.clockAt(Math.floor(Date.now() / 1000) + 2);
		const { body, ids } = old.delivery([{ type: "text", text: { body: "pesan lama 3" } }]);
		await postWebhook(body);
		const moved = await changeNumber(old);
		expect(await handoffOf(moved)).toBe(id);
		for (const chat of [old, moved]) {
			expect((await inboxOf(chat.id)).map((row) => row.message_id)).toContain(ids[0]);
		}
		await moved.say("pesan baru 1");
		await api("POST", `/handoffs/${id}/reply`, { json: { text: "Nomor baru sudah kami terima." } });
		await moved.settle();
		await moved.say("pesan baru 2");

		const all = (await read(id, "?limit=100")).messages;
		const lines = all.map(line);
		const order = [
			once(lines, "Saya mau ganti alamat di KK"),
			once(lines, "petugas"),
			once(lines, "pesan lama 1"),
			lines.findIndex((l) => l.startsWith("out:") && l.includes("Baik, kami bantu.")),
			once(lines, "pesan lama 2"),
			once(lines, "pesan lama 3"),
			once(lines, "pesan baru 1"),
			lines.findIndex((l) => l.startsWith("out:") && l.includes("Nomor baru sudah kami terima.")),
			once(lines, "pesan baru 2"),
		];
		expect(order).toEqual([...order].sort((a, b) => a - b));
		expect(order[0]).toBe(0);
		expect(order).not.toContain(-1);
		// Cut anywhere, across the change too, the pages together are the whole, in its order.
		for (const limit of [1, 2, 3, 5]) expect(await paged(id, limit)).toEqual(lines);
	});

	it("staff see what the resident asked from the old number just before asking for a person from the new one", async () => {
		const old = t.resident();
		await old.say("Saya mau ganti alamat di KK");
		const moved = await changeNumber(old);
		await moved.say("petugas");
		const id = await handoffOf(moved);
		await moved.say("rumah saya pindah ke kelurahan lain");
		const lines = (await read(id, "?limit=100")).messages.map(line);
		expect(lines[0]).toBe("in:Saya mau ganti alamat di KK");
		expect(once(lines, "petugas")).toBeLessThan(once(lines, "rumah saya pindah ke kelurahan lain"));
		expect(await paged(id, 2)).toEqual(lines);
		// The console's page of the hand-off shows it too.
		const shown = await (await page(`/console/handoffs/${id}`, await signIn(ADMIN))).text();
		const asked = shown.indexOf("Saya mau ganti alamat di KK");
		expect(asked).toBeGreaterThan(-1);
		expect(shown.indexOf("rumah saya pindah ke kelurahan lain")).toBeGreaterThan(asked);
	});

	it("whoever writes from the old number after the change is not in the resident's hand-off", async () => {
		const old = t.resident();
		await old.say("petugas");
		const id = await handoffOf(old);
		await old.say("pesan dari nomor lama");
		const moved = await changeNumber(old);
		await moved.say("pesan dari nomor baru");
		await old.say("Halo, ini nomor baru saya");
		const lines = (await read(id, "?limit=100")).messages.map(line);
		once(lines, "pesan dari nomor lama");
		once(lines, "pesan dari nomor baru");
		expect(lines).not.toContain("in:Halo, ini nomor baru saya");
	});

	it("answers 400 problem+json to a cursor it did not give out", async () => {
		const r = t.resident();
		await r.say("petugas");
		const id = await handoffOf(r);
		for (const cursor of ["%21%21%21", "bm90LWEtY3Vyc29y", encodeCursor(1, "req:1")]) {
			const res = await api("GET", `/handoffs/${id}/messages?cursor=${cursor}`);
			expect(res.status).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		const first = await read(id, "?limit=1");
		expect(first.nextCursor).not.toBeNull();
	});
});
