import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type NewAttachment, submitRequest } from "../../src/requests/submit";
import { api, createStaff } from "../helpers/staff";

const OFFICE = "PBM";
const BUSINESS_ID = "106540352242922";
const AREA_A = "16.74.01.1001";
const AREA_B = "16.74.02.1003";
/** 10:00 WIB on 10 November 2026. */
const BASE = Date.parse("2026-11-10T03:00:00Z");
const HOUR = 60 * 60 * 1000;

interface Seed {
	id: string;
	ticket: string;
	area: string;
	service: string;
	status: string;
	createdAt: number;
	name: string;
	nik: string;
	phone: string | null;
}

interface Summary {
	id: string;
	ticket: string;
	status: string;
	service: string;
	variant: string;
	kelurahan: { code: string; name: string };
	residentName: string;
	createdAt: number;
	updatedAt: number;
}
interface Page {
	items: Summary[];
	nextCursor: string | null;
}
interface Attachment {
	id: string;
	state: string;
	mimeType: string;
	size: number;
	sha256: string;
	fileName: string | null;
	downloadUrl: string;
}
interface Detail {
	id: string;
	ticket: string;
	resident: Record<string, unknown>;
	service: Record<string, unknown>;
	kelurahan: Record<string, unknown>;
	documents: {
		code: string;
		kind: string;
		required: boolean;
		state: string;
		label: unknown;
		attachments: Attachment[];
	}[];
	events: Record<string, unknown>[];
	notes: Record<string, unknown>[];
	whatsapp: Record<string, unknown> | null;
	flags: Record<string, boolean>;
}
interface Problem {
	status: number;
	errors?: { field: string; message: string }[];
}

const seeds: Seed[] = [];
/** Bytes stored in R2, by attachment id. */
const stored = new Map<string, Uint8Array>();
let whatsappRequest: Seed;
let kelurahanRequest: Seed;
let staff: {
	officer: { id: string; token: string };
	kelA: { id: string; token: string };
	kelB: { id: string; token: string };
};

