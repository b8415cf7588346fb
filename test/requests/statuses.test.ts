import { describe, expect, it } from "vitest";
import {
	allowedTransitions,
	canTransition,
	FINAL_STATUSES,
	isFinalStatus,
	isRequestStatus,
	OPEN_STATUSES,
	REQUEST_STATUSES,
	type RequestStatus,
	requiresReason,
	statusWords,
	type TransitionActor,
} from "../../src/requests/statuses";

/** Every legal move and who may make it; anything not listed here is illegal. */
const LEGAL: ReadonlyArray<readonly [RequestStatus, RequestStatus, readonly TransitionActor[]]> = [
	["submitted", "in_review", ["staff"]],
	["submitted", "needs_revision", ["staff"]],
	["submitted", "rejected", ["staff"]],
	["submitted", "cancelled", ["resident"]],
	["in_review", "processing", ["staff"]],
	["in_review", "needs_revision", ["staff"]],
	["in_review", "rejected", ["staff"]],
	["in_review", "cancelled", ["resident"]],
	["needs_revision", "submitted", ["resident", "staff"]],
	["needs_revision", "rejected", ["staff"]],
	["needs_revision", "cancelled", ["resident"]],
	["processing", "completed", ["staff"]],
	["processing", "rejected", ["staff"]],
];

const ACTORS: readonly TransitionActor[] = ["resident", "staff"];

describe("canTransition", () => {
	it.each(LEGAL)("allows %s -> %s", (from, to, actors) => {
		expect(canTransition(from, to)).toBe(true);
		for (const actor of ACTORS) {
			expect(canTransition(from, to, actor)).toBe(actors.includes(actor));
		}
	});

	it("refuses every move not in the table", () => {
		for (const from of REQUEST_STATUSES) {
			for (const to of REQUEST_STATUSES) {
				const legal = LEGAL.some(([f, t]) => f === from && t === to);
				expect(canTransition(from, to), `${from} -> ${to}`).toBe(legal);
			}
		}
	});

	it.each([
		["submitted", "processing"],
		["submitted", "completed"],
		["in_review", "submitted"],
		["in_review", "completed"],
		["needs_revision", "in_review"],
		["needs_revision", "processing"],
		["processing", "cancelled"],
		["processing", "needs_revision"],
		["processing", "in_review"],
		["submitted", "submitted"],
	] as const)("refuses %s -> %s", (from, to) => {
		expect(canTransition(from, to)).toBe(false);
	});

	it("lets only the resident cancel, and only before processing", () => {
		for (const from of REQUEST_STATUSES) {
			const expected = ["submitted", "in_review", "needs_revision"].includes(from);
			expect(canTransition(from, "cancelled", "resident"), from).toBe(expected);
			expect(canTransition(from, "cancelled", "staff"), from).toBe(false);
		}
	});

	it("lets staff reject from every open status and from no final one", () => {
		for (const from of REQUEST_STATUSES) {
			expect(canTransition(from, "rejected", "staff"), from).toBe(OPEN_STATUSES.includes(from));
		}
	});

	it("gives final statuses no way out", () => {
		for (const from of FINAL_STATUSES) {
			expect(allowedTransitions(from)).toEqual([]);
			for (const to of REQUEST_STATUSES) expect(canTransition(from, to)).toBe(false);
		}
	});
});

describe("allowedTransitions", () => {
	it("lists the moves from a status in status order", () => {
		expect(allowedTransitions("submitted")).toEqual([
			"in_review",
			"needs_revision",
			"rejected",
			"cancelled",
		]);
		expect(allowedTransitions("processing")).toEqual(["completed", "rejected"]);
	});

	it("narrows to one actor's moves", () => {
		expect(allowedTransitions("needs_revision", "resident")).toEqual(["submitted", "cancelled"]);
		expect(allowedTransitions("in_review", "staff")).toEqual([
			"needs_revision",
			"processing",
			"rejected",
		]);
		expect(allowedTransitions("processing", "resident")).toEqual([]);
	});
});

describe("status sets", () => {
	it("splits every status into open or final", () => {
		expect([...OPEN_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...REQUEST_STATUSES].sort());
		expect(FINAL_STATUSES).toEqual(["completed", "rejected", "cancelled"]);
		expect(isFinalStatus("completed")).toBe(true);
		expect(isFinalStatus("processing")).toBe(false);
	});

	it("recognises stored status strings", () => {
		expect(isRequestStatus("needs_revision")).toBe(true);
		expect(isRequestStatus("done")).toBe(false);
	});

	it("asks for a reason when asking for corrections or rejecting", () => {
		expect(REQUEST_STATUSES.filter(requiresReason)).toEqual(["needs_revision", "rejected"]);
	});
});

describe("statusWords", () => {
	it("names every status in Indonesian", () => {
		expect(REQUEST_STATUSES.map((s) => statusWords(s, "id"))).toEqual([
			"Diajukan",
			"Sedang diperiksa",
			"Perlu perbaikan",
			"Sedang diproses",
			"Selesai",
			"Ditolak",
			"Dibatalkan",
		]);
	});

	it("names every status in English", () => {
		expect(REQUEST_STATUSES.map((s) => statusWords(s, "en"))).toEqual([
			"Submitted",
			"In review",
			"Needs revision",
			"Processing",
			"Completed",
			"Rejected",
			"Cancelled",
		]);
	});
});
