import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { dueDateEn, dueDateId } from "../../src/conversation/texts/due-date";
import { redeliverNotices } from "../../src/scheduled/notice-redelivery";
import { formatDate } from "../../src/standards/dates-id";
import {
	DECREE_2028,
	dueNotices,
	dueOn,
	filedBeforeTheDecree,
	fileLegalisir,
	move,
} from "../helpers/due-dates";
import { pendingRows, unreachableObjects } from "../helpers/faults";
import { requestRows, texts, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";

const t = withResidents("62813555");

describe("a calendar change that moves a due date tells the resident", () => {
	it("once, in Indonesian, with the new date, the ticket and the day that changed; not on a replay, not for finished requests", async () => {
		const open = t.resident();
		const request = await fileLegalisir(open);
		const finished = t.resident();
		const done = await fileLegalisir(finished);
		await move(done.id, { to: "in_review" }, { to: "processing" }, { to: "completed" });
		const waiting = t.resident();
		const papers = await fileLegalisir(waiting);
		await move(papers.id, {
			to: "needs_revision",
			reason: "Foto buram",
			documents: ["dokumen_legalisir"],
		});
		for (const r of [finished, waiting]) {
			await r.settle();
			r.replies();
		}

		// A cuti bersama declared on the day the request is due: it moves to the next working day.
		const day = request.dueDate;
		const added = {
			add: [{ date: day, kind: "cuti_bersama", name: "Cuti Bersama Uji" }],
		};
		const res = await api("PUT", "/calendar", { json: added });
		expect(res.status).toBe(200);
		const later = await dueOn(request.queueDate);
		expect(later > day).toBe(true);
		const [row] = await requestRows(open.id);
		expect(row?.due_date).toBe(later);

		await open.settle();
		const told = dueNotices(texts(open.replies()));
		expect(told).toHaveLength(1);
		expect(told[0]).toContain(
			`Perkiraan selesai permohonan *${request.ticket}* mundur menjadi *${formatDate(later, "id")}* (sebelumnya ${formatDate(day, "id")}).`,
		);
		expect(told[0]).toContain(
			`kalender kerja kantor berubah: kantor libur pada ${formatDate(day, "id")} (Cuti Bersama Uji).`,
		);
		expect(await pendingRows(request.id)).toEqual([]);
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'calendar.update' ORDER BY at DESC, rowid DESC",
		).first<{ detail: string }>();
		expect(JSON.parse(audit?.detail ?? "{}")).toMatchObject({ told: 1 });

		// Finished, or waiting for papers (the clock stopped): nothing to tell.
		for (const r of [finished, waiting]) {
			await r.settle();
			expect(r.replies()).toEqual([]);
		}

		// The same change again moves nothing, so it tells nothing.
		const replay = await api("PUT", "/calendar", { json: added });
		expect(await replay.json()).toMatchObject({ replanned: 0 });
		await open.settle();
		expect(open.replies()).toEqual([]);

		// The day reopened: the date comes back, told as earlier, with the date now current.
		expect((await api("PUT", "/calendar", { json: { remove: [day] } })).status).toBe(200);
		await open.settle();
		const back = dueNotices(texts(open.replies()));
		expect(back).toHaveLength(1);
		expect(back[0]).toContain(
			`*${request.ticket}* maju menjadi *${formatDate(day, "id")}* (sebelumnya ${formatDate(later, "id")}).`,
		);
		expect(back[0]).toContain(`kantor buka pada ${formatDate(day, "id")}.`);
	});

	it("outside the 24-hour window, by the status template naming the new date, then the text", async () => {
		const r = t.resident();
		const request = await fileLegalisir(r);
		await r.age(25 * 60 * 60 * 1000);
		const day = request.dueDate;
		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: day, kind: "closed", name: "HUT Kota Uji" }] },
		});
		expect(res.status).toBe(200);
		const later = await dueOn(request.queueDate);
		await r.settle();
		const sent = r.replies();
		expect(sent.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(sent[0]?.body)).toContain(
			`${request.ticket}: Perkiraan selesai berubah menjadi ${formatDate(later, "id")}`,
		);
		const told = dueNotices(texts(await r.say("halo")));
		expect(told).toHaveLength(1);
		expect(told[0]).toContain(`mundur menjadi *${formatDate(later, "id")}*`);
		expect(told[0]).toContain(`kantor libur pada ${formatDate(day, "id")} (HUT Kota Uji)`);
		// Leave the calendar as it was for the other tests of this file (the date comes back).
		expect((await api("PUT", "/calendar", { json: { remove: [day] } })).status).toBe(200);
		await r.settle();
	});

	it("keeps a notice whose hand-over failed and the cron tells it once", async () => {
		const r = t.resident();
		const request = await fileLegalisir(r);
		const day = request.dueDate;
		const spy = unreachableObjects("notify");
		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: day, kind: "closed", name: "Banjir" }] },
		});
		spy.mockRestore();
		expect(res.status).toBe(200);
		expect(await pendingRows(request.id)).toHaveLength(1);
		await r.settle();
		expect(r.replies()).toEqual([]);

		// The residents of the tests above are due the same day: told too.
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBeGreaterThanOrEqual(1);
		expect(await pendingRows(request.id)).toEqual([]);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBe(0);
		await r.settle();
		const told = dueNotices(texts(r.replies()));
		expect(told).toHaveLength(1);
		expect(told[0]).toContain(`*${formatDate(await dueOn(request.queueDate), "id")}*`);
		expect((await api("PUT", "/calendar", { json: { remove: [day] } })).status).toBe(200);
		await r.settle();
	});
	it("answers the saved change though D1 fails while telling it, and the cron tells it after", async () => {
		const r = t.resident();
		const request = await fileLegalisir(r);
		const day = request.dueDate;
		const prepare = env.DB.prepare.bind(env.DB);
		const spy = vi.spyOn(env.DB, "prepare").mockImplementation((sql: string) => {
			if (sql.includes("FROM pending_notices") && sql.trimStart().startsWith("SELECT")) {
				throw new Error("D1 unavailable (injected)");
			}
			return prepare(sql);
		});
		const res = await api("PUT", "/calendar", {
			json: { add: [{ date: day, kind: "closed", name: "Listrik padam" }] },
		});
		spy.mockRestore();
		expect(res.status).toBe(200);
		expect(await pendingRows(request.id)).toHaveLength(1);
		expect(await redeliverNotices(env, Date.now() + 120_000)).toBeGreaterThanOrEqual(1);
		await r.settle();
		expect(dueNotices(texts(r.replies()))).toHaveLength(1);
		expect((await api("PUT", "/calendar", { json: { remove: [day] } })).status).toBe(200);
		await r.settle();
	});
});