async function sha256(bytes: Uint8Array): Promise<string> {
	const digest = await crypto.subtle.digest("SHA-256", bytes);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stores a file in R2 and describes it for `submitRequest`. */
async function file(
	requestId: string,
	docCode: string,
	messageId: string,
	mimeType: string,
	size: number,
	fileName?: string,
): Promise<NewAttachment> {
	const bytes = crypto.getRandomValues(new Uint8Array(size));
	const key = `requests/${requestId}/${docCode}/${messageId}`;
	await env.FILES.put(key, bytes, { httpMetadata: { contentType: mimeType } });
	stored.set(`${requestId}:${docCode}:${messageId}`, bytes);
	return {
		docCode,
		key,
		mimeType,
		size,
		sha256: await sha256(bytes),
		messageId,
		...(fileName === undefined ? {} : { fileName }),
	};
}

async function seed(
	fields: Omit<Seed, "id" | "ticket" | "status"> & {
		status?: string;
		variant: string;
		channel?: "whatsapp" | "kelurahan";
		submittedBy?: string;
		attachments?: (id: string) => Promise<NewAttachment[]>;
	},
): Promise<Seed> {
	const id = crypto.randomUUID();
	const channel = fields.channel ?? "whatsapp";
	const { ticket } = await submitRequest(env.DB, OFFICE, {
		id,
		channel,
		...(channel === "whatsapp"
			? { businessId: BUSINESS_ID, residentId: fields.phone ?? "0" }
			: { submittedBy: fields.submittedBy ?? "" }),
		...(fields.phone === null ? {} : { residentPhone: fields.phone }),
		residentName: fields.name,
		nik: fields.nik,
		nikWarnings: [],
		serviceCode: fields.service,
		variantCode: fields.variant,
		areaCode: fields.area,
		language: "id",
		attachments: fields.attachments ? await fields.attachments(id) : [],
		submittedAt: fields.createdAt,
	});
	// Attachment ids are random; these fixtures name theirs `<request>:<doc>:<message>` to read easily.
	await env.DB.prepare(
		"UPDATE attachments SET id = request_id || ':' || doc_code || ':' || message_id WHERE request_id = ?",
	)
		.bind(id)
		.run();
	const status = fields.status ?? "submitted";
	if (status !== "submitted") {
		await env.DB.prepare("UPDATE requests SET status = ? WHERE id = ?").bind(status, id).run();
	}
	const row: Seed = {
		id,
		ticket,
		area: fields.area,
		service: fields.service,
		status,
		createdAt: fields.createdAt,
		name: fields.name,
		nik: fields.nik,
		phone: fields.phone,
	};
	seeds.push(row);
	return row;
}

/** Newest first, ties by id descending: the order the API promises. */
function newestFirst(rows: Seed[]): string[] {
	return [...rows]
		.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
		.map((r) => r.id);
}

async function list(query: string, token?: string): Promise<Page> {
	const res = await api("GET", `/requests?${query}`, token === undefined ? {} : { token });
	expect(res.status, await res.clone().text()).toBe(200);
	return res.json<Page>();
}

async function ids(query: string, token?: string): Promise<string[]> {
	return (await list(`limit=100&${query}`, token)).items.map((i) => i.id);
}

/** `POST /requests/search` with `body`: one page. */
async function search(body: Record<string, unknown>, token?: string): Promise<Page> {
	const res = await api("POST", "/requests/search", {
		json: body,
		...(token === undefined ? {} : { token }),
	});
	expect(res.status, await res.clone().text()).toBe(200);
	return res.json<Page>();
}

async function searchIds(body: Record<string, unknown>, token?: string): Promise<string[]> {
	return (await search({ limit: 100, ...body }, token)).items.map((i) => i.id);
}

beforeAll(async () => {
	staff = {
		officer: await createStaff("officer"),
		kelA: await createStaff("kelurahan", AREA_A),
		kelB: await createStaff("kelurahan", AREA_B),
	};
	// 24 requests over 36 hours, two by two at the same instant (so ties need the id).
	for (let i = 0; i < 24; i++) {
		await seed({
			area: i % 3 === 0 ? AREA_B : AREA_A,
			service: i % 4 === 0 ? "kk" : "ktp_el",
			variant: i % 4 === 0 ? "hilang_rusak" : "hilang",
			status: i % 5 === 0 ? "in_review" : "submitted",
			createdAt: BASE + Math.floor(i / 2) * 3 * HOUR,
			name: `Warga ${i}`,
			nik: `1674015203${String(i).padStart(6, "0")}`,
			phone: `62812${5550000 + i}`,
		});
	}
	whatsappRequest = await seed({
		area: AREA_A,
		service: "ktp_el",
		variant: "hilang",
		createdAt: BASE + 40 * HOUR,
		name: "Siti Aminah",
		nik: "1674015203900001",
		phone: "6281234567890",
		attachments: async (id) => [
			await file(id, "kk", "wamid.a1", "image/jpeg", 2048),
			await file(id, "kk", "wamid.a2", "image/jpeg", 4096, "kk baru.jpg"),
			await file(id, "lainnya", "wamid.a3", "image/png", 512),
		],
	});
	// The first KK photo was replaced by the second: its row stays, superseded.
	await env.DB.prepare("UPDATE attachments SET state = 'superseded' WHERE id = ?")
		.bind(`${whatsappRequest.id}:kk:wamid.a1`)
		.run();
	kelurahanRequest = await seed({
		area: AREA_B,
		service: "kk",
		variant: "hilang_rusak",
		createdAt: BASE + 41 * HOUR,
		name: "Bambang Pamungkas",
		nik: "1674020101850003",
		phone: null,
		channel: "kelurahan",
		submittedBy: staff.kelB.id,
		attachments: async (id) => [await file(id, "ktp_el", "0", "application/pdf", 3000, "ktp.pdf")],
	});
});

const downloadPath = (requestId: string, attachmentId: string) =>
	`/requests/${requestId}/attachments/${encodeURIComponent(attachmentId)}`;

describe("who may read what", () => {
	type Who = "none" | "bad" | "admin" | "officer" | "kelA" | "kelB";
	const WHO: Who[] = ["none", "bad", "admin", "officer", "kelA", "kelB"];
	const tokenOf = (who: Who): string | null | undefined =>
		who === "none"
			? null
			: who === "bad"
				? "dks_not-a-real-token"
				: who === "admin"
					? undefined
					: staff[who].token;
	// The WhatsApp request is in area A: area B's operator must get what a missing one gets.
	const requestRoutes = (): [string, Record<Who, number>][] => [
		["/requests", { none: 401, bad: 401, admin: 200, officer: 200, kelA: 200, kelB: 200 }],
		...[
			`/requests/${whatsappRequest.id}`,
			`/requests/${whatsappRequest.ticket}`,
			downloadPath(whatsappRequest.id, `${whatsappRequest.id}:kk:wamid.a2`),
			`/requests/${whatsappRequest.id}/messages`,
		].map((path): [string, Record<Who, number>] => [
			path,
			{ none: 401, bad: 401, admin: 200, officer: 200, kelA: 200, kelB: 404 },
		]),
		["/audit", { none: 401, bad: 401, admin: 200, officer: 403, kelA: 403, kelB: 403 }],
	];

	it("answers each role as expected on every route", async () => {
		const got: string[] = [];
		const want: string[] = [];
		for (const [path, expected] of requestRoutes()) {
			for (const who of WHO) {
				const token = tokenOf(who);
				const res = await api("GET", path, token === undefined ? {} : { token });
				got.push(`${path} ${who} ${res.status}`);
				want.push(`${path} ${who} ${expected[who]}`);
				if (res.status !== 200) {
					expect(res.headers.get("content-type")).toBe("application/problem+json");
				}
				await res.body?.cancel();
			}
		}
		expect(got).toEqual(want);
	});

	it("hides another area's request, file and transcript exactly like a missing one", async () => {
		const missing = await api("GET", "/requests/no-such-request", { token: staff.kelA.token });
		expect(missing.status).toBe(404);
		const missingBody = await missing.json();
		const k = kelurahanRequest;
		const attachment = `${k.id}:ktp_el:0`;
		for (const path of [
			`/requests/${k.id}`,
			`/requests/${k.ticket}`,
			`/requests/${k.ticket.toLowerCase()}`,
			downloadPath(k.id, attachment),
			`/requests/${k.id}/messages`,
		]) {
			const res = await api("GET", path, { token: staff.kelA.token });
			expect(res.status, path).toBe(404);
			expect(await res.json(), path).toEqual(missingBody);
		}
		// Area B's operator sees it all.
		expect((await api("GET", `/requests/${k.id}`, { token: staff.kelB.token })).status).toBe(200);
		const download = await api("GET", downloadPath(k.id, attachment), { token: staff.kelB.token });
		expect(download.status).toBe(200);
		await download.body?.cancel();
	});

	it("never lists another area's requests to a kelurahan operator", async () => {
		const inA = seeds.filter((s) => s.area === AREA_A);
		expect(await ids("", staff.kelA.token)).toEqual(newestFirst(inA));
		expect(await ids(`kelurahan=${AREA_B}`, staff.kelA.token)).toEqual([]);
		expect(await ids(`q=${kelurahanRequest.ticket}`, staff.kelA.token)).toEqual([]);
		expect(await searchIds({ nik: kelurahanRequest.nik }, staff.kelA.token)).toEqual([]);
		expect(await searchIds({ q: kelurahanRequest.nik }, staff.kelA.token)).toEqual([]);
		expect(await searchIds({ nik: kelurahanRequest.nik }, staff.kelB.token)).toEqual([
			kelurahanRequest.id,
		]);
		expect(await searchIds({ q: "bambang" }, staff.kelA.token)).toEqual([]);
		expect(await ids("q=bambang", staff.kelA.token)).toEqual([]);
		expect(await ids("q=bambang", staff.kelB.token)).toEqual([kelurahanRequest.id]);
		const inReviewA = inA.filter((s) => s.status === "in_review");
		expect(await ids("status=in_review", staff.kelA.token)).toEqual(newestFirst(inReviewA));
		// Paging stays inside the area too.
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const query: string = `limit=4${cursor === null ? "" : `&cursor=${cursor}`}`;
			const page = await list(query, staff.kelB.token);
			seen.push(...page.items.map((i) => i.id));
			cursor = page.nextCursor;
		} while (cursor !== null);
		expect(seen).toEqual(newestFirst(seeds.filter((s) => s.area === AREA_B)));
	});
});

