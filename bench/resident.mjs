/** Simulated residents: the Legalisir dialogue step by step, each step awaiting its reply. */
import { jsonOf, request } from "./http.mjs";
import { cfg, NIK, sleep, TICKET } from "./settings.mjs";
import { bench } from "./state.mjs";
import { messageWebhook, pastSeconds, pdfDocument, text } from "./webhooks.mjs";

/** A simulated resident driving the dialogue through signed webhooks, awaiting each reply. */
export class Resident {
	constructor(id) {
		this.id = id;
		this.cursor = 0;
		this.lastTimestamp = 0;
		this.messageIds = [];
		this.steps = [];
		this.webhookPosts = 0;
		this.webhookErrors = 0;
	}

	/**
	 * Sends one message and waits for the bot's message matching `expect` (messages before it are
	 * consumed). Records the time to the first reply and to the expected one.
	 */
	async say(label, message, expect, { agent, until, timeoutMs = cfg.replyTimeout * 1000 }) {
		this.lastTimestamp = Math.max(this.lastTimestamp, pastSeconds());
		const hook = messageWebhook(this.id, message, this.lastTimestamp);
		this.messageIds.push(hook.id);
		const t0 = Date.now();
		let res;
		for (let attempt = 1; attempt <= 3; attempt++) {
			this.webhookPosts++;
			res = await request({
				method: "POST",
				path: "/webhooks/whatsapp",
				headers: hook.headers,
				body: hook.body,
				agent,
			});
			if (res.status === 200) break;
			this.webhookErrors++;
			await sleep(1000); // Meta redelivers what was not answered 200
		}
		if (res.status !== 200) throw new Error(`${label}: webhook answered ${res.status}`);
		bench.acceptedMessages += jsonOf(res)?.received ?? 0;
		const reply = await this.awaitReply(expect, t0, Math.min(timeoutMs, until - Date.now()));
		if (reply === null) throw new Error(`${label}: no matching reply in time`);
		this.steps.push({
			label,
			firstMs: reply.first.at - t0,
			replyMs: reply.match.at - t0,
		});
		return reply.match;
	}

	/**
	 * The first message sent at or after `since` (from the cursor on) that matches, waiting for it
	 * up to `timeoutMs`; with the first message sent since then.
	 */
	awaitReply(expect, since, timeoutMs) {
		const scan = () => {
			const all = bench.fake.sentTo(this.id);
			let first;
			for (let i = this.cursor; i < all.length; i++) {
				if (all[i].at < since) continue;
				first ??= all[i];
				if (expect(all[i])) {
					this.cursor = i + 1;
					return { first, match: all[i] };
				}
			}
			return null;
		};
		const now = scan();
		if (now !== null) return Promise.resolve(now);
		if (timeoutMs <= 0) return Promise.resolve(null);
		return new Promise((resolve) => {
			const event = `send:${this.id}`;
			const onSend = () => {
				const found = scan();
				if (found !== null) finish(found);
			};
			const timer = setTimeout(() => finish(null), timeoutMs);
			const finish = (value) => {
				clearTimeout(timer);
				bench.fake.events.off(event, onSend);
				resolve(value);
			};
			bench.fake.events.on(event, onSend);
		});
	}
}

export function textOf(message) {
	const body = message.body;
	return (
		body.text?.body ??
		body.interactive?.body?.text ??
		body.document?.caption ??
		body.image?.caption ??
		body.template?.name ??
		""
	);
}

export const says = (pattern) => (message) =>
	typeof pattern === "string" ? textOf(message).includes(pattern) : pattern.test(textOf(message));

/** The bot's answer to a file: stored (✅), or refused, or failed (asks to send it again). */
export const FILE_ANSWER = /✅|terlalu besar|tidak bisa kami terima|gagal kami simpan/;

/** Sends a PDF and waits for the bot's answer to it; throws unless it was stored. */
export async function sendFile(r, label, file, name, options) {
	const answer = await r.say(label, pdfDocument(file, name), says(FILE_ANSWER), options);
	if (!textOf(answer).includes("✅")) {
		throw new Error(`${label}: refused: ${textOf(answer).slice(0, 120)}`);
	}
}

/** Greets, picks Legalisir (8), gives NIK, name, Cambai (3) and its first area (1). */
export async function fillDetails(r, options) {
	await r.say("halo", text("Halo"), says("Layanan apa"), options);
	await r.say("service 8", text("8"), says("*NIK*"), options);
	await r.say("nik", text(NIK), says("nama lengkap"), options);
	await r.say("name", text("Budi Santoso"), says("*kecamatan*"), options);
	await r.say("kecamatan 3", text("3"), says("Kelurahan/desa"), options);
	await r.say("area 1", text("1"), says("Dokumen 1/1"), options);
}

export async function finish(r, options) {
	await r.say("lanjut", text("lanjut"), says("Sudah benar?"), options);
	const done = await r.say("kirim", text("kirim"), says(TICKET), options);
	return TICKET.exec(textOf(done))?.[0] ?? null;
}

/** One resident's whole Legalisir request: details, three PDFs, lanjut, kirim; its ticket. */
export async function fileLegalisir(r, options) {
	await fillDetails(r, options);
	for (const [j, file] of r.files.entries()) {
		await sendFile(r, `file ${j + 1}`, file, `scan-${j + 1}.pdf`, options);
	}
	return finish(r, options);
}
