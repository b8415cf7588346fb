import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/catalog/catalog";
import { initialState, step } from "../../src/conversation/dialogue";
import { finishSurvey, openSurvey } from "../../src/requests/skm";
import { submitRequest } from "../../src/requests/submit";
import { type Resident, texts, wire, withResidents } from "../helpers/resident";
import { api } from "../helpers/staff";
import { PHONE_NUMBER_ID, postWebhook } from "../helpers/webhook";

const t = withResidents("62816100");
const AREA = "16.74.03.1001";

/** A WhatsApp request of `r` in processing, completed through the staff API (the resident told). */
async function complete(r: Resident): Promise<{ id: string; ticket: string }> {
	const id = crypto.randomUUID();
	const { ticket } = await submitRequest(env.DB, "PBM", {
		id,
		channel: "whatsapp",
		businessId: PHONE_NUMBER_ID,
		residentId: r.id,
		residentName: "Warga Uji",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: AREA,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	await env.DB.prepare("UPDATE requests SET status = 'processing' WHERE id = ?").bind(id).run();
	const res = await api("POST", `/requests/${id}/transitions`, { json: { to: "completed" } });
	expect(res.status).toBe(200);
	await r.settle();
	return { id, ticket };
}

/** Taps the row titled exactly `title` ("Baik" is in "Tidak baik" too: r.tap would take that). */
function tapRow(r: Resident, title: string) {
	const option = r.options().find((o) => o.title === title);
	if (option === undefined) throw new Error(`no row "${title}"`);
	return r.send(wire.row(option.id, option.title));
}

type Row = Record<`u${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}`, number | null> & {
	id: string;
	request_id: string | null;
	service_code: string;
	area_code: string;
	finished_at: number | null;
	suggestion: string | null;
};

async function surveyOf(requestId: string): Promise<Row | null> {
	return env.DB.prepare("SELECT * FROM skm_responses WHERE request_id = ?")
		.bind(requestId)
		.first<Row>();
}

const answers = (row: Row | null) =>
	row === null ? null : [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9];

describe("the SKM survey", () => {
	it("is not offered while a person holds the chat; asked for with survei, it takes typed answers", async () => {
		const r = t.resident();
		await r.say("petugas");
		r.replies();
		const { id, ticket } = await complete(r);
		const told = texts(r.replies());
		expect(told).toContain(ticket);
		expect(told).not.toContain("Survei 1/9");
		expect((await r.savedState()).survey ?? null).toBeNull();
		// The resident's words stay for staff.
		expect(await r.say("4")).toEqual([]);
		// Asked for, the survey runs, and typed scores reach it though the chat is held.
		expect(texts(await r.say("survei"))).toContain("Survei 1/9");
		expect(texts(await r.say("4"))).toContain("Survei 2/9");
		expect(texts(await r.say("lewati"))).toContain("Terima kasih atas penilaian Anda");
		expect(answers(await surveyOf(id))?.[0]).toBe(4);
		expect((await r.savedState()).heldSince).not.toBeNull();
	});

	it("is offered once a request is completed in the window: nine scores and a suggestion", async () => {
		const r = t.resident();
		await r.say("status");
		r.replies();
		const { id, ticket } = await complete(r);
		const offered = texts(r.replies());
		expect(offered).toContain(`menilai layanan untuk permohonan *${ticket}*`);
		expect(offered).toContain("Survei 1/9");
		// The list holds the regulation's scale, then a way out.
		expect(r.options().map((o) => o.title)).toEqual([
			"Tidak baik",
			"Kurang baik",
			"Baik",
			"Sangat baik",
			"Lewati survei",
		]);
		expect((await surveyOf(id))?.finished_at).toBeNull();
		// Tapped, typed by number and typed by name.
		await r.tap("Sangat baik");
		await r.say("3");
		await r.say("baik");
		await r.tap("Kurang baik");
		await r.say("4");
		await r.say("4");
		await r.tap("Sangat baik");
		expect(texts(await r.say("tidak baik"))).toContain("Survei 9/9");
		// Not a score: asked again, nothing recorded for it.
		expect(texts(await r.say("mantap"))).toContain("Survei 9/9");
		expect(texts(await tapRow(r, "Baik"))).toContain("*saran*");
		const { body } = r.delivery([wire.text("Antrean di loket lebih cepat")]);
		await postWebhook(body);
		await r.settle();
		expect(texts(r.replies())).toContain("Terima kasih atas penilaian Anda");
		// Meta delivers the last answer again: nothing more is said or written.
		await postWebhook(body);
		await r.settle();
		expect(r.replies()).toEqual([]);
		const row = await surveyOf(id);
		expect(answers(row)).toEqual([4, 3, 3, 2, 4, 4, 4, 1, 3]);
		expect(row).toMatchObject({
			service_code: "legalisir",
			area_code: AREA,
			suggestion: "Antrean di loket lebih cepat",
		});
		expect(row?.finished_at).toEqual(expect.any(Number));
		// The finishing write, retried (or a late second end), changes nothing.
		await finishSurvey(env.DB, String(row?.id), Array(9).fill(1), "lain", Date.now());
		expect(await surveyOf(id)).toEqual(row);
		// At most one survey per request: asked for again, there is none to take.
		expect(texts(await r.say("survei"))).toContain(
			"Belum ada permohonan selesai yang bisa dinilai",
		);
		expect(
			await openSurvey(
				env.DB,
				{
					surveyId: crypto.randomUUID(),
					requestId: id,
					businessId: PHONE_NUMBER_ID,
					residentId: r.id,
				},
				Date.now(),
			),
		).toBeNull();
		const { results } = await env.DB.prepare("SELECT id FROM skm_responses WHERE request_id = ?")
			.bind(id)
			.all();
		expect(results).toHaveLength(1);
	});

	it("ends with `lewati`, keeping the scores given and the rest empty", async () => {
		const r = t.resident();
		await r.say("status");
		const { id } = await complete(r);
		r.replies();
		await r.say("2");
		await tapRow(r, "Baik");
		const skipped = texts(await r.say("lewati"));
		expect(skipped).toContain("Terima kasih atas penilaian Anda");
		expect(skipped).not.toContain("Survei 3/9");
		const row = await surveyOf(id);
		expect(answers(row)).toEqual([2, 3, null, null, null, null, null, null, null]);
		expect(row?.suggestion).toBeNull();
		expect(row?.finished_at).toEqual(expect.any(Number));
		// The suggestion can be skipped too, and tapping "Lewati survei" works like typing it.
		const other = t.resident();
		await other.say("status");
		const second = await complete(other);
		for (let i = 0; i < 8; i++) await other.say("4");
		expect(texts(await tapRow(other, "Sangat baik"))).toContain("*saran*");
		expect(texts(await other.tap("Lewati"))).toContain("Terima kasih atas penilaian Anda");
		const full = await surveyOf(second.id);
		expect(answers(full)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4]);
		expect(full?.suggestion).toBeNull();
	});

	it("takes a short suggestion that begins with a command's word as the suggestion", async () => {
		const r = t.resident();
		await r.say("status");
		const { id } = await complete(r);
		for (let i = 0; i < 8; i++) await r.say("4");
		expect(texts(await tapRow(r, "Sangat baik"))).toContain("*saran*");
		expect(texts(await r.say("Tolong dipercepat"))).toContain("Terima kasih atas penilaian Anda");
		expect((await surveyOf(id))?.suggestion).toBe("Tolong dipercepat");
	});

	it("is left by any command, and ends on its own when left quiet", async () => {
		const r = t.resident();
		await r.say("status");
		const { id } = await complete(r);
		r.replies();
		await r.say("1");
		const status = texts(await r.say("status"));
		expect(status).not.toContain("Survei 2/9");
		expect(status).not.toContain("Terima kasih atas penilaian");
		const row = await surveyOf(id);
		expect(answers(row)).toEqual([1, null, null, null, null, null, null, null, null]);
		expect(row?.finished_at).toEqual(expect.any(Number));
		// Now idle: a digit is no score any more, it starts the menu.
		expect(texts(await r.say("2"))).toContain("Layanan apa yang Anda perlukan?");

		const quiet = t.resident();
		await quiet.say("status");
		const second = await complete(quiet);
		await quiet.say("3");
		quiet.replies();
		// A day later with no answer: the survey ends with what it has, and says nothing.
		await runInDurableObject(quiet.stub, (_i, state) => {
			const row = state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'")
				.one();
			const saved = JSON.parse(row.value) as { survey: { askedAt: number } };
			saved.survey.askedAt -= 25 * 60 * 60 * 1000;
			state.storage.sql.exec("UPDATE kv SET value = ? WHERE key = 'state'", JSON.stringify(saved));
		});
		await runDurableObjectAlarm(quiet.stub);
		await quiet.settle();
		expect(quiet.replies()).toEqual([]);
		const ended = await surveyOf(second.id);
		expect(answers(ended)).toEqual([3, null, null, null, null, null, null, null, null]);
		expect(ended?.finished_at).toEqual(expect.any(Number));
	});

	it("waits for `survei` when the window was closed, and takes the latest request not surveyed", async () => {
		const r = t.resident();
		await r.say("status");
		await r.age(25 * 60 * 60 * 1000);
		r.replies();
		const { id, ticket } = await complete(r);
		// Outside the window: the status template only, no survey (no SURVEY_TEMPLATE_NAME here).
		expect(texts(r.replies())).not.toContain("Survei");
		expect(await surveyOf(id)).toBeNull();
		const asked = texts(await r.say("survei"));
		expect(asked).toContain(`menilai layanan untuk permohonan *${ticket}*`);
		expect(asked).toContain("Survei 1/9");
		// `survei` again in the middle of it asks the same question again.
		expect(texts(await r.say("survei"))).toContain("Survei 1/9");
	});

	it("invites with SURVEY_TEMPLATE_NAME when the window is closed (the pure dialogue)", () => {
		const state = { ...initialState("id"), lastInboundAt: 0 };
		const notice = {
			type: "staff_notice" as const,
			notice: {
				noticeId: "n1",
				requestId: "r1",
				ticket: "PBM-261201-0001",
				serviceCode: "legalisir",
				variantCode: "umum",
				kind: "status" as const,
				status: "completed" as const,
			},
		};
		const catalog: Catalog = { services: [], kecamatan: [], office: {} } as unknown as Catalog;
		const ctx = { catalog, officeName: "Disdukcapil", now: Date.now(), newRequestId: "x" };
		const without = step(state, notice, ctx);
		expect(without.effects.filter((e) => e.kind === "send")).toHaveLength(1);
		const invited = step(state, notice, {
			...ctx,
			surveyTemplate: { name: "skm_invite", language: "id" },
		});
		expect(invited.effects).toContainEqual({
			kind: "send",
			message: {
				type: "template",
				name: "skm_invite",
				language: "id",
				bodyParams: ["Disdukcapil", "PBM-261201-0001"],
			},
		});
		// Inside the window the survey is opened instead; a resident who stopped gets neither.
		const open = step({ ...state, lastInboundAt: ctx.now - 1000 }, notice, ctx);
		expect(open.effects).toContainEqual(
			expect.objectContaining({ kind: "survey_open", requestId: "r1" }),
		);
		const stopped = step({ ...state, lastInboundAt: ctx.now - 1000, optedOut: true }, notice, {
			...ctx,
			surveyTemplate: { name: "skm_invite", language: "id" },
		});
		expect(stopped.effects.map((e) => e.kind)).toEqual(["send"]);
	});

	it("takes up a survey row left unfinished, once: the retried open and `survei` alike", async () => {
		const r = t.resident();
		await r.say("status");
		await r.age(25 * 60 * 60 * 1000);
		const { id, ticket } = await complete(r);
		const ids = { requestId: id, businessId: PHONE_NUMBER_ID, residentId: r.id };
		// A job's first try wrote the row, then failed before the dialogue heard of it.
		expect(await openSurvey(env.DB, { ...ids, surveyId: "skm-first" }, 1)).toBe("skm-first");
		expect(await openSurvey(env.DB, { ...ids, surveyId: "skm-retry" }, 2)).toBe("skm-first");
		r.replies();
		expect(texts(await r.say("survei"))).toContain(`permohonan *${ticket}*`);
		for (let i = 0; i < 9; i++) await r.say("2");
		await r.say("lewati");
		const { results } = await env.DB.prepare(
			"SELECT id, started_at, finished_at, u9 FROM skm_responses WHERE request_id = ?",
		)
			.bind(id)
			.all<{ id: string; started_at: number; finished_at: number | null; u9: number }>();
		expect(results).toHaveLength(1);
		expect(results[0]).toMatchObject({ id: "skm-first", started_at: 1, u9: 2 });
		expect(results[0]?.finished_at).toEqual(expect.any(Number));
		// Finished now: nothing more to open.
		expect(await openSurvey(env.DB, { ...ids, surveyId: "skm-late" }, 3)).toBeNull();
	});
});
