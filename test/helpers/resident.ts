import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, expect, vi } from "vitest";
import type { DialogueState } from "../../src/conversation/dialogue";
import { FakeGraph, type SentMessage } from "../fake-graph";
import { conversation, envelope, postWebhook } from "./webhook";

let counter = 0;

/** A Meta message object (inside `value.messages[]`), without `from`, `id` and `timestamp`. */
export type WireMessage = { type: string } & Record<string, unknown>;

export const wire = {
	text: (body: string): WireMessage => ({ type: "text", text: { body } }),
	button: (id: string, title: string): WireMessage => ({
		type: "interactive",
		interactive: { type: "button_reply", button_reply: { id, title } },
	}),
	row: (id: string, title: string): WireMessage => ({
		type: "interactive",
		interactive: { type: "list_reply", list_reply: { id, title } },
	}),
	image: (mediaId: string, sha256?: string): WireMessage => ({
		type: "image",
		image: { id: mediaId, mime_type: "image/jpeg", ...(sha256 ? { sha256 } : {}) },
	}),
	document: (
		mediaId: string,
		filename: string,
		mime = "application/pdf",
		sha256?: string,
	): WireMessage => ({
		type: "document",
		document: { id: mediaId, filename, mime_type: mime, ...(sha256 ? { sha256 } : {}) },
	}),
	voice: (mediaId = "999", sha256?: string): WireMessage => ({
		type: "audio",
		audio: {
			id: mediaId,
			mime_type: "audio/ogg; codecs=opus",
			voice: true,
			...(sha256 ? { sha256 } : {}),
		},
	}),
	sticker: (): WireMessage => ({
		type: "sticker",
		sticker: { id: "998", mime_type: "image/webp", animated: false },
	}),
	video: (mediaId = "997", sha256?: string): WireMessage => ({
		type: "video",
		video: { id: mediaId, mime_type: "video/mp4", ...(sha256 ? { sha256 } : {}) },
	}),
	/** A pin (coordinates alone) or, with `place`, a chosen place (name, address, url). */
	location: (place?: { name: string; address: string }): WireMessage => ({
		type: "location",
		location: {
			latitude: -3.43,
			longitude: 104.23,
			...(place ? { ...place, url: "https://maps.google.com/?cid=1" } : {}),
		},
	}),
	contacts: (name = "A", phone?: string): WireMessage => ({
		type: "contacts",
		contacts: [
			{
				name: { formatted_name: name, first_name: name },
				...(phone ? { phones: [{ phone, wa_id: phone.replace(/\D/g, ""), type: "CELL" }] } : {}),
			},
		],
	}),
	reaction: (): WireMessage => ({
		type: "reaction",
		reaction: { message_id: "wamid.X", emoji: "👍" },
	}),
	unsupported: (): WireMessage => ({ type: "unsupported", unsupported: { type: "poll_creation" } }),
	/**
	 * A file Meta could not pass on, as its message error: 131052 (over 100 MB, M-media) or
	 * 131053 (lost on Meta's side); the message carries no media, only its `type` and the error.
	 */
	fileError: (code: 131052 | 131053, type = "unknown"): WireMessage => {
		const [title, details] =
			code === 131052
				? [
						"Media download error",
						"Media file size too big. Max file size we currently support: 100MB. Please communicate with your customer to send a media file that is smaller than 100MB",
					]
				: ["Media upload error", "Unable to download the media sent by the user."];
		return { type, errors: [{ code, title, message: title, error_data: { details } }] };
	},
};

/** A simulated resident: sends webhooks as Meta would and reads what the bot sent back. */
/** A row of the resident's outbox, as tests read it. */
type OutboxRow = {
	seq: number;
	state: string;
	payload: string;
	attempts: number;
	last_error: string | null;
	wamid: string | null;
};

export class Resident {
	private seen = 0;
	/** Ids of every message this resident sent. */
	readonly messageIds: string[] = [];
	private lastSentAt = Math.floor(Date.now() / 1000) - 300;

	constructor(
		readonly id: string,
		readonly graph: FakeGraph,
	) {}

	/** Sets the send time of the next message (epoch seconds); later ones follow it. */
	clockAt(seconds: number): this {
		this.lastSentAt = seconds - 1;
		return this;
	}

	get stub() {
		return conversation(this.id);
	}

	/** The Meta delivery for these messages (fresh ids and increasing timestamps). */
	delivery(messages: WireMessage[]): { body: string; ids: string[] } {
		const ids: string[] = [];
		const wireMessages = messages.map((m) => {
			counter++;
			this.lastSentAt++;
			const id = `wamid.T${this.id}.${counter}`;
			ids.push(id);
			this.messageIds.push(id);
			return { from: this.id, id, timestamp: String(this.lastSentAt), ...m };
		});
		const body = envelope([
			{ contacts: [{ profile: { name: "Warga Uji" }, wa_id: this.id }], messages: wireMessages },
		]);
		return { body, ids };
	}