describe("GET /requests", () => {
	it("lists newest first with kelurahan names and codes", async () => {
		const page = await list("limit=100");
		expect(page.items.map((i) => i.id)).toEqual(newestFirst(seeds));
		expect(page.nextCursor).toBeNull();
		expect(page.items[0]).toEqual({
			id: kelurahanRequest.id,
			ticket: kelurahanRequest.ticket,
			status: "submitted",
			service: "kk",
			variant: "hilang_rusak",
			kelurahan: { code: AREA_B, name: "Karang Raja" },
			residentName: "Bambang Pamungkas",
			createdAt: kelurahanRequest.createdAt,
			updatedAt: kelurahanRequest.createdAt,
			// Filed without a schedule (straight through submitRequest): no queue or due date.
			queueDate: null,
			dueDate: null,
			channel: "kelurahan",
			daysLate: null,
		});
		expect((await list("")).items).toHaveLength(20);
	});

	it("filters by status, service and kelurahan", async () => {
		expect(await ids("status=in_review")).toEqual(
			newestFirst(seeds.filter((s) => s.status === "in_review")),
		);
		expect(await ids("service=kk")).toEqual(newestFirst(seeds.filter((s) => s.service === "kk")));
		expect(await ids(`kelurahan=${AREA_B}`)).toEqual(
			newestFirst(seeds.filter((s) => s.area === AREA_B)),
		);
		expect(await ids(`status=in_review&service=kk&kelurahan=${AREA_B}`)).toEqual(
			newestFirst(
				seeds.filter((s) => s.status === "in_review" && s.service === "kk" && s.area === AREA_B),
			),
		);
	});

	it("filters by creation time: epoch ms, ISO date-times and office days", async () => {
		const within = (from: number, to: number) =>
			newestFirst(seeds.filter((s) => s.createdAt >= from && s.createdAt < to));
		const from = BASE + 6 * HOUR;
		const to = BASE + 18 * HOUR;
		expect(await ids(`from=${from}&to=${to}`)).toEqual(within(from, to));
		expect(await ids(`from=${new Date(from).toISOString()}`)).toEqual(within(from, Infinity));
		expect(await ids("to=2026-11-10T20:00:00%2B07:00")).toEqual(
			within(0, Date.parse("2026-11-10T20:00:00+07:00")),
		);
		// A date is the office's day (WIB): `to` includes all of it.
		const day11 = Date.parse("2026-11-11T00:00:00+07:00");
		const day12 = Date.parse("2026-11-12T00:00:00+07:00");
		const eleventh = await ids("from=2026-11-11&to=2026-11-11");
		expect(eleventh).toEqual(within(day11, day12));
		expect(eleventh.length).toBeGreaterThan(0);
		expect(eleventh.length).toBeLessThan(seeds.length);
	});

	it("searches by ticket, NIK, phone and name prefix", async () => {
		const seven = seeds.find((s) => s.name === "Warga 7");
		if (seven === undefined) throw new Error("seed missing");
		expect(await ids(`q=${seven.ticket}`)).toEqual([seven.id]);
		expect(await ids(`q=${encodeURIComponent(` ${seven.ticket.toLowerCase()} `)}`)).toEqual([
			seven.id,
		]);
		// A NIK or phone number is searched in a body (POST /requests/search), never in a URL.
		expect(await searchIds({ nik: seven.nik })).toEqual([seven.id]);
		expect(await searchIds({ nik: "1674 0152 0300 0007" })).toEqual([seven.id]);
		expect(await searchIds({ q: "1674 0152 0300 0007" })).toEqual([seven.id]);
		expect(await searchIds({ phone: seven.phone })).toEqual([seven.id]);
		expect(await searchIds({ phone: "0812-555-0007" })).toEqual([seven.id]);
		expect(await searchIds({ phone: "+62 812 5550007" })).toEqual([seven.id]);
		expect(await searchIds({ q: "+62 812 5550007" })).toEqual([seven.id]);
		expect(await searchIds({ q: seven.ticket })).toEqual([seven.id]);
		expect(await searchIds({ q: "SITI" })).toEqual([whatsappRequest.id]);
		expect(await ids("q=warga%201")).toEqual(
			newestFirst(seeds.filter((s) => s.name.startsWith("Warga 1"))),
		);
		expect(await ids("q=SITI")).toEqual([whatsappRequest.id]);
		// Wildcards are literal: no name starts with "%" or with "warga_1".
		expect(await ids("q=%25")).toEqual([]);
		expect(await ids("q=warga_1")).toEqual([]);
		// Nothing matches an unknown NIK, even though every name would match "1%" if it were one.
		expect(await searchIds({ nik: "1674999999999999" })).toEqual([]);
	});

	it("turns a NIK or phone number in the URL away with a pointer to POST /requests/search", async () => {
		const seven = seeds.find((s) => s.name === "Warga 7");
		if (seven === undefined) throw new Error("seed missing");
		for (const q of [
			seven.nik,
			"1674 0152 0300 0007",
			"1674.0152.0300.0007",
			seven.phone,
			"0812-555-0007",
			"+62 812 5550007",
			"1674999999999999",
		]) {
			const res = await api("GET", `/requests?q=${encodeURIComponent(q ?? "")}`);
			expect(res.status, q ?? "").toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<{
				detail: string;
				search: string;
				errors: { field: string }[];
			}>();
			expect(problem.search).toBe("/api/v1/requests/search");
			expect(problem.detail).toContain("POST it to /api/v1/requests/search");
			expect(problem.errors[0]?.field).toBe("query.q");
			expect(JSON.stringify(problem)).not.toContain(q);
		}
	});

	it("searches in a body with the list's filters and cursor, and refuses a malformed search", async () => {
		const onA = seeds.filter((s) => s.area === AREA_A && s.phone !== null);
		const first = onA[0];
		if (first === undefined) throw new Error("seed missing");
		expect(await searchIds({ nik: first.nik, status: first.status })).toEqual([first.id]);
		const other = first.status === "submitted" ? "rejected" : "submitted";
		expect(await searchIds({ nik: first.nik, status: other })).toEqual([]);
		// Every name starts with "Warga ": page through them 5 at a time, as the list pages.
		const everyone = newestFirst(seeds.filter((s) => s.name.startsWith("Warga ")));
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const page: Page = await search({ q: "Warga ", limit: 5, ...(cursor ? { cursor } : {}) });
			seen.push(...page.items.map((i) => i.id));
			cursor = page.nextCursor;
		} while (cursor !== null);
		expect(seen).toEqual(everyone);
		for (const body of [
			{},
			{ nik: first.nik, phone: first.phone },
			{ nik: "12345" },
			{ phone: "halo" },
			{ q: "x", surprise: true },
			{ q: "x", limit: 101 },
		]) {
			const res = await api("POST", "/requests/search", { json: body });
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
	});

	it("pages with a cursor across 3 pages, without duplicates or gaps", async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = `limit=10${cursor === null ? "" : `&cursor=${cursor}`}`;
			const page = await list(query);
			seen.push(...page.items.map((i) => i.id));
			cursor = page.nextCursor;
			pages++;
		} while (cursor !== null);
		expect(pages).toBe(3);
		expect(seen).toEqual(newestFirst(seeds));
		expect(new Set(seen).size).toBe(seeds.length);
		// A filter applies on every page.
		const first = await list(`limit=2&kelurahan=${AREA_B}`);
		const second = await list(`limit=2&kelurahan=${AREA_B}&cursor=${first.nextCursor}`);
		expect([...first.items, ...second.items].map((i) => i.id)).toEqual(
			newestFirst(seeds.filter((s) => s.area === AREA_B)).slice(0, 4),
		);
	});

	it("refuses bad parameters with a problem naming the field", async () => {
		const cases: [string, string][] = [
			["limit=101", "query.limit"],
			["limit=0", "query.limit"],
			["limit=ten", "query.limit"],
			["status=lost", "query.status"],
			["kelurahan=Prabumulih", "query.kelurahan"],
			["from=yesterday", "query.from"],
			["to=2026-02-30", "query.to"],
			// The day after it has no YYYY-MM-DD (a 500 once).
			["to=9999-12-31", "query.to"],
			["cursor=not%20a%20cursor", "query.cursor"],
			[`cursor=${btoa("no colon here").replace(/=+$/, "")}`, "query.cursor"],
		];
		for (const [query, field] of cases) {
			const res = await api("GET", `/requests?${query}`);
			expect(res.status, query).toBe(400);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const problem = await res.json<Problem>();
			expect(
				problem.errors?.map((e) => e.field),
				query,
			).toContain(field);
		}
		// Unknown parameters are ignored (`sort` is a parameter now: see test/standards/schedule.test.ts).
		expect((await api("GET", "/requests?order=name")).status).toBe(200);
	});
});

