import { describe, expect, it } from "vitest";
import type { Catalog } from "../../src/catalog/catalog";
import type { InboundContent } from "../../src/channel/events";
import { BODY_LIMITS } from "../../src/channel/presentation";
import {
	type DialogueEvent,
	type DialogueState,
	type Effect,
	initialState,
	type StepResult,
	step,
} from "../../src/conversation/dialogue";
import { Turn } from "../../src/conversation/dialogue/turn";
import { textsFor } from "../../src/conversation/texts";

// The pure dialogue, without the Conversation object: state and event in, state and effects out.

const photoOrPdf = ["image/jpeg", "image/png", "application/pdf"];
const catalog: Catalog = {
	services: [
		{
			code: "kk",
			category: "kk",
			label: { id: "Kartu Keluarga", en: "Family Card" },
			description: { id: "KK baru", en: "New family card" },
			resultKind: "pdf",
			variants: [
				{
					code: "baru",
					label: { id: "Baru", en: "New" },
					description: { id: "Baru", en: "New" },
					requirements: [
						{
							code: "ktp",
							label: { id: "KTP-el", en: "KTP-el" },
							required: true,
							acceptedTypes: photoOrPdf,
							maxBytes: 5 * 1024 * 1024,
							onePage: false,
						},
					],
				},
			],
		},
	],
	kecamatan: [
		{
			code: "k1",
			name: "Teluk",
			areas: [{ code: "a1", name: "Gunung", kind: "desa", kecamatanCode: "k1" }],
		},
	],
	office: { hours: { id: "Senin-Jumat", en: "Monday-Friday" } },
};
const ctx = { catalog, officeName: "Disdukcapil", now: 1_000, newRequestId: "req-1" };
const id = textsFor("id");

let seq = 0;
function message(content: InboundContent): DialogueEvent {
	seq += 1;
	return { type: "message", message: { id: `m${seq}`, sentAt: 1_000, content } };
}

function bodies(effects: Effect[]): string[] {
	return effects.flatMap((e) => (e.kind === "send" && "body" in e.message ? [e.message.body] : []));
}

function run(state: DialogueState, ...events: DialogueEvent[]): StepResult {
	let result: StepResult = { state, effects: [] };
	for (const event of events) result = step(result.state, event, ctx);
	return result;
}

const photo = (mimeType = "image/jpeg"): InboundContent => ({
	kind: "media",
	media: "image",
	mediaId: `media-${seq}`,
	mimeType,
});