	/** One delivery per message (fixed ids and timestamps), to replay in any order. */
	deliveryEach(messages: WireMessage[]): string[] {
		return messages.map((message) => this.delivery([message]).body);
	}

	/** Sends messages in one delivery and lets the conversation handle them. */
	async send(...messages: WireMessage[]): Promise<SentMessage[]> {
		const { body } = this.delivery(messages);
		const res = await postWebhook(body);
		expect(res.status).toBe(200);
		await this.settle();
		return this.replies();
	}

	say(text: string): Promise<SentMessage[]> {
		return this.send(wire.text(text));
	}

	/** Taps the row or button of the bot's last interactive message whose title contains `title`. */
	async tap(title: string): Promise<SentMessage[]> {
		const option = this.options().find((o) => o.title.toLowerCase().includes(title.toLowerCase()));
		if (option === undefined) {
			throw new Error(
				`no option "${title}" in ${JSON.stringify(this.options().map((o) => o.title))}`,
			);
		}
		return this.send(
			option.kind === "button"
				? wire.button(option.id, option.title)
				: wire.row(option.id, option.title),
		);
	}

	/** Rows or buttons of the last interactive message sent to this resident. */
	options(): { id: string; title: string; kind: "button" | "row" }[] {
		const last = this.sent()
			.filter((m) => m.type === "interactive")
			.at(-1);
		const interactive = last?.body.interactive as
			| {
					type: string;
					action: {
						buttons?: { reply: { id: string; title: string } }[];
						sections?: { rows: { id: string; title: string }[] }[];
					};
			  }
			| undefined;
		if (!interactive) return [];
		if (interactive.type === "button") {
			return (interactive.action.buttons ?? []).map((b) => ({
				...b.reply,
				kind: "button" as const,
			}));
		}
		return (interactive.action.sections ?? []).flatMap((s) =>
			s.rows.map((r) => ({ id: r.id, title: r.title, kind: "row" as const })),
		);
	}

	/** Everything the bot sent this resident. */
	sent(): SentMessage[] {
		return this.graph.sent.filter((m) => m.to === this.id);
	}

	/** Messages sent since the last call. */
	replies(): SentMessage[] {
		const all = this.sent();
		const fresh = all.slice(this.seen);
		this.seen = all.length;
		return fresh;
	}

	/** Runs the conversation's alarm until nothing is due now (bounded). */
	async settle(): Promise<void> {
		// The runtime may already be running the alarm in the background (it was set for "now"):
		// keep checking until no work is due, running the alarm ourselves when one is scheduled.
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline) {
			const ran = await runDurableObjectAlarm(this.stub);
			if (!(await this.hasDueWork())) {
				await new Promise((resolve) => setTimeout(resolve, 5));
				if (!(await this.hasDueWork())) return;
			} else if (!ran) {
				await new Promise((resolve) => setTimeout(resolve, 5));
			}
		}
		throw new Error("conversation did not settle");
	}

	async hasDueWork(): Promise<boolean> {
		return runInDurableObject(this.stub, (_i, state) => {
			const now = Date.now();
			const sql = state.storage.sql;
			const job = sql
				.exec<{ next_at: number }>("SELECT next_at FROM jobs ORDER BY seq LIMIT 1")
				.toArray()[0];
			if (job) return job.next_at <= now;
			const inbox = sql.exec("SELECT 1 FROM unhandled_inbox").toArray().length > 0;
			const first = sql
				.exec<{ next_at: number }>(
					"SELECT next_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
				)
				.toArray()[0];
			// Sends go out in order: only the first pending one can be due.
			const outbox = first !== undefined && first.next_at <= now;
			return inbox || outbox;
		});
	}

	/** Pretends every backoff has elapsed, then settles. */
	async fastForward(): Promise<void> {
		await runInDurableObject(this.stub, (_i, state) => {
			state.storage.sql.exec("UPDATE jobs SET next_at = 0");
			state.storage.sql.exec("UPDATE outbox SET next_at = 0 WHERE state = 'pending'");
		});
		await this.settle();
	}

	/** Moves the resident's last message `ms` into the past (the 24-hour window, idle drafts). */
	async age(ms: number): Promise<void> {
		await runInDurableObject(this.stub, (_i, state) => {
			const row = state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'")
				.toArray()[0];
			// A conversation that handed its dialogue over (a number change) has none to age.
			if (row === undefined) return;
			const saved = JSON.parse(row.value) as { lastInboundAt: number | null };
			if (saved.lastInboundAt !== null) saved.lastInboundAt -= ms;
			state.storage.sql.exec("UPDATE kv SET value = ? WHERE key = 'state'", JSON.stringify(saved));
		});
	}

	/** The dialogue's state as the object saved it (after a settle). */
	async savedState(): Promise<DialogueState> {
		return runInDurableObject(this.stub, (_i, state) => {
			const saved = state.storage.sql
				.exec<{ value: string }>("SELECT value FROM kv WHERE key = 'state'")
				.one();
			return JSON.parse(saved.value) as DialogueState;
		});
	}

	/** The id of the draft being filled in (its files are under `requests/<id>/`). */
	async draftId(): Promise<string> {
		return String((await this.savedState()).draft?.requestId);
	}

	/**
	 * Moves everything the chat wrote (messages, statuses, jobs that died) `ms` into the past, as
	 * if it had been quiet since (the object's 30-day sweep).
	 */
	async quietFor(ms: number): Promise<void> {
		await this.age(ms);
		await runInDurableObject(this.stub, (_i, state) => {
			const sql = state.storage.sql;
			sql.exec("UPDATE inbox SET received_at = received_at - ?1, sent_at = sent_at - ?1", ms);
			sql.exec("UPDATE outbox SET created_at = created_at - ?1", ms);
			sql.exec("UPDATE delivery_statuses SET received_at = received_at - ?1", ms);
			sql.exec("UPDATE dead_jobs SET first_at = first_at - ?1, last_at = last_at - ?1", ms);
		});
	}

	async outbox(): Promise<OutboxRow[]> {
		return runInDurableObject(this.stub, (_i, state) =>
			state.storage.sql
				.exec<OutboxRow>(
					"SELECT seq, state, payload, attempts, last_error, wamid FROM outbox ORDER BY seq",
				)
				.toArray(),
		);
	}
}

