import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { page, signIn } from "../helpers/console";
import { fileRequest } from "../helpers/reports";
import { ADMIN, api } from "../helpers/staff";

/**
 * Admins read what the service recorded in words, in their language: when Meta's restriction on
 * the office's account ends (Meta sends epoch seconds) and what Meta reported, the report's
 * channels, and an audit row's
 * action in words and its detail as key: value lines with its instants, dates, statuses, roles and
 * job kinds worded; who did it by name. Times are the office's (Asia/Jakarta in wrangler.toml).
 */
const EN = "console_lang=en";
// Saturday 5 December 2026, 18:10:34 WIB, as Meta writes it: seconds.
const EXPIRATION = 1796469034;
// Friday 4 December 2026, 08:05 WIB.
const EXPIRES_AT = Date.parse("2026-12-04T01:05:00Z");
// 1 to 31 March 2026 in WIB, as the audit records a period: epoch ms, `to` exclusive.
const FROM = Date.parse("2026-02-28T17:00:00Z");
const TO = Date.parse("2026-03-31T17:00:00Z");

let admin = "";
let rina = { id: "", token: "" };
beforeAll(async () => {
	admin = await signIn(ADMIN);
	const res = await api("POST", "/staff", { json: { name: "Rina Audit", role: "officer" } });
	rina = await res.json<{ id: string; token: string }>();
});

/** The page at `path` as the admin, in Indonesian unless `lang` says English. */
async function read(path: string, lang: "id" | "en" = "id"): Promise<string> {
	const res = await page(path, lang === "en" ? `${admin}; ${EN}` : admin);
	expect(res.status).toBe(200);
	return res.text();
}

/** The table row (`<tr ...>...`) holding `text`. */
function rowOf(html: string, text: string): string {
	return html.split("<tr").find((tr) => tr.includes(text)) ?? "";
}