describe("the pure dialogue", () => {
	it("answers a sticker with the sticker words and the current question again, in one message", () => {
		const started = run(initialState("id"), message({ kind: "text", text: "Halo" }));
		const { effects } = run(started.state, message({ kind: "sticker" }));
		const said = bodies(effects);
		expect(said).toHaveLength(1);
		expect(said[0]).toMatch(new RegExp(`^${id.sticker}\n\n${id.chooseService.slice(0, 20)}`));
		expect(effects.find((e) => e.kind === "send")?.message.type).toBe("list");
	});

	it("keeps a file sent before any question as an additional document of a new draft", () => {
		const { state, effects } = run(initialState("id"), message(photo()));
		expect(bodies(effects)[0]).toBe(id.greeting("Disdukcapil"));
		const download = effects.find((e) => e.kind === "download");
		expect(download).toMatchObject({
			job: { requestId: "req-1", docCode: "lainnya", acceptedTypes: photoOrPdf },
		});
		expect(state.draft?.files).toEqual([
			{ messageId: expect.any(String), docCode: "lainnya", status: "pending" },
		]);
	});

	it("shows the first menu at once when the shell already asked D1 who the number is", () => {
		const hello = message({ kind: "text", text: "Halo" });
		// Nobody asked: the menu waits for the operator_check job.
		const asking = step(initialState("id"), hello, ctx);
		expect(asking.effects.some((e) => e.kind === "operator_check")).toBe(true);
		expect(asking.state.phase).toEqual({ name: "identify" });
		// The shell's lookup came with the step: no job, the menu now.
		const resident = step(initialState("id"), hello, { ...ctx, operator: null });
		expect(resident.effects.some((e) => e.kind === "operator_check")).toBe(false);
		expect(resident.state.phase).toMatchObject({ name: "service" });
		expect(resident.state.operator).toEqual({ staffId: null, areas: [], checkedAt: 1_000 });
		const operator = step(initialState("id"), hello, {
			...ctx,
			operator: { staffId: "staff-1", areas: ["a1"] },
		});
		expect(operator.state.operator).toMatchObject({ staffId: "staff-1", areas: ["a1"] });
		expect(JSON.stringify(operator.effects)).toContain(id.operator.fileForResident);
		expect(JSON.stringify(resident.effects)).not.toContain(id.operator.fileForResident);
	});

	/** Staff ask for the KTP-el of request req-old again. */
	const revisionAsked = (): DialogueEvent => ({
		type: "staff_notice",
		notice: {
			noticeId: "n1",
			requestId: "req-old",
			ticket: "PBM-261128-0001",
			serviceCode: "kk",
			variantCode: "baru",
			kind: "status",
			status: "needs_revision",
			reason: "Buram",
			documents: ["ktp"],
		},
	});

	it("takes a correction's file for the revision's request, refusing a wrong type", () => {
		const asked = run(initialState("id"), revisionAsked());
		expect(asked.state.phase).toEqual({ name: "revision", index: 0 });

		const wrong = run(asked.state, message(photo("video/mp4")));
		expect(bodies(wrong.effects)[0]).toBe(id.wrongType("KTP-el", id.acceptedTypes(photoOrPdf)));
		expect(wrong.effects.some((e) => e.kind === "download")).toBe(false);

		const right = run(asked.state, message(photo()));
		expect(right.effects.find((e) => e.kind === "download")).toMatchObject({
			job: { requestId: "req-old", docCode: "ktp", maxBytes: 5 * 1024 * 1024 },
		});
		expect(right.state.revision?.files).toHaveLength(1);
		expect(right.state.draft).toBeNull();
	});

	it("comes back to the corrections when a draft begun before them expires", () => {
		const drafting = run(initialState("id"), message({ kind: "text", text: "halo" }));
		expect(drafting.state.draft).not.toBeNull();
		const asked = run(drafting.state, revisionAsked());
		expect(asked.state.phase).toEqual({ name: "revision", index: 0 });
		// A week of silence: the reminder, then the draft's deletion.
		const later = (state: DialogueState, days: number) =>
			run(state, { type: "tick", now: (state.lastInboundAt ?? 0) + days * 24 * 60 * 60 * 1000 });
		const expired = later(later(asked.state, 1).state, 8);
		expect(expired.state.draft).toBeNull();
		expect(expired.state.phase).toEqual({ name: "revision", index: 0 });
		// The correction is still taken for the request staff asked it for.
		const sent = run(expired.state, message(photo()));
		expect(sent.effects.find((e) => e.kind === "download")).toMatchObject({
			job: { requestId: "req-old", docCode: "ktp" },
		});
	});

	it("takes corrections for a service switched off since the request was filed", () => {
		const kk = catalog.services[0];
		const retiredCatalog: Catalog = {
			...catalog,
			services: [],
			retired: { "kk/baru": kk?.variants[0]?.requirements ?? [] },
		};
		const asked = step(initialState("id"), revisionAsked(), { ...ctx, catalog: retiredCatalog });
		expect(asked.state.revision?.docs).toEqual(["ktp"]);
		const sent = step(asked.state, message(photo()), { ...ctx, catalog: retiredCatalog });
		expect(sent.effects.find((e) => e.kind === "download")).toMatchObject({
			job: { requestId: "req-old", docCode: "ktp" },
		});
	});

	it("hands the chat back to the bot on `menu` during corrections, as the hand-off says", () => {
		const asked = run(initialState("id"), revisionAsked());
		const held = run(asked.state, message({ kind: "text", text: "petugas" }));
		expect(held.state.heldSince).not.toBeNull();
		const back = run(held.state, message({ kind: "text", text: "menu" }));
		expect(back.state.heldSince).toBeNull();
		expect(back.effects.some((e) => e.kind === "handoff_end")).toBe(true);
		expect(back.state.phase).toEqual({ name: "revision", index: 0 });
	});

	/** Staff move request req-old on, with `status`. */
	const movedOn = (status: "submitted" | "in_review"): DialogueEvent => ({
		type: "staff_notice",
		notice: {
			noticeId: `moved-${status}`,
			requestId: "req-old",
			ticket: "PBM-261128-0001",
			serviceCode: "kk",
			variantCode: "baru",
			kind: "status",
			status,
			...(status === "submitted" ? { dueDate: "2026-12-08" } : {}),
		},
	});

	it("tells a resident still sending corrections that staff moved the request on and their files are not used", () => {
		const asked = run(initialState("id"), revisionAsked());
		// A file on its way (not stored yet), then staff take the papers at the counter.
		const sending = run(asked.state, message(photo()));
		const moved = run(sending.state, movedOn("submitted"));
		expect(moved.state.revision).toBeNull();
		expect(moved.state.phase).toEqual({ name: "idle" });
		expect(bodies(moved.effects)).toEqual([
			[
				id.statusNotice("PBM-261128-0001", "submitted", "Diajukan"),
				id.dueDate.resumed("2026-12-08"),
				id.revisionSetAside,
			].join("\n"),
		]);
		// Nothing sent yet: the notice alone, and nothing after it that a template would stand for.
		const quiet = run(asked.state, movedOn("submitted"));
		expect(bodies(quiet.effects)).toEqual([
			[
				id.statusNotice("PBM-261128-0001", "submitted", "Diajukan"),
				id.dueDate.resumed("2026-12-08"),
			].join("\n"),
		]);
	});

	it("leaves corrections already sent to their own answer when a notice comes before it", () => {
		const asked = run(initialState("id"), revisionAsked());
		const sent = run(asked.state, message(photo()));
		const messageId = `m${seq}`;
		const stored = run(sent.state, {
			type: "media_stored",
			messageId,
			key: "requests/req-old/ktp/x",
			size: 10,
			mimeType: "image/jpeg",
			sha256: "0".repeat(64),
		});
		const next = run(stored.state, message({ kind: "choice", id: "doc:next", title: "Lanjut" }));
		expect(next.effects.some((e) => e.kind === "resubmit")).toBe(true);
		// Staff move it on while the corrections are being recorded: the revision stays open.
		const moved = run(next.state, movedOn("in_review"));
		expect(moved.state.revision?.requestId).toBe("req-old");
		expect(bodies(moved.effects).join("\n")).not.toContain(id.revisionSetAside);
		// They were recorded: the thanks come as before.
		const done = run(moved.state, { type: "resubmitted", requestId: "req-old", dueDate: null });
		expect(bodies(done.effects)).toEqual([id.revisionDone("PBM-261128-0001")]);
		expect(done.state.revision).toBeNull();
	});

	it("keeps the corrections through `berhenti` then `batal` or `menu`", () => {
		const asked = run(initialState("id"), revisionAsked());
		for (const leave of ["batal", "menu"]) {
			const stopping = run(asked.state, message({ kind: "text", text: "berhenti" }));
			expect(stopping.state.phase.name).toBe("confirm_stop");
			const left = run(stopping.state, message({ kind: "text", text: leave }));
			expect(left.state.phase).toEqual({ name: "revision", index: 0 });
			expect(bodies(left.effects).join("\n")).toContain("PBM-261128-0001");
			const sent = run(left.state, message(photo()));
			expect(sent.state.revision?.files).toHaveLength(1);
			expect(sent.state.draft).toBeNull();
		}
	});
});