/** Text a message shows: body of text, interactive body, or caption. */
export function textOf(message: SentMessage | undefined): string {
	if (!message) return "";
	const b = message.body as {
		text?: { body: string };
		interactive?: { body: { text: string } };
		document?: { caption?: string };
		template?: { name: string };
	};
	return b.text?.body ?? b.interactive?.body.text ?? b.document?.caption ?? b.template?.name ?? "";
}

export function texts(messages: SentMessage[]): string {
	return messages.map(textOf).join("\n---\n");
}

export const jpeg = (size = 2048, seed = 1): Uint8Array => {
	const bytes = new Uint8Array(size).map((_, i) => (i * 31 + seed) % 256);
	bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
	return bytes;
};

export const pdf = (size = 4096, seed = 2): Uint8Array => {
	const bytes = new Uint8Array(size).map((_, i) => (i * 17 + seed) % 256);
	bytes.set(new TextEncoder().encode("%PDF-1.7\n"), 0);
	return bytes;
};

export async function requestRows(residentId: string) {
	const { results } = await env.DB.prepare(
		"SELECT * FROM requests WHERE resident_id = ? ORDER BY created_at",
	)
		.bind(residentId)
		.all<Record<string, unknown>>();
	return results;
}

/** Adds a file to the fake Graph API and sends it as the resident, as a photo or a PDF. */
export async function sendFile(
	r: Resident,
	kind: "jpeg" | "pdf" = "pdf",
	bytes: Uint8Array = kind === "pdf" ? pdf() : jpeg(),
): Promise<{ replies: SentMessage[]; mediaId: string; bytes: Uint8Array }> {
	const media = await r.graph.addMedia(bytes, kind === "pdf" ? "application/pdf" : "image/jpeg");
	const replies = await r.send(
		kind === "pdf"
			? wire.document(media.id, "scan.pdf", "application/pdf", media.sha256Base64)
			: wire.image(media.id, media.sha256Base64),
	);
	return { replies, mediaId: media.id, bytes };
}

/** Greets, picks a service (and variant), gives a NIK, a name and an area: ready for documents. */
export async function fillDetails(
	r: Resident,
	options: {
		service: string;
		variant?: string;
		kecamatan?: string;
		area?: string;
		name?: string;
		nik?: string;
		/** The answer about whom the request is for, for services that ask (akta, KIA, pindah). */
		subject?: string;
	},
): Promise<SentMessage[]> {
	await r.say("Halo");
	await r.tap(options.service);
	if (options.variant) await r.tap(options.variant);
	await r.say(options.nik ?? "1674015203900001");
	await r.say(options.name ?? "Budi Santoso");
	await r.tap(options.kecamatan ?? "Prabumulih Barat");
	const area = await r.tap(options.area ?? "Gunung Kemala");
	return options.subject === undefined ? area : r.say(options.subject);
}

/**
 * Per test: a fresh fake Graph API (every send checked against Meta's limits when the test ends)
 * and residents with distinct numbers starting with `prefix`.
 */
export function withResidents(prefix: string): { readonly graph: FakeGraph; resident(): Resident } {
	let graph: FakeGraph | undefined;
	let restore: (() => void) | undefined;
	let count = 0;
	beforeEach(() => {
		graph = new FakeGraph();
		restore = graph.install();
	});
	afterEach(() => {
		vi.restoreAllMocks();
		expect(graph?.rejected).toEqual([]);
		restore?.();
	});
	return {
		get graph(): FakeGraph {
			if (graph === undefined) throw new Error("withResidents: used outside a test");
			return graph;
		},
		resident(): Resident {
			count++;
			return new Resident(
				`${prefix}${String(count).padStart(13 - prefix.length, "0")}`,
				this.graph,
			);
		},
	};
}