describe("GET /requests/{id}", () => {
	it("shows the resident, service, area, events and the document checklist", async () => {
		const w = whatsappRequest;
		for (const id of [w.id, w.ticket]) {
			const res = await api("GET", `/requests/${id}`, { token: staff.officer.token });
			expect(res.status).toBe(200);
			const detail = await res.json<Detail>();
			expect(detail).toMatchObject({
				id: w.id,
				ticket: w.ticket,
				status: "submitted",
				version: 1,
				closedAt: null,
				resident: {
					name: "Siti Aminah",
					phone: "6281234567890",
					nik: "1674015203900001",
					nikWarnings: [],
					channel: "whatsapp",
					residentId: "6281234567890",
				},
				service: {
					code: "ktp_el",
					label: { id: "KTP-el", en: "KTP-el (Electronic ID)" },
					variant: { code: "hilang", label: { id: "Hilang", en: "Lost" } },
					resultKind: "card",
				},
				kelurahan: {
					code: AREA_A,
					name: "Prabumulih",
					kecamatan: { code: "16.74.01", name: "Prabumulih Barat" },
				},
				events: [{ at: w.createdAt, actor: "resident", from: null, to: "submitted", reason: null }],
				notes: [],
			});
			const docs = detail.documents.map((d) => [d.code, d.kind, d.required, d.state]);
			expect(docs).toEqual([
				["kk", "requirement", true, "received"],
				["surat_kehilangan", "requirement", true, "missing"],
				["lainnya", "extra", false, "received"],
			]);
			const kk = detail.documents[0]?.attachments ?? [];
			expect(kk.map((a) => [a.id, a.state])).toEqual([
				[`${w.id}:kk:wamid.a1`, "superseded"],
				[`${w.id}:kk:wamid.a2`, "active"],
			]);
			expect(kk[1]).toMatchObject({
				mimeType: "image/jpeg",
				size: 4096,
				fileName: "kk baru.jpg",
				sha256: await sha256(stored.get(`${w.id}:kk:wamid.a2`) ?? new Uint8Array()),
				downloadUrl: `/api/v1${downloadPath(w.id, `${w.id}:kk:wamid.a2`)}`,
			});
			expect(detail.documents[1]?.attachments).toEqual([]);
			expect(detail.documents[2]?.label).toBeNull();
		}
	});

	it("shows a missing document as missing when its only file is superseded", async () => {
		const w = whatsappRequest;
		const id = `${w.id}:lainnya:wamid.a3`;
		await env.DB.prepare("UPDATE attachments SET state = 'superseded' WHERE id = ?").bind(id).run();
		try {
			const detail = await (await api("GET", `/requests/${w.id}`)).json<Detail>();
			expect(detail.documents.find((d) => d.code === "lainnya")?.state).toBe("missing");
		} finally {
			await env.DB.prepare("UPDATE attachments SET state = 'active' WHERE id = ?").bind(id).run();
		}
	});

	it("shows the chat state of a WhatsApp request and the open hand-off", async () => {
		const w = whatsappRequest;
		const before = await (await api("GET", `/requests/${w.id}`)).json<Detail>();
		expect(before.whatsapp).toEqual({
			windowOpenUntil: null,
			waitingNotices: 0,
			deadMessages: 0,
			optedOutSince: null,
		});
		expect(before.flags).toEqual({
			handoffAsked: false,
			noticesWaiting: false,
			deadMessages: false,
		});
		await env.DB.prepare(
			"INSERT INTO handoffs (id, conversation, business_id, resident_id, asked_at) VALUES (?, ?, ?, ?, ?)",
		)
			.bind(crypto.randomUUID(), `${BUSINESS_ID}:${w.phone}`, BUSINESS_ID, w.phone, Date.now())
			.run();
		const after = await (await api("GET", `/requests/${w.id}`)).json<Detail>();
		expect(after.flags.handoffAsked).toBe(true);
		await env.DB.prepare("UPDATE handoffs SET resolved_at = ? WHERE business_id = ?")
			.bind(Date.now(), BUSINESS_ID)
			.run();
		const resolved = await (await api("GET", `/requests/${w.id}`)).json<Detail>();
		expect(resolved.flags.handoffAsked).toBe(false);
	});

	it("lists each request's WhatsApp window with include=window, without auditing a view", async () => {
		const w = whatsappRequest;
		const plain = await (await api("GET", `/requests?limit=100`)).json<{
			items: { id: string; channel: string; whatsapp?: unknown }[];
		}>();
		const listed = plain.items.find((item) => item.id === w.id);
		expect(listed?.channel).toBe("whatsapp");
		expect(listed && "whatsapp" in listed).toBe(false);
		const withWindow = await (await api("GET", `/requests?limit=100&include=window`)).json<{
			items: {
				id: string;
				channel: string;
				whatsapp?: { windowOpenUntil: number | null } | null;
			}[];
		}>();
		expect(withWindow.items.find((item) => item.id === w.id)?.whatsapp).toEqual({
			windowOpenUntil: null,
		});
		const kelurahan = withWindow.items.find((item) => item.channel === "kelurahan");
		expect(kelurahan?.whatsapp).toBeNull();
		const views = await env.DB.prepare(
			"SELECT count(*) AS n FROM audit_log WHERE action = 'request.view' AND request_id = ?",
		)
			.bind(w.id)
			.first<number>("n");
		const before = views;
		await api("GET", `/requests?limit=100&include=window`);
		expect(
			await env.DB.prepare(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'request.view' AND request_id = ?",
			)
				.bind(w.id)
				.first<number>("n"),
		).toBe(before);
	});

	it("has no chat state for a request submitted at the kelurahan", async () => {
		const detail = await (
			await api("GET", `/requests/${kelurahanRequest.ticket}`, { token: staff.kelB.token })
		).json<Detail>();
		expect(detail.whatsapp).toBeNull();
		expect(detail.flags).toEqual({
			handoffAsked: false,
			noticesWaiting: false,
			deadMessages: false,
		});
		expect(detail.resident).toMatchObject({ channel: "kelurahan", phone: null, residentId: null });
		expect(detail.events[0]).toMatchObject({ actor: `staff:${staff.kelB.id}`, to: "submitted" });
		expect(detail.documents.map((d) => [d.code, d.state])).toEqual([
			["surat_kehilangan", "missing"],
			["kk_rusak", "missing"],
			["ktp_el", "received"],
		]);
	});

	it("answers 404 for an unknown id or ticket", async () => {
		for (const id of ["nope", "PBM-991231-0001"]) {
			const res = await api("GET", `/requests/${id}`);
			expect(res.status).toBe(404);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
	});
});

describe("GET /requests/{id}/attachments/{attachmentId}", () => {
	it("streams the stored bytes with their type, length and a download name", async () => {
		const w = whatsappRequest;
		const detail = await (await api("GET", `/requests/${w.id}`)).json<Detail>();
		const expected: [string, string, string][] = [
			[`${w.id}:kk:wamid.a1`, "image/jpeg", `${w.ticket}-kk-1.jpg`],
			[`${w.id}:kk:wamid.a2`, "image/jpeg", `${w.ticket}-kk-2.jpg`],
			[`${w.id}:lainnya:wamid.a3`, "image/png", `${w.ticket}-lainnya-1.png`],
		];
		for (const [id, type, name] of expected) {
			const url = detail.documents
				.flatMap((d) => d.attachments)
				.find((a) => a.id === id)?.downloadUrl;
			expect(url).toBeDefined();
			const res = await api("GET", (url ?? "").replace(/^\/api\/v1/, ""), {
				token: staff.kelA.token,
			});
			expect(res.status).toBe(200);
			const bytes = new Uint8Array(await res.arrayBuffer());
			const original = stored.get(id);
			expect(bytes).toEqual(original);
			expect(res.headers.get("content-type")).toBe(type);
			expect(res.headers.get("content-length")).toBe(String(original?.length));
			expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${name}"`);
			expect(res.headers.get("cache-control")).toBe("private, no-store");
		}
		const pdf = await api(
			"GET",
			downloadPath(kelurahanRequest.ticket, `${kelurahanRequest.id}:ktp_el:0`),
		);
		expect(pdf.headers.get("content-type")).toBe("application/pdf");
		expect(pdf.headers.get("content-disposition")).toBe(
			`attachment; filename="${kelurahanRequest.ticket}-ktp_el-1.pdf"`,
		);
		expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(
			stored.get(`${kelurahanRequest.id}:ktp_el:0`),
		);
	});

	it("answers 404 for a file of another request, an unknown file, or bytes no longer stored", async () => {
		const w = whatsappRequest;
		const k = kelurahanRequest;
		for (const path of [
			downloadPath(w.id, `${k.id}:ktp_el:0`),
			downloadPath(w.id, `${w.id}:kk:nope`),
		]) {
			const res = await api("GET", path);
			expect(res.status, path).toBe(404);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
		}
		const gone = await seed({
			area: AREA_A,
			service: "ktp_el",
			variant: "hilang",
			createdAt: BASE - 30 * 24 * HOUR,
			name: "Retensi Habis",
			nik: "1674015203990009",
			phone: "6281299990009",
			attachments: async (id) => [await file(id, "kk", "wamid.old", "image/jpeg", 10)],
		});
		await env.FILES.delete(`requests/${gone.id}/kk/wamid.old`);
		const res = await api("GET", downloadPath(gone.id, `${gone.id}:kk:wamid.old`));
		expect(res.status).toBe(404);
		await env.DB.batch([
			env.DB.prepare("DELETE FROM attachments WHERE request_id = ?").bind(gone.id),
			env.DB.prepare("DELETE FROM request_events WHERE request_id = ?").bind(gone.id),
			env.DB.prepare("DELETE FROM requests WHERE id = ?").bind(gone.id),
		]);
		seeds.splice(seeds.indexOf(gone), 1);
	});
});

describe("GET /requests/{id}/messages", () => {
	it("answers the WhatsApp transcript, and nothing for a kelurahan request", async () => {
		const res = await api("GET", `/requests/${whatsappRequest.ticket}/messages`);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ messages: [] });
		const k = await api("GET", `/requests/${kelurahanRequest.id}/messages`, {
			token: staff.kelB.token,
		});
		expect(k.status).toBe(200);
		expect(await k.json()).toEqual({ messages: [] });
	});
});

