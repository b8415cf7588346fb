/**
 * The staff console in the browser (issue 12), run by e2e/chat.e2e.mjs once the chat simulator
 * has filed a request: sign in, find the request in the queue, open its PDF and its photo, ask
 * for a revision (the resident resends in the chat), move it on, upload the finished PDF, complete
 * it, sign out. Every screen is checked with axe-core (no serious or critical violation) and
 * photographed at 1280x800 and 390x844 into e2e/artifacts/console-<screen>-<width>.png.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";

const DESK = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * Meta restricts the office's account: an `account_update` webhook, signed with the local app
 * secret (.dev.vars.example) as Meta signs it, so that the alerts page has one to show.
 * @param {{ origin: string }} t
 */
async function accountRestricted(t) {
	const vars = readFileSync(path.join(import.meta.dirname, "..", ".dev.vars.example"), "utf8");
	const secret = /^WHATSAPP_APP_SECRET=(.*)$/m.exec(vars)?.[1] ?? "";
	const body = JSON.stringify({
		object: "whatsapp_business_account",
		entry: [
			{
				id: "102290129340398",
				time: Math.floor(Date.now() / 1000),
				changes: [
					{
						field: "account_update",
						value: {
							event: "ACCOUNT_RESTRICTION",
							restriction_info: [
								{
									restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING",
									expiration: Math.floor(Date.now() / 1000) + 86_400,
								},
							],
						},
					},
				],
			},
		],
	});
	const signature = createHmac("sha256", secret).update(body).digest("hex");
	const res = await fetch(`${t.origin}/webhooks/whatsapp`, {
		method: "POST",
		headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
		body,
	});
	if (res.status !== 200) throw new Error(`account_update webhook: ${res.status}`);
}

/**
 * Checks the page with axe and saves it at both widths.
 * @param {import("playwright-core").Page} page
 */
