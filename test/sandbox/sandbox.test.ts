import {
	createExecutionContext,
	runInDurableObject,
	waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import app from "../../src/index";
import { boundaryOf, MultipartError, multipartParts, readField } from "../../src/sandbox/multipart";
import {
	messageDelivery,
	residentMessageId,
	SANDBOX_PHONE_NUMBER_ID,
	statusDelivery,
} from "../../src/sandbox/wire";
import { GraphClient } from "../../src/whatsapp/graph-client";
import { signBody, verifySignature } from "../../src/whatsapp/signature";
import { parseDelivery } from "../../src/whatsapp/webhook-payload";
import { FakeGraph } from "../fake-graph";
import { api } from "../helpers/staff";
import { conversation, inboxOf } from "../helpers/webhook";

// Conversations answer in the background with their own env (GRAPH_API_BASE=https://graph.test):
// give them the in-memory fake, so nothing here reaches a network.
let restoreFetch: () => void;
beforeAll(() => {
	restoreFetch = new FakeGraph().install();
});
afterAll(() => restoreFetch());

const ORIGIN = "http://127.0.0.1:8787";
const TOKEN = "test_access_token";
const SECRET = "test_app_secret";
// The sandbox's own business number, as .dev.vars.example and `npm run dev` set it.
const sandboxEnv = {
	...env,
	SANDBOX: "true",
	GRAPH_API_BASE: `${ORIGIN}/dev/graph`,
	WHATSAPP_PHONE_NUMBER_ID: SANDBOX_PHONE_NUMBER_ID,
} as Env;
const encoder = new TextEncoder();

let phoneCounter = 0;
const newPhone = () => `6281377${String(++phoneCounter).padStart(6, "0")}`;

/** Calls the app in-process as `wrangler dev` would, then waits for its background work. */
async function call(path: string, init: RequestInit = {}, e: Env = sandboxEnv): Promise<Response> {
	const ctx = createExecutionContext();
	const response = await app.fetch(new Request(`${ORIGIN}${path}`, init), e, ctx);
	await waitOnExecutionContext(ctx);
	return response;
}

const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

async function sendAs(phone: string, message: Record<string, unknown>, name = "Warga Uji") {
	return call("/dev/chat/send", {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({ phone, name, message }),
	});
}

async function upload(bytes: Uint8Array, type: string, fileName = "scan.pdf") {
	const res = await call("/dev/chat/upload", {
		method: "POST",
		headers: { "content-type": type, "x-file-name": encodeURIComponent(fileName) },
		body: bytes,
	});
	expect(res.status).toBe(201);
	return res.json<{ id: string; mime_type: string; sha256: string; file_size: number }>();
}

async function chatOf(phone: string, after?: string) {
	const query = new URLSearchParams({ phone, ...(after ? { after } : {}) });
	const res = await call(`/dev/chat/messages?${query}`);
	expect(res.status).toBe(200);
	return res.json<{
		messages: { id: string; direction: string; cursor: string; content: Record<string, unknown> }[];
		cursor: string | null;
		read: string[];
	}>();
}

function pdfBytes(size: number, seed = 7): Uint8Array {
	const bytes = new Uint8Array(size).map((_, i) => (i * 13 + seed) % 256);
	bytes.set(encoder.encode("%PDF-1.7\n"), 0);
	return bytes;
}

async function sha256(bytes: Uint8Array): Promise<{ hex: string; base64: string }> {
	const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
	return {
		hex: Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""),
		base64: btoa(String.fromCharCode(...digest)),
	};
}