describe("a year declared covered tells the residents it gives a first due date", () => {
	/** The messages giving a first due date among `told`'s texts. */
	function firstNotices(told: string): string[] {
		return told.split("\n---\n").filter((text) => text.includes("kini punya perkiraan selesai"));
	}

	it("once, with the date and the year set; by the template outside the window; not again, not for finished requests or ones waiting for papers", async () => {
		const open = t.resident();
		const request = await filedBeforeTheDecree(open);
		const away = t.resident();
		const quiet = await filedBeforeTheDecree(away);
		await away.age(25 * 60 * 60 * 1000);
		const finished = t.resident();
		await filedBeforeTheDecree(finished, [
			{ to: "in_review" },
			{ to: "processing" },
			{ to: "completed" },
		]);
		const waiting = t.resident();
		const papers = await filedBeforeTheDecree(waiting, [
			{ to: "needs_revision", reason: "Foto buram", documents: ["dokumen_legalisir"] },
		]);

		const days = await api("PUT", "/calendar", {
			json: { add: [{ date: "2028-01-01", kind: "holiday", name: "Tahun Baru 2028 Masehi" }] },
		});
		expect(days.status).toBe(200);
		const res = await api("PUT", "/calendar/years/2028", { json: DECREE_2028 });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ backfilled: 3 });
		// Friday 31 December + 1 working day: Monday 3 January 2028.
		const due = await dueOn("2027-12-31");
		expect(due).toBe("2028-01-03");
		const [row] = await requestRows(open.id);
		expect(row?.due_date).toBe(due);

		await open.settle();
		const told = firstNotices(texts(open.replies()));
		expect(told).toEqual([
			[
				`📅 Permohonan *${request.ticket}* kini punya perkiraan selesai: *${formatDate(due, "id")}*.`,
				"Kalender kerja kantor untuk tahun 2028 (hari libur dan cuti bersama) sudah ditetapkan, jadi tanggalnya kini dapat kami hitung.",
				"Ketik *status* untuk melihat perkembangannya.",
			].join("\n"),
		]);
		expect(await pendingRows(request.id)).toEqual([]);
		const audit = await env.DB.prepare(
			"SELECT detail FROM audit_log WHERE action = 'calendar.year' ORDER BY at DESC, rowid DESC",
		).first<{ detail: string }>();
		expect(JSON.parse(audit?.detail ?? "{}")).toEqual({
			year: 2028,
			created: true,
			backfilled: 3,
			told: 2,
		});

		// Outside the 24-hour window the template's summary names the date, the text follows.
		await away.settle();
		const sent = away.replies();
		expect(sent.map((m) => m.type)).toEqual(["template"]);
		expect(JSON.stringify(sent[0]?.body)).toContain(
			`${quiet.ticket}: Perkiraan selesai ${formatDate(due, "id")}`,
		);
		expect(firstNotices(texts(await away.say("halo")))).toHaveLength(1);

		// Finished: no date, nothing told. Waiting for papers: dated, told when they arrive (below).
		const [done] = await requestRows(finished.id);
		expect(done?.due_date).toBeNull();
		const [paused] = await requestRows(waiting.id);
		expect(paused?.due_date).toBe(due);
		expect(await pendingRows(papers.id)).toEqual([]);
		for (const r of [finished, waiting]) {
			await r.settle();
			expect(r.replies()).toEqual([]);
		}

		// Declaring the year again (a corrected decree) dates nothing, so it tells nothing.
		const again = await api("PUT", "/calendar/years/2028", {
			json: { ...DECREE_2028, verification: "Checked again." },
		});
		expect(await again.json()).toMatchObject({ backfilled: 0 });
		for (const r of [open, away, finished, waiting]) {
			await r.settle();
			expect(r.replies()).toEqual([]);
		}
	});
});

