import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { submitRequest } from "../../src/requests/submit";
import { api } from "../helpers/staff";

/** Issue 11: an operator may cover several areas, a kecamatan code meaning all of its areas. */
const AREA_OWN = "16.74.01.1001";
const KECAMATAN = "16.74.02";
const AREA_IN_KECAMATAN = "16.74.02.1003";
const AREA_ELSEWHERE = "16.74.03.1001";
const ids: Record<string, string> = {};

async function seed(area: string): Promise<string> {
	const id = crypto.randomUUID();
	await submitRequest(env.DB, "PBM", {
		id,
		channel: "kelurahan",
		submittedBy: "seed",
		residentName: "Warga",
		nik: "1674015203900001",
		nikWarnings: [],
		serviceCode: "legalisir",
		variantCode: "umum",
		areaCode: area,
		language: "id",
		attachments: [],
		submittedAt: Date.now(),
	});
	return id;
}

beforeAll(async () => {
	for (const area of [AREA_OWN, AREA_IN_KECAMATAN, AREA_ELSEWHERE]) ids[area] = await seed(area);
});

async function operator(json: Record<string, unknown>) {
	const res = await api("POST", "/staff", {
		json: { name: "Operator", role: "kelurahan", ...json },
	});
	expect(res.status, await res.clone().text()).toBe(201);
	return res.json<{ id: string; token: string; kelurahan: string; areas: string[] }>();
}

describe("operators with several areas", () => {
	it("sees the requests of each area and of every area of a kecamatan, and no other", async () => {
		const op = await operator({ areas: [KECAMATAN, AREA_OWN] });
		expect(op.areas).toEqual([AREA_OWN, KECAMATAN]);
		// The home area: the first code given, a kecamatan's first area.
		expect(op.kelurahan).toBe("16.74.02.1003");
		for (const area of [AREA_OWN, AREA_IN_KECAMATAN]) {
			expect((await api("GET", `/requests/${ids[area]}`, { token: op.token })).status).toBe(200);
		}
		expect((await api("GET", `/requests/${ids[AREA_ELSEWHERE]}`, { token: op.token })).status).toBe(
			404,
		);
		const page = await (await api("GET", "/requests?limit=100", { token: op.token })).json<{
			items: { kelurahan: { code: string } }[];
		}>();
		const seen = new Set(page.items.map((item) => item.kelurahan.code));
		expect(seen.has(AREA_OWN) && seen.has(AREA_IN_KECAMATAN)).toBe(true);
		expect([...seen].every((code) => code === AREA_OWN || code.startsWith(`${KECAMATAN}.`))).toBe(
			true,
		);
	});

	it("keeps single-area accounts working, and lists every operator's areas", async () => {
		const op = await operator({ kelurahan: AREA_ELSEWHERE });
		expect(op.areas).toEqual([AREA_ELSEWHERE]);
		expect((await api("GET", `/requests/${ids[AREA_ELSEWHERE]}`, { token: op.token })).status).toBe(
			200,
		);
		expect((await api("GET", `/requests/${ids[AREA_OWN]}`, { token: op.token })).status).toBe(404);
		const listed = await (await api("GET", "/staff")).json<{
			staff: { id: string; areas: string[] }[];
		}>();
		expect(listed.staff.find((s) => s.id === op.id)?.areas).toEqual([AREA_ELSEWHERE]);
	});

	it("refuses unknown codes and areas for other roles, naming the field", async () => {
		for (const [json, field] of [
			[{ role: "kelurahan", areas: ["16.74.99"] }, "body.areas.0"],
			[{ role: "kelurahan", areas: [AREA_OWN, "16.74.01.9999"] }, "body.areas.1"],
			[{ role: "kelurahan", kelurahan: KECAMATAN }, "body.kelurahan"],
			[{ role: "officer", areas: [AREA_OWN] }, "body.kelurahan"],
		] as const) {
			const res = await api("POST", "/staff", { json: { name: "Op", ...json } });
			expect(res.status).toBe(400);
			expect((await res.json<{ errors: { field: string }[] }>()).errors[0]?.field).toBe(field);
		}
	});
});