describe("/dev/* outside sandbox mode", () => {
	const paths: [string, RequestInit][] = [
		["/dev", {}],
		["/dev/chat", {}],
		["/dev/chat/messages?phone=6281300000000", {}],
		["/dev/chat/send", { method: "POST", body: "{}" }],
		[
			"/dev/graph/v25.0/100000000000001/messages",
			{ method: "POST", headers: bearer(), body: "{}" },
		],
		["/dev/graph/v25.0/1234", { headers: bearer() }],
	];

	async function expectNotFound(e: Env) {
		const reference = await call("/no-such-route", {}, e);
		const expected = await reference.json<Record<string, unknown>>();
		for (const [path, init] of paths) {
			const res = await call(path, init, e);
			expect(res.status, path).toBe(404);
			expect(res.headers.get("content-type")).toBe("application/problem+json");
			const body = await res.json<Record<string, unknown>>();
			// Exactly the app's own 404: nothing tells that a sandbox exists.
			expect({ ...body, detail: undefined }).toEqual({ ...expected, detail: undefined });
		}
	}

	it("answers the app's normal 404 when SANDBOX is not true", async () => {
		// Not `env` itself: the vitest plugin also reads a developer's .dev.vars (SANDBOX=true there).
		const unset: Record<string, unknown> = { ...sandboxEnv };
		Reflect.deleteProperty(unset, "SANDBOX");
		await expectNotFound(unset as unknown as Env);
		await expectNotFound({ ...sandboxEnv, SANDBOX: "false" } as Env);
		await expectNotFound({ ...sandboxEnv, SANDBOX: "" } as Env);
		await expectNotFound({ ...sandboxEnv, SANDBOX: "yes" } as Env);
	});

	it("answers 404 when GRAPH_API_BASE is Meta's, even with SANDBOX=true", async () => {
		for (const base of [
			"https://graph.facebook.com",
			"https://graph.facebook.com/",
			"https://GRAPH.FACEBOOK.COM",
		]) {
			await expectNotFound({ ...sandboxEnv, GRAPH_API_BASE: base } as Env);
		}
	});

	it("serves the simulator page with SANDBOX=true and a fake Graph API base", async () => {
		const res = await call("/dev/chat");
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toContain("Disdukcapil Kota Prabumulih");
		expect(html).toContain("/dev/chat/messages");
		const root = await call("/dev");
		expect(root.status).toBe(302);
		expect(root.headers.get("location")).toBe("/dev/chat");
	});

	it("offers the active kelurahan operators' numbers, so a developer can play an operator", async () => {
		const phone = newPhone();
		const created = await api("POST", "/staff", {
			json: { name: "Operator Simulasi", role: "kelurahan", kelurahan: "16.74.01.1001", phone },
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const { id } = await created.json<{ id: string }>();
		const listed = await (await call("/dev/chat")).text();
		expect(listed).toContain(
			`<option value="${phone}" label="Operator kelurahan: Operator Simulasi">`,
		);
		// A revoked operator is treated as a resident: no longer offered.
		expect((await api("DELETE", `/staff/${id}`)).status).toBe(200);
		expect(await (await call("/dev/chat")).text()).not.toContain(phone);
	});
});

describe("the simulator's webhooks", () => {
	it("are signed over the exact bytes, with Meta's escaping, and pass the real check", async () => {
		const id = residentMessageId("6281300000001");
		const body = messageDelivery(
			{ type: "text", text: "Halo — saya Budi 🙏 /dokumen@kantor" },
			{ id, phone: "6281300000001", name: "Budi Śantoso", at: Date.now() },
		);
		// Meta escapes every non-ASCII character as \uXXXX (surrogate pairs one by one).
		expect(body).toContain("Halo \\u2014 saya Budi \\ud83d\\ude4f");
		expect(body).toContain("Budi \\u015aantoso");
		expect(/[^\x20-\x7e]/.test(body)).toBe(false);
		const bytes = encoder.encode(body);
		const signature = await signBody(SECRET, bytes);
		expect(await verifySignature(SECRET, bytes, signature)).toBe(true);
		// Re-serialised (unescaped) bytes fail, as they would against Meta.
		const reserialised = encoder.encode(JSON.stringify(JSON.parse(body)));
		expect(await verifySignature(SECRET, reserialised, signature)).toBe(false);

		const delivery = parseDelivery(JSON.parse(body), Date.now());
		expect(delivery.skipped).toEqual([]);
		expect(delivery.batches).toHaveLength(1);
		expect(delivery.batches[0]).toMatchObject({
			businessId: SANDBOX_PHONE_NUMBER_ID,
			residentId: "6281300000001",
		});
	});

	it("builds status webhooks Meta's way (string timestamps, pricing on delivered)", () => {
		const body = JSON.parse(
			statusDelivery("6281300000002", [{ id: "wamid.X", status: "delivered" }], 1_795_900_000_000),
		);
		const status = body.entry[0].changes[0].value.statuses[0];
		expect(status).toMatchObject({
			id: "wamid.X",
			status: "delivered",
			timestamp: "1795900000",
			recipient_id: "6281300000002",
			pricing: { pricing_model: "PMP" },
		});
		expect(body.entry[0].changes[0].value.metadata.phone_number_id).toBe(SANDBOX_PHONE_NUMBER_ID);
	});

	it("deliver a text sent through /dev/chat/send into the resident's Conversation inbox", async () => {
		const phone = newPhone();
		const res = await sendAs(phone, { type: "text", text: "Halo" });
		expect(res.status).toBe(200);
		const { id } = await res.json<{ id: string }>();
		const inbox = await inboxOf(phone, SANDBOX_PHONE_NUMBER_ID);
		expect(inbox.map((row) => row.message_id)).toContain(id);
		expect(inbox.find((row) => row.message_id === id)?.event).toContain("Halo");
		// The chat records what the resident sent, for the page.
		const chat = await chatOf(phone);
		expect(chat.messages).toMatchObject([
			{ id, direction: "in", content: { kind: "text", text: "Halo" } },
		]);
	});

	it("deliver taps, list picks and files with Meta's shapes", async () => {
		const phone = newPhone();
		expect(
			(await sendAs(phone, { type: "button", id: "next", title: "Lanjut", context: "wamid.A" }))
				.status,
		).toBe(200);
		expect((await sendAs(phone, { type: "row", id: "legalisir", title: "Legalisir" })).status).toBe(
			200,
		);
		const bytes = pdfBytes(3000);
		const stored = await upload(bytes, "application/pdf", "kartu keluarga.pdf");
		expect(stored.sha256).toBe((await sha256(bytes)).base64);
		expect(stored.file_size).toBe(3000);
		expect((await sendAs(phone, { type: "document", mediaId: stored.id })).status).toBe(200);

		const inbox = await inboxOf(phone, SANDBOX_PHONE_NUMBER_ID);
		expect(inbox).toHaveLength(3);
		const events = inbox.map((row) => JSON.parse(row.event) as Record<string, unknown>);
		expect(JSON.stringify(events)).toContain("legalisir");
		expect(JSON.stringify(events)).toContain(stored.id);
		const chat = await chatOf(phone);
		expect(chat.messages.map((m) => m.content)).toEqual([
			{ kind: "reply", title: "Lanjut", quoted: "wamid.A" },
			{ kind: "reply", title: "Legalisir" },
			{
				kind: "media",
				media: "document",
				mediaId: stored.id,
				fileName: "kartu keluarga.pdf",
				mimeType: "application/pdf",
			},
		]);
	});

	it("refuse bad input with problem+json", async () => {
		const bad = await sendAs("12ab", { type: "text", text: "x" });
		expect(bad.status).toBe(400);
		expect(bad.headers.get("content-type")).toBe("application/problem+json");
		const missing = await sendAs(newPhone(), { type: "image", mediaId: "999" });
		expect(missing.status).toBe(404);
		const wrongType = await call("/dev/chat/upload", {
			method: "POST",
			headers: { "content-type": "video/mp4" },
			body: "x",
		});
		expect(wrongType.status).toBe(415);
	});
});

describe("the fake Graph API", () => {
	const messagesUrl = `/dev/graph/v25.0/${SANDBOX_PHONE_NUMBER_ID}/messages`;

	it("records a send for its recipient, in order, and shows it in the chat", async () => {
		const phone = newPhone();
		const ids: string[] = [];
		for (const text of ["Satu *tebal*", "Dua"]) {
			const res = await call(messagesUrl, {
				method: "POST",
				headers: { ...bearer(), "content-type": "application/json" },
				body: JSON.stringify({
					messaging_product: "whatsapp",
					recipient_type: "individual",
					to: phone,
					type: "text",
					text: { body: text, preview_url: false },
				}),
			});
			expect(res.status).toBe(200);
			const body = await res.json<{ contacts: { wa_id: string }[]; messages: { id: string }[] }>();
			expect(body.contacts[0]?.wa_id).toBe(phone);
			ids.push(body.messages[0]?.id ?? "");
		}
		const chat = await chatOf(phone);
		expect(chat.messages.map((m) => [m.id, m.direction, m.content])).toEqual([
			[ids[0], "out", { kind: "text", text: "Satu *tebal*" }],
			[ids[1], "out", { kind: "text", text: "Dua" }],
		]);
	});

	it("refuses calls without the access token, or with another, in Meta's words", async () => {
		const send = (headers: Record<string, string>) =>
			call(messagesUrl, {
				method: "POST",
				headers: { "content-type": "application/json", ...headers },
				body: JSON.stringify({ messaging_product: "whatsapp", to: "628", type: "text" }),
			});
		const none = await send({});
		expect(none.status).toBe(401);
		const wrong = await send(bearer("not-the-token"));
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
	});

	it("answers Meta's invalid-parameter error for a malformed send", async () => {
		const res = await call(messagesUrl, {
			method: "POST",
			headers: { ...bearer(), "content-type": "application/json" },
			body: JSON.stringify({
				messaging_product: "whatsapp",
				to: newPhone(),
				type: "interactive",
				interactive: {
					type: "button",
					body: { text: "Pilih" },
					action: { buttons: [{ type: "reply", reply: { id: "a", title: "x".repeat(21) } }] },
				},
			}),
		});
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ error: { code: 100 } });
	});

	it("serves an uploaded media's bytes with the Bearer token and refuses without it", async () => {
		const bytes = pdfBytes(4096);
		const stored = await upload(bytes, "application/pdf");
		const info = await call(
			`/dev/graph/v25.0/${stored.id}?phone_number_id=${SANDBOX_PHONE_NUMBER_ID}`,
			{
				headers: bearer(),
			},
		);
		expect(info.status).toBe(200);
		const media = await info.json<Record<string, unknown>>();
		expect(media).toMatchObject({
			messaging_product: "whatsapp",
			mime_type: "application/pdf",
			sha256: (await sha256(bytes)).hex,
			file_size: 4096,
			id: stored.id,
		});
		const url = new URL(String(media.url));
		expect(url.origin).toBe(ORIGIN);
		const path = `${url.pathname}${url.search}`;

		const refused = await call(path);
		expect(refused.status).toBe(401);
		const download = await call(path, { headers: bearer() });
		expect(download.status).toBe(200);
		expect(download.headers.get("content-type")).toBe("application/pdf");
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

		const unknown = await call("/dev/graph/v25.0/4242", { headers: bearer() });
		expect(unknown.status).toBe(400);
		expect(await unknown.json()).toMatchObject({ error: { code: 100, error_subcode: 33 } });
	});

	it("works with the product's own Graph client: sends, mark-read, upload and download", async () => {
		const phone = newPhone();
		const client = new GraphClient({
			base: `${ORIGIN}/dev/graph`,
			version: "v25.0",
			token: TOKEN,
			phoneNumberId: SANDBOX_PHONE_NUMBER_ID,
			fetch: (input, init) =>
				call(new URL(String(input)).pathname + new URL(String(input)).search, init),
		});
		await client.send(phone, {
			type: "list",
			body: "Layanan apa?",
			button: "Pilih layanan",
			sections: [{ rows: [{ id: "legalisir", title: "Legalisir", description: "Salinan" }] }],
		});
		await client.send(phone, {
			type: "buttons",
			body: "Sudah benar?",
			buttons: [
				{ id: "send", title: "Kirim" },
				{ id: "cancel", title: "Batal" },
			],
		});
		await client.send(phone, {
			type: "template",
			name: "status_update",
			language: "id",
			bodyParams: ["Disdukcapil", "PBM-261128-0001: Sedang diperiksa"],
		});
		// A result PDF over one R2 part (5 MiB), through the streaming multipart reader.
		const big = pdfBytes(6 * 1024 * 1024 + 123, 3);
		const mediaId = await client.uploadMedia({
			body: new Blob([big]).stream(),
			size: big.byteLength,
			mimeType: "application/pdf",
			fileName: "PBM-261128-0001.pdf",
		});
		await client.send(phone, { type: "document", mediaId, fileName: "PBM-261128-0001.pdf" });
		const downloaded = await client.downloadFrom(await client.mediaInfo(mediaId));
		expect(downloaded.info.sha256).toBe((await sha256(big)).hex);
		const received = new Uint8Array(await new Response(downloaded.body).arrayBuffer());
		downloaded.done();
		// Compared by hash: a deep equality over 6 MB is slow.
		expect(received.byteLength).toBe(big.byteLength);
		expect((await sha256(received)).hex).toBe((await sha256(big)).hex);

		const residentId = residentMessageId(phone);
		await client.markRead(residentId, { typing: true });

		const chat = await chatOf(phone);
		expect(chat.read).toEqual([residentId]);
		expect(chat.messages.map((m) => m.content)).toEqual([
			{
				kind: "list",
				body: "Layanan apa?",
				button: "Pilih layanan",
				sections: [{ rows: [{ id: "legalisir", title: "Legalisir", description: "Salinan" }] }],
			},
			{
				kind: "buttons",
				body: "Sudah benar?",
				buttons: [
					{ id: "send", title: "Kirim" },
					{ id: "cancel", title: "Batal" },
				],
			},
			{
				kind: "template",
				name: "status_update",
				language: "id",
				params: ["Disdukcapil", "PBM-261128-0001: Sedang diperiksa"],
			},
			{ kind: "media", media: "document", mediaId, fileName: "PBM-261128-0001.pdf" },
		]);
		// The page downloads the document through the simulator, streamed.
		const link = await call(`/dev/chat/media/${mediaId}`);
		expect(link.status).toBe(200);
		expect(link.headers.get("content-length")).toBe(String(big.byteLength));
		expect(link.headers.get("content-disposition")).toContain("PBM-261128-0001.pdf");
		await link.body?.cancel();
	}, 30_000);

	it("reports the bot's messages back as delivered and read when the page has shown them", async () => {
		const phone = newPhone();
		// The resident writes first, so that their Conversation exists and knows the business.
		expect((await sendAs(phone, { type: "text", text: "Halo" })).status).toBe(200);
		const first = await chatOf(phone);
		const res = await call(messagesUrl, {
			method: "POST",
			headers: { ...bearer(), "content-type": "application/json" },
			body: JSON.stringify({
				messaging_product: "whatsapp",
				to: phone,
				type: "text",
				text: { body: "Balasan" },
				biz_opaque_callback_data: "track",
			}),
		});
		const sent = (await res.json<{ messages: { id: string }[] }>()).messages[0]?.id ?? "";
		// As if the Conversation had sent it (its own sends go to the in-memory fake here): a staff
		// message, whose delivery staff follow.
		const stub = conversation(phone, SANDBOX_PHONE_NUMBER_ID);
		await runInDurableObject(stub, (_i, state) => {
			state.storage.sql.exec(
				`INSERT INTO outbox (payload, state, next_at, created_at, sent_at, wamid, notice)
				 VALUES (?, 'sent', 0, 0, 0, ?, 'Pesan petugas')`,
				JSON.stringify({ type: "text", body: "Balasan" }),
				sent,
			);
		});
		const next = await chatOf(phone, first.cursor ?? undefined);
		expect(next.messages.map((m) => m.id)).toEqual([sent]);
		// The statuses echoed the send's mark, so they reached the Conversation.
		const delivery = await runInDurableObject(
			stub,
			(_i, state) =>
				state.storage.sql
					.exec<{ delivery: string | null }>("SELECT delivery FROM outbox WHERE wamid = ?", sent)
					.one().delivery,
		);
		expect(delivery).toBe("read");
	});

	it("echoes a send's biz_opaque_callback_data in its statuses, as Meta does", () => {
		const body = JSON.parse(
			statusDelivery(
				"6281300000002",
				[
					{ id: "wamid.A", status: "read", callbackData: "track" },
					{ id: "wamid.B", status: "read" },
				],
				1_795_900_000_000,
			),
		);
		const [a, b] = body.entry[0].changes[0].value.statuses;
		expect(a.biz_opaque_callback_data).toBe("track");
		expect(b).not.toHaveProperty("biz_opaque_callback_data");
	});
});