describe("auditing reads", () => {
	interface AuditRow {
		actor: string;
		action: string;
		request_id: string | null;
		detail: string;
	}
	const rowsOf = async (actor: string) =>
		(
			await env.DB.prepare(
				"SELECT actor, action, request_id, detail FROM audit_log WHERE actor = ? ORDER BY at, id",
			)
				.bind(actor)
				.all<AuditRow>()
		).results;

	it("records views, file downloads, transcripts and searches, never a NIK, phone or name", async () => {
		const officer = await createStaff("officer");
		const actor = `staff:${officer.id}`;
		const w = whatsappRequest;
		const token = officer.token;
		const attachmentId = `${w.id}:kk:wamid.a2`;
		await api("GET", `/requests/${w.id}`, { token });
		await (await api("GET", downloadPath(w.id, attachmentId), { token })).arrayBuffer();
		await api("GET", `/requests/${w.id}/messages`, { token });
		await api("POST", "/requests/search", { json: { nik: w.nik, status: "submitted" }, token });
		await api("POST", "/requests/search", { json: { phone: "0812 3456 7890" }, token });
		await api("GET", "/requests?q=Siti%20Ami", { token });
		await api("GET", `/requests?q=${w.ticket}&limit=5`, { token });

		const rows = await rowsOf(actor);
		const parsed = rows.map((r) => ({
			action: r.action,
			requestId: r.request_id,
			detail: JSON.parse(r.detail) as Record<string, unknown>,
		}));
		expect(parsed).toEqual([
			{ action: "request.view", requestId: w.id, detail: {} },
			{ action: "attachment.view", requestId: w.id, detail: { attachmentId, docCode: "kk" } },
			{ action: "request.transcript", requestId: w.id, detail: { messages: 0 } },
			{
				action: "requests.search",
				requestId: null,
				detail: { limit: 20, cursor: false, results: 1, status: "submitted", qKind: "nik" },
			},
			{
				action: "requests.search",
				requestId: null,
				detail: { limit: 20, cursor: false, results: 1, qKind: "phone" },
			},
			{
				action: "requests.list",
				requestId: null,
				detail: { limit: 20, cursor: false, results: 1, qKind: "name" },
			},
			{
				action: "requests.list",
				requestId: null,
				detail: { limit: 5, cursor: false, results: 1, qKind: "ticket", q: w.ticket },
			},
		]);

		// No audit row anywhere carries a resident's NIK, phone number or name.
		const { results } = await env.DB.prepare("SELECT * FROM audit_log").all();
		const everything = JSON.stringify(results);
		for (const s of seeds) {
			expect(everything).not.toContain(s.nik);
			if (s.phone !== null) expect(everything).not.toContain(s.phone);
			expect(everything).not.toContain(s.name);
		}
		expect(everything).not.toContain("Siti Ami");
	});
});