async function screen(page, name, artifacts, log) {
	const { violations } = await new AxeBuilder({ page }).analyze();
	const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
	if (bad.length > 0) {
		const lines = bad.map(
			(v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`,
		);
		throw new Error(`axe on console ${name}:\n${lines.join("\n")}`);
	}
	for (const size of [DESK, PHONE]) {
		await page.setViewportSize(size);
		await page.screenshot({
			path: path.join(artifacts, `console-${name}-${size.width}.png`),
			fullPage: true,
		});
	}
	await page.setViewportSize(DESK);
	log(`console ${name}: axe clean (${violations.length} minor), screenshots at both widths`);
}

/** Submits the form holding `locator` and waits for the page it answers with. */
async function submit(page, button) {
	await Promise.all([page.waitForNavigation(), button.click()]);
}

async function statusText(page) {
	return (await page.locator("[data-testid=status]").textContent())?.trim();
}

/** Creates a kelurahan operator of `area` through the staff API; returns the token. */
async function newOperator(t, area) {
	const res = await fetch(`${t.origin}/api/v1/staff`, {
		method: "POST",
		headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
		body: JSON.stringify({ name: `Operator ${area}`, role: "kelurahan", kelurahan: area }),
	});
	if (res.status !== 201) throw new Error(`creating an operator answered ${res.status}`);
	return (await res.json()).token;
}

/**
 * The operator files a request for a resident on their phone: the form (their one area chosen
 * already), two photos uploaded with progress by the page's script, submit, the ticket.
 * @param {import("playwright-core").Page} page
 */
async function fileForResident(t, page, area) {
	const errors = [];
	page.on("pageerror", (error) => errors.push(error.message));
	await submit(page, page.getByRole("link", { name: "Ajukan untuk warga" }));
	if ((await page.locator("#area").inputValue()) !== area)
		throw new Error("the operator's area is not chosen already");
	if ((await page.locator("#area option").count()) !== 1)
		throw new Error("the operator is offered other areas");
	await page.fill("#nik", "1674015203900001");
	await page.fill("#name", "Mbah Sarinah");
	await page.locator("#choice").selectOption("ktp_el/rusak");
	await page.check("input[name=consent]");
	await screen(page, "file-form", t.artifacts, t.log);
	await page.setViewportSize(PHONE);
	await submit(page, page.getByRole("button", { name: "Lanjut ke dokumen" }));
	if (page.url().includes("1674015203900001")) throw new Error("the NIK is in the address");

	for (const [doc, width, height] of [
		["kk", 240, 160],
		["ktp_rusak", 200, 150],
	]) {
		await page.setInputFiles(`[data-testid=file-${doc}]`, {
			name: `${doc}.png`,
			mimeType: "image/png",
			buffer: t.makePng(width, height),
		});
		const item = page.locator(`li.doc[data-doc=${doc}]`);
		await item.locator("output", { hasText: "100%" }).waitFor();
		await item.locator("ul.received li", { hasText: `${doc}.png` }).waitFor();
	}
	const send = page.getByRole("button", { name: "Kirim permohonan" });
	if (await send.isDisabled()) throw new Error("submit stays disabled after both photos");
	await screen(page, "file-draft", t.artifacts, t.log);
	await page.setViewportSize(PHONE);
	await submit(page, send);
	const ticket = (await page.locator("[data-testid=ticket]").textContent())?.trim() ?? "";
	if (!/^[A-Z]+-\d{6}-\d{4}$/.test(ticket)) throw new Error(`no ticket shown: ${ticket}`);
	await screen(page, "file-ticket", t.artifacts, t.log);
	if (errors.length > 0) throw new Error(`the filing script failed: ${errors.join("; ")}`);
	t.log(`console: at 390x844 the operator filed for a resident with two photos: ${ticket}`);
}

/**
 * Kelurahan operators sign in on a phone (390x844): the one of the request's area finds it, the
 * one of another area does not (the API's scoping), and neither sees the admin screens.
 */
async function operatorAtPhoneWidth(t) {
	const detail = await fetch(`${t.origin}/api/v1/requests/${t.ticket}`, {
		headers: { authorization: `Bearer ${t.token}` },
	});
	const area = (await detail.json()).kelurahan.code;
	const other = area === "16.74.02.1003" ? "16.74.03.1001" : "16.74.02.1003";
	for (const [code, sees] of [
		[area, true],
		[other, false],
	]) {
		const context = await t.browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
		const page = await context.newPage();
		await page.goto(`${t.origin}/console/sign-in`);
		await page.fill("[data-testid=token]", await newOperator(t, code));
		await submit(page, page.getByRole("button", { name: "Masuk" }));
		const html = await page.content();
		if (html.includes(t.ticket) !== sees) {
			throw new Error(`operator of ${code} ${sees ? "does not see" : "sees"} ${t.ticket}`);
		}
		if (html.includes("/console/staff"))
			throw new Error("an operator is offered the admin screens");
		// The area filter offers the operator's own area only (and "all of mine").
		const areas = await page
			.locator("[data-testid=area-filter] option")
			.evaluateAll((options) => options.map((o) => o.getAttribute("value")));
		if (JSON.stringify(areas) !== JSON.stringify(["", code])) {
			throw new Error(`operator of ${code} is offered the areas ${areas.join(", ")}`);
		}
		if (sees) {
			await page.screenshot({
				path: path.join(t.artifacts, "console-operator-queue-390.png"),
				fullPage: true,
			});
			await page.getByRole("link", { name: t.ticket }).click();
			await page.waitForSelector("[data-testid=status]");
			if ((await page.content()).includes("/transition")) {
				throw new Error("an operator is offered status changes");
			}
			await page.screenshot({
				path: path.join(t.artifacts, "console-operator-request-390.png"),
				fullPage: true,
			});
			await fileForResident(t, page, code);
		}
		await context.close();
	}
	t.log(
		"console: at 390x844 a kelurahan operator sees their area's request (and only their area in the filter), another area's does not",
	);
}

/**
 * @param {object} t
 * @param {import("playwright-core").Browser} t.browser
 * @param {string} t.origin
 * @param {string} t.token the admin token to sign in with
 * @param {string} t.ticket the ticket the chat simulator just filed
 * @param {(pdfPath: string) => Promise<void>} t.resendRevision the resident resends a document
 * @param {string} t.resultPdfPath the finished document to upload
 * @param {(width: number, height: number) => Buffer} t.makePng a photo for the operator to file
 */
export async function consoleTour(t) {
	const { browser, origin, artifacts, log } = t;
	const context = await browser.newContext({ viewport: DESK });
	const page = await context.newPage();
	const errors = [];
	page.on("pageerror", (error) => errors.push(error.message));
	try {
		const start = await page.goto(`${origin}/console`);
		if (!page.url().endsWith("/console/sign-in"))
			throw new Error(`not sent to sign in: ${page.url()}`);
		const csp = start?.headers()["content-security-policy"] ?? "";
		if (!csp.includes("script-src 'self'")) throw new Error(`no strict CSP: ${csp}`);
		await screen(page, "sign-in", artifacts, log);

		// A wrong token first: refused, still on the sign-in page.
		await page.fill("[data-testid=token]", "dks_wrong_token_for_the_e2e_test");
		await submit(page, page.getByRole("button", { name: "Masuk" }));
		if (!(await page.content()).includes("Token tidak dikenali"))
			throw new Error("wrong token not refused");

		await page.fill("[data-testid=token]", t.token);
		await submit(page, page.getByRole("button", { name: "Masuk" }));
		const cookies = await context.cookies();
		const session = cookies.find((c) => c.name === "__Host-console_session");
		if (!session?.httpOnly || !session.secure || session.sameSite !== "Strict") {
			throw new Error(`session cookie is not HttpOnly+Secure+Strict: ${JSON.stringify(session)}`);
		}
		if ((await page.content()).includes(t.token)) throw new Error("the token is in the page");
		log("console: signed in (HttpOnly, Secure, SameSite=Strict session cookie)");

		const row = page.getByRole("link", { name: t.ticket });
		await row.waitFor();
		await screen(page, "queue", artifacts, log);
		await submit(page, row);
		if ((await statusText(page)) !== "Diajukan") throw new Error("the request is not submitted");

		// Its files, as the browser shows them: the photo inline, the PDF for the PDF viewer.
		await page.waitForFunction(() => {
			const img = document.querySelector(".files img");
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 240;
		});
		const pdfHref = await page.locator("[data-testid=pdf-link]").first().getAttribute("href");
		const pdf = await page.request.get(new URL(pdfHref, origin).href);
		if (pdf.status() !== 200 || pdf.headers()["content-type"] !== "application/pdf") {
			throw new Error(`the PDF answered ${pdf.status()} ${pdf.headers()["content-type"]}`);
		}
		if (!pdf.headers()["content-disposition"]?.startsWith("inline"))
			throw new Error("PDF not inline");
		const viewer = await context.newPage();
		await viewer.goto(new URL(pdfHref, origin).href).catch(() => undefined);
		await viewer.close();
		const imgSrc = await page.locator(".files img").first().getAttribute("src");
		const photo = await page.request.get(new URL(imgSrc, origin).href);
		if (photo.status() !== 200 || photo.headers()["content-type"] !== "image/png") {
			throw new Error(`the photo answered ${photo.status()} ${photo.headers()["content-type"]}`);
		}
		log("console: the PDF and the photo open inline (through the audited file route)");
		await screen(page, "request", artifacts, log);

		// A revision: tick the document, give the reason; the resident resends it in the chat.
		await page.locator("input[name=documents][value=dokumen_legalisir]").check();
		await page.fill("[data-testid=revision-reason]", "Scan kurang jelas, mohon kirim ulang");
		await submit(page, page.getByRole("button", { name: "Minta perbaikan" }));
		if ((await statusText(page)) !== "Perlu perbaikan") throw new Error("no revision");
		log("console: revision asked for the ticked document");
		await t.resendRevision();
		for (let i = 0; i < 40 && (await statusText(page)) !== "Diajukan"; i++) {
			await page.waitForTimeout(500);
			await page.reload();
		}
		if ((await statusText(page)) !== "Diajukan") throw new Error("the resend did not arrive");
		log("console: the resident's resend arrived (back to submitted)");

		// A colleague moves the request meanwhile: this page's move meets the API's 409 (the move is
		// no longer allowed), and the page is drawn again, fresh, with the problem above the form
		// and the typed reason kept.
		const colleague = await context.newPage();
		await colleague.goto(page.url().split("?")[0]);
		await colleague.locator("[data-testid=move-to]").selectOption("in_review");
		await submit(colleague, colleague.getByRole("button", { name: "Simpan status" }));
		await colleague.close();
		const move = page.locator("section[aria-labelledby=move]");
		await move.locator("input[name=reason]").fill("Berkas lengkap, mulai diperiksa");
		await page.locator("[data-testid=move-to]").selectOption("in_review");
		await submit(page, page.getByRole("button", { name: "Simpan status" }));
		await move.locator(".problem", { hasText: "permohonan sudah berpindah" }).waitFor();
		if (
			(await move.locator("input[name=reason]").inputValue()) !== "Berkas lengkap, mulai diperiksa"
		)
			throw new Error("the typed reason was lost on the 409");
		if ((await statusText(page)) !== "Sedang diperiksa") throw new Error("not the fresh request");
		await screen(page, "request-conflict", artifacts, log);
		log("console: a 409 drew the request again with the problem above the form, the reason kept");

		for (const [to, words] of [["processing", "Sedang diproses"]]) {
			await page.locator("[data-testid=move-to]").selectOption(to);
			await submit(page, page.getByRole("button", { name: "Simpan status" }));
			if ((await statusText(page)) !== words) throw new Error(`not moved to ${to}`);
		}
		await page.setInputFiles("[data-testid=result-file]", t.resultPdfPath);
		await submit(page, page.getByRole("button", { name: "Unggah" }));
		await page.locator("[data-testid=move-to]").selectOption("completed");
		await submit(page, page.getByRole("button", { name: "Simpan status" }));
		if ((await statusText(page)) !== "Selesai") throw new Error("not completed");
		log("console: moved to processing, finished PDF uploaded, completed");
		await screen(page, "request-completed", artifacts, log);
		// The notice after an action that told nobody over WhatsApp (a request filed at the
		// kelurahan without a number): the same screen, as the action's redirect draws it.
		await page.goto(`${page.url().split("?")[0]}?done=untold`);
		await page.locator(".notice", { hasText: "beri tahu warga sendiri" }).waitFor();
		await screen(page, "request-untold", artifacts, log);

		await accountRestricted(t);
		for (const [name, href] of [
			["staff", "/console/staff"],
			["audit", "/console/audit"],
			["dead-letters", "/console/dead-letters"],
			["account-alerts", "/console/account-alerts"],
			["reports", "/console/reports"],
			["reports-channel", "/console/reports?groupBy=channel"],
		]) {
			await page.goto(`${origin}${href}`);
			await screen(page, name, artifacts, log);
		}
		// An address that does not exist: the console's own page, in the staff's language.
		const missing = await page.goto(`${origin}/console/tidak-ada`);
		if (missing?.status() !== 404 || !(await page.content()).includes("Tidak ada: alamat"))
			throw new Error("no console 404 page");
		await screen(page, "not-found", artifacts, log);
		await page.goto(`${origin}/console/lang/en?back=/console`);
		await screen(page, "queue-en", artifacts, log);
		await page.goto(`${origin}/console/lang/id?back=/console`);

		await submit(page, page.getByRole("button", { name: "Keluar" }));
		if (!page.url().endsWith("/console/sign-in"))
			throw new Error("sign out did not end the session");
		await page.goto(`${origin}/console`);
		if (!page.url().endsWith("/console/sign-in"))
			throw new Error("the session outlived signing out");
		log("console: signed out; the console asks for a token again");
		if (errors.length > 0) throw new Error(`the console's script failed: ${errors.join("; ")}`);
		await operatorAtPhoneWidth(t);
	} catch (error) {
		await page
			.screenshot({ path: path.join(artifacts, "console-failure.png"), fullPage: true })
			.catch(() => undefined);
		throw error;
	} finally {
		await context.close();
	}
}

/**
 * Complaints, chats with staff and SKM (issue 12): the admin answers the complaint the resident
 * just filed (its photo shown inline), writes to the resident waiting for a person and hands the
 * chat back to the bot; each screen checked with axe and photographed at both widths.
 * @param {object} t
 * @param {import("playwright-core").Browser} t.browser
 * @param {string} t.complaint the complaint ticket the resident was given
 * @param {(pattern: RegExp) => Promise<void>} t.residentReads waits for a bot message in the chat
 */
export async function feedbackTour(t) {
	const { browser, origin, artifacts, log } = t;
	const context = await browser.newContext({ viewport: DESK });
	const page = await context.newPage();
	try {
		await page.goto(`${origin}/console/sign-in`);
		await page.fill("[data-testid=token]", t.token);
		await submit(page, page.getByRole("button", { name: "Masuk" }));
		await submit(page, page.getByRole("link", { name: "Pengaduan", exact: true }));
		const row = page.getByRole("link", { name: t.complaint });
		await row.waitFor();
		await screen(page, "complaints", artifacts, log);
		await submit(page, row);
		await page.waitForFunction(() => {
			const img = document.querySelector(".files img");
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth === 240;
		});
		await screen(page, "complaint", artifacts, log);
		await page.fill("[data-testid=answer]", "Mohon maaf, loket kami tambah mulai besok.");
		await submit(page, page.getByRole("button", { name: "Kirim jawaban" }));
		if ((await page.locator("[data-testid=complaint-status]").textContent()) !== "Dijawab") {
			throw new Error("the complaint is not answered");
		}
		await screen(page, "complaint-answered", artifacts, log);
		await t.residentReads(/loket kami tambah mulai besok/);
		await submit(page, page.getByRole("button", { name: "Tutup pengaduan" }));
		if ((await page.locator("[data-testid=complaint-status]").textContent()) !== "Ditutup") {
			throw new Error("the complaint is not closed");
		}
		log("console: complaint answered (the resident got it) and closed");

		await submit(page, page.getByRole("link", { name: "Obrolan petugas" }));
		const card = page.locator("[data-testid=handoff]", { hasText: "syarat pindah domisili" });
		await card.waitFor();
		await screen(page, "handoffs", artifacts, log);
		await card.getByLabel("Pesan untuk warga").fill("Halo, saya Rina. Syaratnya KK dan KTP.");
		await submit(page, card.getByRole("button", { name: "Kirim", exact: true }));
		await t.residentReads(/Syaratnya KK dan KTP/);
		// The whole conversation: what the resident wrote and what was sent, staff's reply too.
		await submit(
			page,
			page
				.locator("[data-testid=handoff]", { hasText: "syarat pindah domisili" })
				.getByRole("link", { name: "Seluruh percakapan" }),
		);
		const conversation = page.locator("[data-testid=handoff-conversation]");
		await conversation.getByText("Syaratnya KK dan KTP").waitFor();
		await screen(page, "handoff-conversation", artifacts, log);
		await submit(page, page.getByRole("link", { name: "Obrolan petugas" }).last());
		await submit(
			page,
			page
				.locator("[data-testid=handoff]", { hasText: "syarat pindah domisili" })
				.getByRole("button", { name: "Selesai, kembalikan ke bot" }),
		);
		await t.residentReads(/Percakapan dengan petugas selesai/);
		log("console: wrote to the resident waiting for a person, then handed the chat back");

		await submit(page, page.getByRole("link", { name: "SKM" }));
		await page.locator("[data-testid=skm-elements]").waitFor();
		await screen(page, "skm", artifacts, log);
		await page.goto(`${origin}/console/lang/en?back=/console/complaints`);
		await screen(page, "complaints-en", artifacts, log);
		await page.goto(`${origin}/console/lang/id?back=/console`);
	} catch (error) {
		await page
			.screenshot({ path: path.join(artifacts, "console-failure.png"), fullPage: true })
			.catch(() => undefined);
		throw error;
	} finally {
		await context.close();
	}
}
