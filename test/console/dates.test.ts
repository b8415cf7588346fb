import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fileComplaint } from "../../src/requests/complaints";
import { submitRequest } from "../../src/requests/submit";
import { page, signIn } from "../helpers/console";
import { newRequest } from "../helpers/requests";
import { createStaff } from "../helpers/staff";
import { PHONE_NUMBER_ID } from "../helpers/webhook";

/**
 * Staff read dates in words in their language, short in a table ("Jum 14 Agu 2026") and long on
 * a detail page ("Jumat, 14 Agustus 2026"), each in a `<time datetime>` that keeps the ISO value;
 * times are the office's (Asia/Jakarta in wrangler.toml). Fixed dates in the past, so both the
 * request and the complaint are overdue whenever this runs.
 */
const AREA = "16.74.03.1001";
// Friday 31 July 2026, 09:05 WIB.
const FILED_AT = Date.parse("2026-07-31T02:05:00Z");
const DUE = "2026-08-14";
const QUEUE = "2026-08-03";
const EN = "console_lang=en";

let officer = "";
let request = { id: "", ticket: "" };
let complaint = { id: "", ticket: "" };
beforeAll(async () => {
	officer = await signIn((await createStaff("officer")).token);
	const filing = newRequest("legalisir", FILED_AT, {
		residentName: "Tanggal Warga",
		areaCode: AREA,
	});
	const { id } = filing;
	const { ticket } = await submitRequest(env.DB, "PBM", filing);
	await env.DB.prepare("UPDATE requests SET due_date = ?, queue_date = ? WHERE id = ?")
		.bind(DUE, QUEUE, id)
		.run();
	request = { id, ticket };
	const complaintId = crypto.randomUUID();
	const filed = await fileComplaint(env.DB, {
		id: complaintId,
		officeCode: "PBM",
		timeZone: "Asia/Jakarta",
		conversation: `${PHONE_NUMBER_ID}:6281195500001`,
		businessId: PHONE_NUMBER_ID,
		residentId: "6281195500001",
		body: "Tanggal di konsol",
		at: FILED_AT,
		dueDate: DUE,
	});
	complaint = { id: complaintId, ticket: filed.ticket };
});

/** The table row (`<tr ...>...`) holding `ticket`. */
function rowOf(html: string, ticket: string): string {
	return html.split("<tr").find((tr) => tr.includes(ticket)) ?? "";
}

/** The page at `path` in the member's language (Indonesian unless the cookie says English). */
async function read(path: string, lang: "id" | "en" = "id"): Promise<string> {
	const res = await page(path, lang === "en" ? `${officer}; ${EN}` : officer);
	expect(res.status).toBe(200);
	return res.text();
}

describe("dates in the console", () => {
	it("shows a request's due date and filing time in words in the queue, still marked late", async () => {
		const id = rowOf(await read("/console"), request.ticket);
		expect(id).toContain('class="late"');
		expect(id).toContain('<time datetime="2026-08-14">Jum 14 Agu 2026</time> (terlambat)');
		expect(id).toContain('<time datetime="2026-07-31T09:05:00+07:00">Jum 31 Jul 2026 09.05</time>');
		expect(id).not.toContain(">2026-08-14<");
		const en = rowOf(await read("/console", "en"), request.ticket);
		expect(en).toContain('<time datetime="2026-08-14">Fri 14 Aug 2026</time> (late)');
		expect(en).toContain('<time datetime="2026-07-31T09:05:00+07:00">Fri 31 Jul 2026 09:05</time>');
	});

	it("writes the request's dates out in full on its page", async () => {
		const id = await read(`/console/requests/${request.id}`);
		expect(id).toContain('<time datetime="2026-08-14">Jumat, 14 Agustus 2026</time>');
		expect(id).toContain('<time datetime="2026-08-03">Senin, 3 Agustus 2026</time>');
		expect(id).toContain(
			'<time datetime="2026-07-31T09:05:00+07:00">Jumat, 31 Juli 2026 pukul 09.05 WIB</time>',
		);
		// The history's lines are many: each in the short form.
		expect(id).toMatch(
			/<time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4} \d\d\.\d\d<\/time>: /,
		);
		const en = await read(`/console/requests/${request.id}`, "en");
		expect(en).toContain('<time datetime="2026-08-14">Friday, 14 August 2026</time>');
		expect(en).toContain('<time datetime="2026-08-03">Monday, 3 August 2026</time>');
		expect(en).toContain(
			'<time datetime="2026-07-31T09:05:00+07:00">Friday, 31 July 2026 at 09:05 WIB</time>',
		);
	});

	it("shows a complaint's answer-by date in words, overdue marked, in the list and on its page", async () => {
		const list = rowOf(await read("/console/complaints"), complaint.ticket);
		expect(list).toContain('class="overdue"');
		expect(list).toContain(
			'<span class="late"><time datetime="2026-08-14">Jum 14 Agu 2026</time> (Lewat batas waktu)</span>',
		);
		const enList = rowOf(await read("/console/complaints", "en"), complaint.ticket);
		expect(enList).toContain('<time datetime="2026-08-14">Fri 14 Aug 2026</time> (Overdue)');
		const id = await read(`/console/complaints/${complaint.id}`);
		expect(id).toContain(
			'<time datetime="2026-08-14">Jumat, 14 Agustus 2026</time> (Lewat batas waktu)',
		);
		expect(id).toContain("Jumat, 31 Juli 2026 pukul 09.05 WIB</time>");
		const en = await read(`/console/complaints/${complaint.id}`, "en");
		expect(en).toContain('<time datetime="2026-08-14">Friday, 14 August 2026</time> (Overdue)');
		expect(en).toContain("Friday, 31 July 2026 at 09:05 WIB</time>");
	});

	it("names the days of a report grouped by day", async () => {
		const path = "/console/reports?from=2026-07-01&to=2026-08-31&groupBy=day";
		expect(await read(path)).toContain(
			'<th scope="row"><time datetime="2026-07-31">Jum 31 Jul 2026</time></th>',
		);
		expect(await read(path, "en")).toContain(
			'<th scope="row"><time datetime="2026-07-31">Fri 31 Jul 2026</time></th>',
		);
	});
});
