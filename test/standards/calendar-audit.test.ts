import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { dueNotices, dueOn, fileLegalisir, move } from "../helpers/due-dates";
import { pendingRows } from "../helpers/faults";
import { texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

const t = withResidents("62813556");

describe("a calendar change's audit", () => {
	it("counts in its audit only the residents really told: not one whose request staff changed while the change was being written", async () => {
		const told = t.resident();
		const request = await fileLegalisir(told);
		const asked = t.resident();
		const changed = await fileLegalisir(asked);
		// Both queued on a day of their own, away from any other request this file files.
		const day = await dueOn("2027-03-01");
		await env.DB.prepare(
			"UPDATE requests SET queue_date = '2027-03-01', due_date = ? WHERE id IN (?, ?)",
		)
			.bind(day, request.id, changed.id)
			.run();

		// The change reads both requests and builds both notices; before its batch runs, staff
		// ask one resident for papers (needs_revision: not told), so its notice writes nothing.
		const prepare = env.DB.prepare.bind(env.DB);
		const batch = env.DB.batch.bind(env.DB);
		let built = false;
		let raced = false;
		const prepared = vi.spyOn(env.DB, "prepare").mockImplementation((sql: string) => {
			if (sql.includes("INSERT INTO pending_notices") && sql.includes("json_each")) built = true;
			return prepare(sql);
		});
		const batched = vi.spyOn(env.DB, "batch").mockImplementation(async (statements) => {
			if (built && !raced) {
				raced = true;
				await move(changed.id, {
					to: "needs_revision",
					reason: "Foto buram",
					documents: ["dokumen_legalisir"],
				});
			}
			return batch(statements);
		});
		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: day, kind: "closed", name: "Rapat Kerja" }] },
		});
		prepared.mockRestore();
		batched.mockRestore();
		expect(res.status).toBe(200);
		expect(raced).toBe(true);

		// Both were moved; only the one still in the office's hands was told, and counted.
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'calendar.update' ORDER BY at DESC, rowid DESC",
		).first<{ detail: string }>();
		expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ replanned: 2, told: 1 });
		await told.settle();
		expect(dueNotices(texts(told.replies()))).toHaveLength(1);
		await asked.settle();
		const revision = texts(asked.replies());
		expect(revision).toContain("perlu perbaikan");
		expect(dueNotices(revision)).toEqual([]);
		expect(await pendingRows(changed.id)).toEqual([]);

		expect((await api("PUT", "/calendar", { json: { remove: [day] } })).status).toBe(200);
		await told.settle();
	});
});