describe("GET /audit", () => {
	interface AuditPage {
		items: {
			id: string;
			at: number;
			actor: string;
			action: string;
			requestId: string | null;
			detail: Record<string, unknown>;
		}[];
		nextCursor: string | null;
	}

	it("lists entries newest first, filtered, with cursor pagination", async () => {
		const officer = await createStaff("officer");
		const actor = `staff:${officer.id}`;
		const w = whatsappRequest;
		for (let i = 0; i < 5; i++) {
			await api("GET", `/requests/${w.id}`, { token: officer.token });
		}
		await api("GET", `/requests/${kelurahanRequest.id}`, { token: officer.token });

		const seen: AuditPage["items"] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const query: string = `actor=${actor}&action=request.view&limit=2${cursor === null ? "" : `&cursor=${cursor}`}`;
			const res = await api("GET", `/audit?${query}`);
			expect(res.status).toBe(200);
			const page: AuditPage = await res.json<AuditPage>();
			seen.push(...page.items);
			cursor = page.nextCursor;
			pages++;
		} while (cursor !== null);
		expect(pages).toBe(3);
		expect(seen).toHaveLength(6);
		expect(new Set(seen.map((e) => e.id)).size).toBe(6);
		expect(seen.every((e) => e.actor === actor && e.action === "request.view")).toBe(true);
		const order = seen.map((e) => [e.at, e.id] as const);
		const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
		expect(order).toEqual(sorted);
		expect(seen[0]?.requestId).toBe(kelurahanRequest.id);

		const byRequest = await (
			await api("GET", `/audit?actor=${actor}&request=${kelurahanRequest.id}`)
		).json<AuditPage>();
		expect(byRequest.items.map((e) => e.requestId)).toEqual([kelurahanRequest.id]);
		expect(byRequest.nextCursor).toBeNull();

		const at = seen[0]?.at ?? 0;
		const upTo = await (await api("GET", `/audit?actor=${actor}&to=${at}`)).json<AuditPage>();
		expect(upTo.items.every((e) => e.at < at)).toBe(true);
		const since = await (await api("GET", `/audit?actor=${actor}&from=${at}`)).json<AuditPage>();
		expect(since.items.length).toBeGreaterThan(0);
		expect(since.items.every((e) => e.at >= at)).toBe(true);
		expect(
			(await (await api("GET", `/audit?from=${Date.now() + HOUR}`)).json<AuditPage>()).items,
		).toEqual([]);
	});

	it("audits reading the audit log, and validates its parameters", async () => {
		const admin = await createStaff("admin");
		await api("GET", "/audit?action=request.view&limit=3", { token: admin.token });
		const own = await (await api("GET", `/audit?actor=staff:${admin.id}`)).json<AuditPage>();
		expect(own.items.map((e) => [e.action, e.detail])).toEqual([
			["audit.list", { limit: 3, cursor: false, action: "request.view" }],
		]);
		for (const [query, field] of [
			["limit=101", "query.limit"],
			["cursor=%%%", "query.cursor"],
			["from=soon", "query.from"],
		]) {
			const res = await api("GET", `/audit?${query}`);
			expect(res.status, query).toBe(400);
			expect((await res.json<Problem>()).errors?.map((e) => e.field)).toContain(field);
		}
	});
});

