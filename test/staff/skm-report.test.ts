import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { eraseRequestStatements } from "../../src/requests/erasure";
import { api } from "../helpers/staff";

/** Finished surveys seeded straight into D1; the expected figures are worked out here by hand. */
const DAY = 24 * 60 * 60 * 1000;
// 2031, far from any other test's rows; the office's day starts at 00:00 WIB (17:00 UTC before).
const JAN_1 = Date.parse("2030-12-31T17:00:00Z");

async function seed(
	answers: (number | null)[],
	finishedAt: number | null,
	suggestion: string | null = null,
): Promise<void> {
	await env.DB.prepare(
		`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at, finished_at,
		 u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion) VALUES (?, NULL, 'kk', '16.74.03.1001', ?, ?,
		 ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	)
		.bind(crypto.randomUUID(), JAN_1, finishedAt, ...answers, suggestion)
		.run();
}

beforeAll(async () => {
	await seed([4, 4, 3, 3, 4, 4, 4, 3, 3], JAN_1 + 1 * DAY, "Antrean lebih cepat");
	await seed([3, 3, 3, 2, 3, 3, 4, 3, 3], JAN_1 + 2 * DAY);
	await seed([4, 3, 4, 3, 4, 4, 4, 4, null], JAN_1 + 3 * DAY);
	await seed([3, 3, 2, 4, 3, 3, 3, 3, 4], JAN_1 + 10 * DAY - 1);
	// Outside the period, and one never finished: neither counts.
	await seed([1, 1, 1, 1, 1, 1, 1, 1, 1], JAN_1 + 10 * DAY);
	await seed([1, 1, 1, 1, 1, 1, 1, 1, 1], null);
});

describe("GET /reports/skm", () => {
	it("counts the period's finished surveys: element averages, IKM and grade", async () => {
		const res = await api("GET", "/reports/skm?from=2031-01-01&to=2031-01-10");
		expect(res.status).toBe(200);
		const body = await res.json<Record<string, unknown>>();
		// By hand: NRR 14/4, 13/4, 12/4, 12/4, 14/4, 14/4, 15/4, 13/4, 10/3; their mean 3.3426;
		// x 25 = 83.56, grade B (76.61-88.30, PermenPANRB 14/2017).
		expect(body).toMatchObject({
			from: JAN_1,
			to: JAN_1 + 10 * DAY,
			responses: 4,
			suggestions: 1,
			average: 3.3426,
			ikm: 83.56,
			grade: { grade: "B", label: "baik" },
			regulation: "PermenPANRB 14/2017",
		});
		const elements = body.elements as { code: string; element: string; average: number }[];
		expect(elements.map((e) => [e.code, e.average])).toEqual([
			["u1", 3.5],
			["u2", 3.25],
			["u3", 3],
			["u4", 3],
			["u5", 3.5],
			["u6", 3.5],
			["u7", 3.75],
			["u8", 3.25],
			["u9", 3.3333],
		]);
		expect(elements[0]?.element).toBe("persyaratan");
		// Nothing in the answer could name a resident or a request.
		const text = JSON.stringify(body);
		expect(text).not.toContain("request");
		expect(text).not.toContain("Antrean");
	});

	it("keeps a closed period's suggestions count when a surveyed request is erased, the text gone", async () => {
		// 2033, a period of its own: one survey of a request that left a suggestion.
		const jan1 = Date.parse("2032-12-31T17:00:00Z");
		const requestId = crypto.randomUUID();
		await env.DB.prepare(
			`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at, finished_at,
			 u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion) VALUES (?, ?, 'kk', '16.74.03.1001', ?, ?,
			 4, 4, 4, 4, 4, 4, 4, 4, 4, 'Petugas Bu Siti ramah')`,
		)
			.bind(crypto.randomUUID(), requestId, jan1, jan1 + DAY)
			.run();
		const period = "/reports/skm?from=2033-01-01&to=2033-02-01";
		const before = await (await api("GET", period)).json();
		expect(before).toMatchObject({ responses: 1, suggestions: 1 });

		// The retention purge (or an admin's erasure) of the request, months after the period closed.
		await env.DB.batch(eraseRequestStatements(env.DB, requestId, Date.now()));

		expect(await (await api("GET", period)).json()).toEqual(before);
		const left = await env.DB.prepare(
			"SELECT request_id, suggestion FROM skm_responses WHERE finished_at = ?",
		)
			.bind(jan1 + DAY)
			.all();
		expect(JSON.stringify(left.results)).not.toContain("Siti");
		expect(left.results).toEqual([{ request_id: null, suggestion: "" }]);
	});

	it("has no index for a period without surveys", async () => {
		const res = await api("GET", "/reports/skm?from=2032-01-01&to=2032-02-01");
		expect(await res.json()).toMatchObject({ responses: 0, ikm: null, grade: null });
	});

	it("answers a reversed or unreadable period with a problem naming the parameter", async () => {
		const reversed = await api("GET", "/reports/skm?from=2031-02-01&to=2031-01-01");
		expect(reversed.status).toBe(400);
		expect(reversed.headers.get("content-type")).toBe("application/problem+json");
		expect(JSON.stringify(await reversed.json())).toContain("query.to");
		const garbled = await api("GET", "/reports/skm?from=kemarin");
		expect(garbled.status).toBe(400);
		expect(JSON.stringify(await garbled.json())).toContain("query.from");
	});
});