describe("codes and times in words on the admin pages", () => {
	it("shows when Meta's restriction on the account ends as a date and time, not a Unix timestamp", async () => {
		await env.DB.prepare(
			`INSERT INTO account_alerts (fingerprint, received_at, account_id, field, event, detail)
			 VALUES ('words-restriction', ?, '102290129340398', 'account_update', 'ACCOUNT_RESTRICTION', ?)`,
		)
			.bind(
				Date.now(),
				JSON.stringify({
					restriction_info: [
						{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: EXPIRATION },
					],
					ban_info: { waba_ban_state: ["SCHEDULE_FOR_DISABLE"], waba_ban_date: "2026-12-01" },
				}),
			)
			.run();
		const id = rowOf(await read("/console/account-alerts"), "ACCOUNT_RESTRICTION");
		expect(id).toContain(
			'<dd>restriction_type: RESTRICTED_BIZ_INITIATED_MESSAGING, expiration: <time datetime="2026-12-05T18:10:34+07:00">Sab 5 Des 2026 18.10</time></dd>',
		);
		expect(id).toContain(
			'<dd>waba_ban_state: SCHEDULE_FOR_DISABLE, waba_ban_date: <time datetime="2026-12-01">Sel 1 Des 2026</time></dd>',
		);
		expect(id).not.toContain(String(EXPIRATION));
		expect(id).toContain('<td data-label="Rincian" class="wide"><dl class="facts detail-list">');
		// Meta's event in words, its code beside as Meta's own pages name it.
		expect(id).toContain(
			'<span>akun dibatasi <code class="muted">ACCOUNT_RESTRICTION</code></span></td>',
		);
		const en = rowOf(await read("/console/account-alerts", "en"), "ACCOUNT_RESTRICTION");
		expect(en).toContain(
			'expiration: <time datetime="2026-12-05T18:10:34+07:00">Sat 5 Dec 2026 18:10</time>',
		);
		expect(en).toContain('waba_ban_date: <time datetime="2026-12-01">Tue 1 Dec 2026</time>');
		expect(en).toContain(
			'<span>account restricted <code class="muted">ACCOUNT_RESTRICTION</code></span></td>',
		);
	});

	it("names the report's channels in words, the code beside where it differs", async () => {
		for (const channel of ["whatsapp", "kelurahan"] as const) {
			await fileRequest({
				service: "legalisir",
				area: "16.74.03.1001",
				channel,
				created: "2026-03-10T09:00+07:00",
				queue: "2026-03-10",
				due: "2026-03-12",
				status: "submitted",
			});
		}
		const path = "/console/reports?from=2026-03-01&to=2026-03-31&groupBy=channel";
		const id = await read(path);
		expect(id).toContain('<th scope="row">WhatsApp</th>');
		expect(id).toContain(
			'<th scope="row"><span>diajukan di kelurahan <code class="muted">kelurahan</code></span></th>',
		);
		expect(id).not.toContain('<th scope="row">whatsapp</th>');
		const en = await read(path, "en");
		expect(en).toContain('<th scope="row">WhatsApp</th>');
		expect(en).toContain(
			'<th scope="row"><span>filed at the kelurahan <code class="muted">kelurahan</code></span></th>',
		);
	});

	it("lists an audit row's detail as key: value in words, every key of it, and who by name", async () => {
		const requestId = crypto.randomUUID();
		const rows: [string, Record<string, unknown>][] = [
			["staff.create", { staffId: rina.id, role: "officer", expiresAt: EXPIRES_AT }],
			["request.transition", { from: "in_review", to: "processing" }],
			["reports.export", { from: FROM, to: TO, delimiter: ";", personal: false }],
			["dead_letter.retry", { deadLetterId: "dl-words", kind: "notice" }],
			["calendar.update", { added: ["2026-12-24", "2026-12-25"], removed: [], replanned: 2 }],
		];
		await env.DB.batch(
			rows.map(([action, detail], i) =>
				env.DB.prepare(
					"INSERT INTO audit_log (id, at, actor, action, request_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
				).bind(
					crypto.randomUUID(),
					Date.now() - i,
					`staff:${rina.id}`,
					action,
					requestId,
					JSON.stringify(detail),
				),
			),
		);
		const id = await read(`/console/audit?request=${requestId}`);
		const en = await read(`/console/audit?request=${requestId}`, "en");
		expect(id).not.toContain("{&quot;");
		const staff = rowOf(id, "staff.create");
		// On a phone each row is a card (the table's "stack"), each cell under its column's name.
		expect(id).toContain('<table class="stack">');
		expect(staff).toContain('<td data-label="Rincian" class="wide"><dl class="facts detail-list">');
		expect(staff).toContain(`<dt>staffId</dt><dd>${rina.id}</dd>`);
		// Who, by name, linked to their rows as the log records them.
		expect(staff).toContain(
			`<a href="/console/audit?actor=staff%3A${rina.id}" title="staff:${rina.id}">Rina Audit</a>`,
		);
		expect(staff).toContain(
			'<dt>role</dt><dd><span>petugas kantor <code class="muted">officer</code></span></dd>',
		);
		expect(staff).toContain(
			'<dt>expiresAt</dt><dd><time datetime="2026-12-04T08:05:00+07:00">Jum 4 Des 2026 08.05</time></dd>',
		);
		expect(rowOf(en, "staff.create")).toContain(
			'<dt>role</dt><dd><span>office staff <code class="muted">officer</code></span></dd>',
		);
		expect(rowOf(en, "staff.create")).toContain("Fri 4 Dec 2026 08:05</time>");
		const moved = rowOf(id, "request.transition");
		// What was done in words, the code beside for the page's filter.
		expect(moved).toContain(
			'<span>mengubah status <code class="muted">request.transition</code></span></td>',
		);
		expect(rowOf(en, "request.transition")).toContain(
			'<span>changed the status <code class="muted">request.transition</code></span></td>',
		);
		expect(moved).toContain(
			'<dt>from</dt><dd><span>Sedang diperiksa <code class="muted">in_review</code></span></dd>',
		);
		expect(moved).toContain(
			'<dt>to</dt><dd><span>Sedang diproses <code class="muted">processing</code></span></dd>',
		);
		const exported = rowOf(id, "reports.export");
		expect(exported).toContain(
			'<dt>from</dt><dd><time datetime="2026-03-01T00:00:00+07:00">Min 1 Mar 2026 00.00</time></dd>',
		);
		expect(exported).toContain("<dt>delimiter</dt><dd>;</dd>");
		expect(exported).toContain("<dt>personal</dt><dd>tidak</dd>");
		expect(rowOf(en, "reports.export")).toContain("<dt>personal</dt><dd>no</dd>");
		expect(rowOf(id, "dead_letter.retry")).toContain(
			'<dt>kind</dt><dd><span>menyampaikan pemberitahuan <code class="muted">notice</code></span></dd>',
		);
		expect(rowOf(en, "dead_letter.retry")).toContain(
			'<dt>kind</dt><dd><span>telling a notice <code class="muted">notice</code></span></dd>',
		);
		const calendar = rowOf(id, "calendar.update");
		expect(calendar).toContain(
			'<dt>added</dt><dd><time datetime="2026-12-24">Kam 24 Des 2026</time>, <time datetime="2026-12-25">Jum 25 Des 2026</time></dd>',
		);
		expect(calendar).toContain("<dt>removed</dt><dd>—</dd>");
		expect(calendar).toContain("<dt>replanned</dt><dd>2</dd>");
	});
});