describe("OpenAPI", () => {
	it("documents every read route with its parameters and responses", async () => {
		const doc = await (await api("GET", "/openapi.json", { token: null })).json<{
			paths: Record<
				string,
				Record<
					string,
					{
						security?: unknown[];
						parameters?: { name: string; in: string }[];
						responses: Record<string, { content?: Record<string, unknown> }>;
					}
				>
			>;
		}>();
		const routes: [string, string[]][] = [
			["/requests", ["200", "400", "401"]],
			["/requests/{id}", ["200", "400", "401", "404"]],
			["/requests/{id}/attachments/{attachmentId}", ["200", "400", "401", "404"]],
			["/requests/{id}/messages", ["200", "400", "401", "404"]],
			["/audit", ["200", "400", "401", "403"]],
		];
		for (const [path, statuses] of routes) {
			const get = doc.paths[path]?.get;
			expect(get, path).toBeDefined();
			expect(get?.security, path).toEqual([{ bearer: [] }]);
			expect(Object.keys(get?.responses ?? {}).sort(), path).toEqual(statuses);
		}
		const listParams = doc.paths["/requests"]?.get?.parameters?.map((p) => p.name);
		expect(listParams).toEqual(
			expect.arrayContaining([
				"status",
				"service",
				"kelurahan",
				"from",
				"to",
				"q",
				"limit",
				"cursor",
			]),
		);
		const file = doc.paths["/requests/{id}/attachments/{attachmentId}"]?.get;
		expect(Object.keys(file?.responses["200"]?.content ?? {}).sort()).toEqual([
			"application/pdf",
			"image/jpeg",
			"image/png",
		]);
	});
});