describe("the words of a moved due date", () => {
	const days = [
		{ date: "2027-06-14", open: false, name: "HUT Kota Prabumulih" },
		{ date: "2027-06-19", open: true, name: "Pelayanan Sabtu" },
		{ date: "2027-06-21", open: true },
	];

	it("says earlier or later, both dates in words and every day that changed, in either language", () => {
		expect(dueDateId.moved("PBM-270611-0001", "2027-06-15", "2027-06-14", days)).toBe(
			[
				"📅 Perkiraan selesai permohonan *PBM-270611-0001* mundur menjadi *Selasa, 15 Juni 2027* (sebelumnya Senin, 14 Juni 2027).",
				"Sebabnya, kalender kerja kantor berubah: kantor libur pada Senin, 14 Juni 2027 (HUT Kota Prabumulih); kantor buka pada Sabtu, 19 Juni 2027 (Pelayanan Sabtu); dan kantor buka pada Senin, 21 Juni 2027.",
				"Ketik *status* untuk melihat perkembangannya.",
			].join("\n"),
		);
		expect(dueDateEn.moved("PBM-270611-0001", "2027-06-14", "2027-06-15", [])).toBe(
			[
				"📅 The expected completion of request *PBM-270611-0001* moved earlier, to *Monday, 14 June 2027* (it was Tuesday, 15 June 2027).",
				"This is because the office calendar changed.",
				"Type *status* to follow its progress.",
			].join("\n"),
		);
		expect(dueDateEn.summary("2027-06-14")).toBe(
			"Expected completion moved to Monday, 14 June 2027",
		);
	});

	it("gives a first date with the year whose calendar was set, in either language", () => {
		expect(dueDateEn.first("PBM-271231-0001", "2028-01-03", 2028)).toBe(
			[
				"📅 Request *PBM-271231-0001* now has an expected completion date: *Monday, 3 January 2028*.",
				"The office's working calendar for 2028 (holidays and cuti bersama) is now set, so the date can be counted.",
				"Type *status* to follow its progress.",
			].join("\n"),
		);
		expect(dueDateId.firstSummary("2028-01-03")).toBe("Perkiraan selesai Senin, 3 Januari 2028");
		expect(dueDateEn.resumed("2028-01-03")).toBe("Expected completion: *Monday, 3 January 2028*.");
	});
});
