import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { isWorkingDay } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { fileRequest, type RequestSeed } from "../helpers/reports";
import { ADMIN, api, createStaff } from "../helpers/staff";

/**
 * GET /reports/summary against a seeded June 2026 (no other test writes there), with every
 * expected figure computed here from the seeds: counts by hand-written rules, working days to
 * completion counted by hand on the 2026 decree's calendar (1 June and 16 June are holidays).
 */
const A = "16.74.01.1001"; // Prabumulih
const B = "16.74.02.1003"; // Karang Raja
const PERIOD = "from=2026-06-01&to=2026-06-30";
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jakarta" }).format(Date.now());

type Seed = RequestSeed & {
	/** Hand-counted working days from the queue date to completion. */
	workingDays?: number;
	/** Outside the period: seeded, never counted. */
	outside?: boolean;
	ref: string;
};

const SEEDS: Seed[] = [
	// 3 June is the next working day after 2 June.
	{
		ref: "A",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-06-02T09:00+07:00",
		queue: "2026-06-02",
		due: "2026-06-03",
		status: "completed",
		closed: "2026-06-03T10:00+07:00",
		workingDays: 1,
	},
	// 5 (Fri), 8 (Mon), 9 (Tue): 3 working days, late.
	{
		ref: "B",
		service: "kk",
		area: A,
		channel: "kelurahan",
		created: "2026-06-04T10:00+07:00",
		queue: "2026-06-04",
		due: "2026-06-05",
		status: "completed",
		closed: "2026-06-09T11:00+07:00",
		workingDays: 3,
		revisions: 1,
	},
	// 16 June is a holiday: 15 -> 17 is 1 working day.
	{
		ref: "C",
		service: "kk",
		area: B,
		channel: "whatsapp",
		created: "2026-06-15T08:00+07:00",
		queue: "2026-06-15",
		due: "2026-06-17",
		status: "completed",
		closed: "2026-06-17T13:00+07:00",
		workingDays: 1,
	},
	{
		ref: "D",
		service: "ktp_el",
		area: B,
		channel: "kelurahan",
		created: "2026-06-05T09:00+07:00",
		queue: "2026-06-05",
		due: "2026-06-26",
		status: "completed",
		closed: "2026-06-05T13:00+07:00",
		workingDays: 0,
	},
	{
		ref: "E",
		service: "ktp_el",
		area: A,
		channel: "whatsapp",
		created: "2026-06-10T09:00+07:00",
		queue: "2026-06-10",
		due: "2026-06-12",
		status: "processing",
	},
	{
		ref: "F",
		service: "ktp_el",
		area: A,
		channel: "whatsapp",
		created: "2026-06-11T09:00+07:00",
		queue: "2026-06-11",
		due: "2026-06-12",
		status: "needs_revision",
		revisions: 2,
	},
	// Filed on a Saturday, queued on Monday.
	{
		ref: "G",
		service: "legalisir",
		area: B,
		channel: "kelurahan",
		created: "2026-06-20T10:00+07:00",
		queue: "2026-06-22",
		due: "2026-06-23",
		status: "rejected",
		closed: "2026-06-22T10:00+07:00",
	},
	// 30 June, 1 and 2 July: 3 working days.
	{
		ref: "H",
		service: "legalisir",
		area: A,
		channel: "whatsapp",
		created: "2026-06-29T09:00+07:00",
		queue: "2026-06-29",
		due: "2026-06-30",
		status: "completed",
		closed: "2026-07-02T09:00+07:00",
		workingDays: 3,
	},
	// The last minute of the period (to=2026-06-30 includes that whole office day).
	{
		ref: "I",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-06-30T23:59+07:00",
		queue: "2026-07-01",
		due: "2026-07-01",
		status: "submitted",
	},
	{
		ref: "L",
		service: "kk",
		area: B,
		channel: "whatsapp",
		created: "2026-06-08T09:00+07:00",
		queue: "2026-06-08",
		due: "2026-06-09",
		status: "cancelled",
		closed: "2026-06-08T10:00+07:00",
	},
	// Just outside, on both sides.
	{
		ref: "J",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-05-31T23:59+07:00",
		queue: "2026-06-02",
		due: "2026-06-03",
		status: "completed",
		closed: "2026-06-02T09:00+07:00",
		outside: true,
	},
	{
		ref: "K",
		service: "kk",
		area: A,
		channel: "whatsapp",
		created: "2026-07-01T00:00+07:00",
		queue: "2026-07-01",
		due: "2026-07-02",
		status: "submitted",
		outside: true,
	},
];