describe("the streaming multipart reader", () => {
	/** The body as a stream of `size`-byte chunks, to split delimiters across reads. */
	function chunked(text: string, size: number): ReadableStream<Uint8Array> {
		const bytes = encoder.encode(text);
		let offset = 0;
		return new ReadableStream({
			pull(controller) {
				if (offset >= bytes.length) return controller.close();
				controller.enqueue(bytes.slice(offset, offset + size));
				offset += size;
			},
		});
	}

	const body = [
		"--XyZ\r\n",
		'Content-Disposition: form-data; name="messaging_product"\r\n\r\n',
		"whatsapp\r\n",
		"--XyZ\r\n",
		'Content-Disposition: form-data; name="file"; filename="a.pdf"\r\n',
		"Content-Type: application/pdf\r\n\r\n",
		"%PDF-1.7\r\n--XY not a boundary\r\nx--XyZ not either\r\n",
		"\r\n--XyZ\r\n",
		'Content-Disposition: form-data; name="type"\r\n\r\n',
		"application/pdf\r\n",
		"--XyZ--\r\n",
	].join("");

	it("splits parts correctly whatever the chunking", async () => {
		for (const size of [1, 2, 3, 7, 64, 10_000]) {
			const parts: [string, string | undefined, string][] = [];
			for await (const part of multipartParts(chunked(body, size), "XyZ")) {
				parts.push([part.name, part.fileName, await readField(part)]);
			}
			expect(parts, `chunks of ${size}`).toEqual([
				["messaging_product", undefined, "whatsapp"],
				["file", "a.pdf", "%PDF-1.7\r\n--XY not a boundary\r\nx--XyZ not either\r\n"],
				["type", undefined, "application/pdf"],
			]);
		}
	});

	it("skips a body the reader did not consume, and refuses a truncated one", async () => {
		const names: string[] = [];
		for await (const part of multipartParts(chunked(body, 5), "XyZ")) names.push(part.name);
		expect(names).toEqual(["messaging_product", "file", "type"]);

		const truncated = body.slice(0, body.indexOf("not either"));
		await expect(async () => {
			for await (const part of multipartParts(chunked(truncated, 4), "XyZ")) await readField(part);
		}).rejects.toBeInstanceOf(MultipartError);
	});

	it("reads the boundary from the content type", () => {
		expect(boundaryOf("multipart/form-data; boundary=----abc123")).toBe("----abc123");
		expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="q r"')).toBe("q r");
		expect(boundaryOf("application/json")).toBeUndefined();
		expect(boundaryOf(null)).toBeUndefined();
	});
});