describe("a lead before a question", () => {
	const turn = () => new Turn(initialState("id"), ctx);
	const buttons = (body: string) => ({
		type: "buttons" as const,
		body,
		buttons: [{ id: "ya", title: "Ya" }],
	});

	it("opens the question's own message when it fits", () => {
		const t = turn();
		t.sayBefore("Maaf.", () => t.send(buttons("Lanjut?")));
		expect(t.effects).toEqual([{ kind: "send", message: buttons("Maaf.\n\nLanjut?") }]);
	});

	it("is a message of its own when the question's body would pass its limit", () => {
		const t = turn();
		const long = "a".repeat(BODY_LIMITS.choice - 5);
		t.sayBefore("Maaf.", () => t.send(buttons(long)));
		expect(bodies(t.effects)).toEqual(["Maaf.", long]);
		// A text message may be four times as long.
		const text = turn();
		text.sayBefore("Maaf.", () => text.say(long));
		expect(bodies(text.effects)).toEqual([`Maaf.\n\n${long}`]);
	});

	it("comes first, alone, when the question is not sent yet or has no text", () => {
		const waiting = turn();
		waiting.sayBefore("Halo", () => waiting.emit({ kind: "operator_check" }));
		expect(waiting.effects).toEqual([
			{ kind: "send", message: { type: "text", body: "Halo" } },
			{ kind: "operator_check" },
		]);
		const file = turn();
		file.sayBefore("Ini berkasnya.", () =>
			file.send({ type: "document", mediaId: "m1", fileName: "a.pdf" }),
		);
		expect(file.effects.map((e) => (e.kind === "send" ? e.message.type : e.kind))).toEqual([
			"text",
			"document",
		]);
	});
});