interface ComplaintSeed {
	about: string | null;
	created: string;
	outside?: boolean;
}
const COMPLAINTS: ComplaintSeed[] = [
	{ about: "A", created: "2026-06-10T10:00+07:00" },
	{ about: "G", created: "2026-06-21T10:00+07:00" },
	{ about: null, created: "2026-06-12T10:00+07:00" },
	// About a request of May: counts in that request's groups all the same.
	{ about: "J", created: "2026-06-15T10:00+07:00" },
	{ about: "A", created: "2026-07-05T10:00+07:00", outside: true },
];

type Answers = (number | null)[];
interface SurveySeed {
	about: string;
	finished: string | null;
	answers: Answers;
	/** The request was erased: the answers stay, without a request. */
	erased?: boolean;
	outside?: boolean;
}
const SURVEYS: SurveySeed[] = [
	{ about: "A", finished: "2026-06-04T10:00+07:00", answers: [4, 4, 3, 4, 4, 3, 4, 4, 3] },
	{ about: "C", finished: "2026-06-18T10:00+07:00", answers: [3, 3, 3, 2, 4, null, 3, 3, null] },
	{ about: "D", finished: "2026-06-06T10:00+07:00", answers: [2, 3, 4, 4, 4, 4, 4, 4, 4] },
	{
		about: "B",
		finished: "2026-06-20T10:00+07:00",
		answers: [4, 4, 4, 4, 4, 4, 4, 4, 4],
		erased: true,
	},
	{ about: "B", finished: null, answers: [1, 1, null, null, null, null, null, null, null] },
	{
		about: "H",
		finished: "2026-07-03T10:00+07:00",
		answers: [1, 1, 1, 1, 1, 1, 1, 1, 1],
		outside: true,
	},
];

const bySeed = new Map<string, Seed & { id: string }>();

