import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { fileRequest } from "../helpers/reports";
import { ADMIN } from "../helpers/staff";

/**
 * A WITA office (OFFICE_TIME_ZONE=Asia/Makassar, UTC+8): a date in a filter is its own day,
 * not Jakarta's. Two requests an hour apart around the turn of October 2034 (no other test
 * writes there): at 23:30 WITA on 31 Oct it is 22:30 WIB, at 00:30 WITA on 1 Nov 23:30 WIB.
 */
const WITA = { ...env, OFFICE_TIME_ZONE: "Asia/Makassar" } as Env;
const AREA = "16.74.01.1001";
const tickets = { october: "", november: "" };

/** GET on the staff API of the WITA office, as the admin. */
async function witaApi(path: string): Promise<Response> {
	const ctx = createExecutionContext();
	const res = await worker.fetch(
		new Request(`https://worker.test/api/v1${path}`, {
			headers: { authorization: `Bearer ${ADMIN}` },
		}),
		WITA,
		ctx,
	);
	await waitOnExecutionContext(ctx);
	return res;
}

beforeAll(async () => {
	const common = { service: "kk", area: AREA, channel: "kelurahan", status: "submitted" } as const;
	tickets.october = (
		await fileRequest({
			...common,
			created: "2034-10-31T23:30+08:00",
			queue: "2034-10-31",
			due: "2034-11-01",
		})
	).ticket;
	tickets.november = (
		await fileRequest({
			...common,
			created: "2034-11-01T00:30+08:00",
			queue: "2034-11-01",
			due: "2034-11-02",
		})
	).ticket;
});

describe("date filters of a WITA office", () => {
	it("counts a request in the office's own month in the summary", async () => {
		const october = await witaApi("/reports/summary?from=2034-10-01&to=2034-10-31");
		expect(october.status).toBe(200);
		const body = await october.json<{ from: string; totals: { requests: number } }>();
		expect(body.from).toBe("2034-09-30T16:00:00.000Z");
		expect(body.totals.requests).toBe(1);
		const november = await witaApi("/reports/summary?from=2034-11-01&to=2034-11-30");
		expect((await november.json<{ totals: { requests: number } }>()).totals.requests).toBe(1);
	});

	it("lists each request in its own month", async () => {
		const list = async (query: string) => {
			const res = await witaApi(`/requests?${query}`);
			expect(res.status).toBe(200);
			return (await res.json<{ items: { ticket: string }[] }>()).items.map((i) => i.ticket);
		};
		expect(await list("from=2034-10-01&to=2034-10-31")).toEqual([tickets.october]);
		expect(await list("from=2034-11-01&to=2034-11-30")).toEqual([tickets.november]);
	});

	it("exports November as the office's November, named by its own dates", async () => {
		const res = await witaApi("/reports/requests.csv?from=2034-11-01&to=2034-11-30");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-disposition")).toBe(
			'attachment; filename="requests-2034-11-01-2034-11-30.csv"',
		);
		const text = await res.text();
		expect(text).toContain(tickets.november);
		expect(text).not.toContain(tickets.october);
	});

	it("still reads a date-time with its own zone as that instant", async () => {
		const res = await witaApi(
			"/reports/summary?from=2034-10-31T23:00%2B08:00&to=2034-11-01T00:00%2B08:00",
		);
		expect((await res.json<{ totals: { requests: number } }>()).totals.requests).toBe(1);
	});
});