beforeAll(async () => {
	const calendar = await loadCalendar(env.DB, "Asia/Jakarta");
	// The hand counts above rely on these two holidays and on no other in the span.
	expect(isWorkingDay(calendar, "2026-06-01")).toEqual({ ok: true, value: false });
	expect(isWorkingDay(calendar, "2026-06-16")).toEqual({ ok: true, value: false });
	for (const seed of SEEDS) bySeed.set(seed.ref, { ...seed, ...(await fileRequest(seed)) });
	for (const [n, complaint] of COMPLAINTS.entries()) {
		const request = complaint.about === null ? null : bySeed.get(complaint.about);
		await env.DB.prepare(
			`INSERT INTO complaints (id, ticket, conversation, business_id, resident_id, request_id,
				area_code, body, status, created_at, due_date)
			VALUES (?, ?, 'c', 'b', 'r', ?, ?, 'Lama sekali', 'open', ?, '2026-07-10')`,
		)
			.bind(
				crypto.randomUUID(),
				`ADU-SUM-${n}`,
				request?.id ?? null,
				request?.area ?? null,
				Date.parse(complaint.created),
			)
			.run();
	}
	for (const survey of SURVEYS) {
		const request = bySeed.get(survey.about);
		if (request === undefined) throw new Error(survey.about);
		await env.DB.prepare(
			`INSERT INTO skm_responses (id, request_id, service_code, area_code, started_at, finished_at,
				u1, u2, u3, u4, u5, u6, u7, u8, u9)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		)
			.bind(
				crypto.randomUUID(),
				survey.erased ? null : request.id,
				request.service,
				request.area,
				Date.parse("2026-06-01T08:00+07:00"),
				survey.finished === null ? null : Date.parse(survey.finished),
				...survey.answers,
			)
			.run();
	}
});

type Grouping = "service" | "kelurahan" | "day" | "channel";
const STATUSES = [
	"submitted",
	"in_review",
	"needs_revision",
	"processing",
	"completed",
	"rejected",
	"cancelled",
] as const;

interface Figures {
	requests: number;
	byStatus: Record<string, number>;
	open: number;
	overdue: number;
	completed: number;
	medianWorkingDays: number | null;
	p90WorkingDays: number | null;
	completedWithinLimit: number;
	withinLimitShare: number | null;
	revisionsAsked: number;
	complaints: number;
	skmResponses: number;
	ikm: number | null;
}
interface Body {
	groupBy: string;
	totals: Figures;
	groups: (Figures & { key: string; label: string })[];
}

/** Nearest rank, written out: the ceil(p n)-th smallest. */
function rank(values: number[], p: number): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.ceil(p * sorted.length) - 1] ?? null;
}

function ikm(rows: Answers[]): number | null {
	const averages: number[] = [];
	for (let element = 0; element < 9; element++) {
		const given = rows
			.map((r) => r[element])
			.filter((v): v is number => v !== null && v !== undefined);
		if (given.length > 0) averages.push(given.reduce((a, b) => a + b, 0) / given.length);
	}
	if (averages.length === 0) return null;
	return Math.round((averages.reduce((a, b) => a + b, 0) / averages.length) * 25 * 100) / 100;
}

/** The figures of a set of seeds, complaints and surveys, by the report's rules written plainly. */
function expected(seeds: Seed[], complaints: number, surveys: Answers[]): Figures {
	const done = seeds.filter((s) => s.status === "completed");
	const within = done.filter((s) => (s.closed ?? "").slice(0, 10) <= s.due);
	return {
		requests: seeds.length,
		byStatus: Object.fromEntries(
			STATUSES.map((st) => [st, seeds.filter((s) => s.status === st).length]),
		),
		open: seeds.filter((s) => !["completed", "rejected", "cancelled"].includes(s.status)).length,
		overdue: seeds.filter(
			(s) => ["submitted", "in_review", "processing"].includes(s.status) && s.due < TODAY,
		).length,
		completed: done.length,
		medianWorkingDays: rank(
			done.map((s) => s.workingDays ?? -1),
			0.5,
		),
		p90WorkingDays: rank(
			done.map((s) => s.workingDays ?? -1),
			0.9,
		),
		completedWithinLimit: within.length,
		withinLimitShare: done.length === 0 ? null : within.length / done.length,
		revisionsAsked: seeds.reduce((n, s) => n + (s.revisions ?? 0), 0),
		complaints,
		skmResponses: surveys.length,
		ikm: ikm(surveys),
	};
}

const KEY: Record<Grouping, (s: Seed) => string> = {
	service: (s) => s.service,
	kelurahan: (s) => s.area,
	day: (s) => s.created.slice(0, 10),
	channel: (s) => s.channel,
};

/** Expected groups: requests by their key; complaints and surveys by their request's key, or their own day. */
function expectedGroups(groupBy: Grouping, area: string | null): Map<string, Figures> {
	const inScope = (s: Seed) => area === null || s.area === area;
	const seeds = SEEDS.filter((s) => !s.outside && inScope(s));
	const complaints = COMPLAINTS.filter((c) => !c.outside);
	const surveys = SURVEYS.filter((s) => !s.outside && s.finished !== null);
	const keyOfRequest = (ref: string) => KEY[groupBy](bySeed.get(ref) as Seed);
	const keys = new Set<string>(seeds.map(KEY[groupBy]));
	const complaintKey = (c: ComplaintSeed) =>
		groupBy === "day" ? c.created.slice(0, 10) : c.about === null ? null : keyOfRequest(c.about);
	const surveyKey = (s: SurveySeed) =>
		groupBy === "day"
			? (s.finished ?? "").slice(0, 10)
			: groupBy === "channel" && s.erased
				? null
				: keyOfRequest(s.about);
	const complaintsIn = complaints.filter(
		(c) => area === null || (c.about !== null && bySeed.get(c.about)?.area === area),
	);
	const surveysIn = surveys.filter((s) => area === null || bySeed.get(s.about)?.area === area);
	for (const c of complaintsIn) keys.add(complaintKey(c) ?? "");
	for (const s of surveysIn) keys.add(surveyKey(s) ?? "");
	keys.delete("");
	const groups = new Map<string, Figures>();
	for (const key of keys) {
		groups.set(
			key,
			expected(
				seeds.filter((s) => KEY[groupBy](s) === key),
				complaintsIn.filter((c) => complaintKey(c) === key).length,
				surveysIn.filter((s) => surveyKey(s) === key).map((s) => s.answers),
			),
		);
	}
	groups.set(
		"",
		expected(
			seeds,
			complaintsIn.length,
			surveysIn.map((s) => s.answers),
		),
	);
	return groups;
}

async function summary(query: string, token: string = ADMIN): Promise<Body> {
	const res = await api("GET", `/reports/summary?${query}`, { token });
	expect(res.status, await res.clone().text()).toBe(200);
	return res.json<Body>();
}

describe("GET /reports/summary", () => {
	for (const groupBy of ["service", "kelurahan", "day", "channel"] as const) {
		it(`by ${groupBy}: every figure as computed from the seeds`, async () => {
			const body = await summary(`${PERIOD}&groupBy=${groupBy}`);
			const want = expectedGroups(groupBy, null);
			expect(body.groupBy).toBe(groupBy);
			expect(body.totals).toEqual(want.get(""));
			want.delete("");
			expect(body.groups.map((g) => g.key)).toEqual([...want.keys()].sort());
			for (const group of body.groups) {
				const { key, label, ...figures } = group;
				expect(figures, key).toEqual(want.get(key));
				if (groupBy === "kelurahan" && key === A) expect(label).toBe("Prabumulih");
				if (groupBy === "service" && key === "kk") expect(label).toBe("Kartu Keluarga (KK)");
			}
		});
	}

	it("matches the hand-computed totals (the rules' own example)", async () => {
		const { totals } = await summary(PERIOD);
		// A 1, B 3, C 1, D 0, H 3 working days: sorted 0 1 1 3 3, 3rd and 5th values.
		expect(totals.medianWorkingDays).toBe(1);
		expect(totals.p90WorkingDays).toBe(3);
		// A, C, D on time; B and H late.
		expect(totals.completedWithinLimit).toBe(3);
		expect(totals.withinLimitShare).toBe(0.6);
		// E (processing, due 12 June) and I (submitted, due 1 July); F waits for papers.
		expect(totals.overdue).toBe(2);
		expect(totals.open).toBe(3);
		expect(totals.revisionsAsked).toBe(3);
		expect(totals.complaints).toBe(4);
		// Element averages 3.25 3.5 3.5 3.5 4 11/3 3.75 3.75 11/3: mean 3.6204 x 25.
		expect(totals.skmResponses).toBe(4);
		expect(totals.ikm).toBe(90.51);
	});

	it("gives a kelurahan operator their own area only", async () => {
		const { token } = await createStaff("kelurahan", A);
		for (const groupBy of ["service", "kelurahan"] as const) {
			const body = await summary(`${PERIOD}&groupBy=${groupBy}`, token);
			const want = expectedGroups(groupBy, A);
			expect(body.totals).toEqual(want.get(""));
			want.delete("");
			expect(body.groups.map((g) => g.key)).toEqual([...want.keys()].sort());
			if (groupBy === "kelurahan") expect(body.groups.map((g) => g.key)).toEqual([A]);
			for (const { key, label: _label, ...figures } of body.groups)
				expect(figures).toEqual(want.get(key));
		}
		// The officer and the admin see the whole office.
		const officer = (await createStaff("officer")).token;
		expect((await summary(PERIOD, officer)).totals.requests).toBe(
			SEEDS.filter((s) => !s.outside).length,
		);
	});

	it("names a missing, malformed, backwards or too long period, and an unknown grouping", async () => {
		const cases: [string, string][] = [
			["to=2026-06-30", "query.from"],
			["from=2026-06-01", "query.to"],
			["from=yesterday&to=2026-06-30", "query.from"],
			["from=2026-06-30&to=2026-06-01", "query.to"],
			["from=2026-01-01&to=2027-01-02", "query.to"],
			[`${PERIOD}&groupBy=week`, "query.groupBy"],
		];
		for (const [query, field] of cases) {
			const res = await api("GET", `/reports/summary?${query}`);
			expect(res.status, query).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{ errors: { field: string }[] }>();
			expect(
				problem.errors.map((e) => e.field),
				query,
			).toContain(field);
		}
		// A whole year is allowed.
		expect((await api("GET", "/reports/summary?from=2026-01-01&to=2026-12-31")).status).toBe(200);
	});
});
