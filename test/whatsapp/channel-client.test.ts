import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { settingsOf } from "../../src/env";
import { WhatsAppChannel, windowClosedReason } from "../../src/whatsapp/channel-client";
import { graphClientFor } from "../../src/whatsapp/graph-client";
import { WINDOW_CLOSED_CODE } from "../../src/whatsapp/graph-errors";
import { FakeGraph } from "../fake-graph";

const PNID = "106540352242922";
const TO = "6281234567890";

let fake: FakeGraph;
let restore: () => void;
let channel: WhatsAppChannel;

beforeEach(() => {
	fake = new FakeGraph();
	restore = fake.install();
	channel = new WhatsAppChannel(graphClientFor(settingsOf(env), PNID));
});
afterEach(() => restore());

describe("sending through the WhatsApp channel", () => {
	it("answers sent with Meta's message id", async () => {
		const result = await channel.send(TO, { type: "text", body: "Halo" });
		expect(result).toMatchObject({ status: "sent", messageId: expect.stringMatching(/^wamid\./) });
	});

	it("turns throttling into a retry with Meta's Retry-After", async () => {
		fake.fail("messages", { kind: "http", status: 429, retryAfter: 7 });
		expect(await channel.send(TO, { type: "text", body: "x" })).toMatchObject({
			status: "retry",
			retryAfterMs: 7000,
		});
		fake.fail("messages", { kind: "network" });
		expect(await channel.send(TO, { type: "text", body: "x" })).toMatchObject({ status: "retry" });
	});

	it("says window_closed for a closed 24-hour window", async () => {
		fake.fail("messages", { kind: "http", status: 400, code: WINDOW_CLOSED_CODE });
		expect(await channel.send(TO, { type: "text", body: "x" })).toMatchObject({
			status: "window_closed",
		});
	});

	it("says unauthorized while the access token is expired: the office's outage, not the message's", async () => {
		fake.expireToken();
		expect(await channel.send(TO, { type: "text", body: "x" })).toMatchObject({
			status: "unauthorized",
		});
		expect(await channel.mediaInfo("123")).toMatchObject({
			ok: false,
			retryable: true,
			unauthorized: true,
		});
	});

	it("marks a message over Meta's limits as an invalid permanent failure, without a call", async () => {
		const result = await channel.send(TO, {
			type: "buttons",
			body: "Pilih",
			buttons: [{ id: "a", title: "x".repeat(21) }],
		});
		expect(result).toMatchObject({ status: "permanent", invalid: true });
		expect(fake.calls).toHaveLength(0);
		fake.fail("messages", { kind: "http", status: 400, code: 100 });
		expect(await channel.send(TO, { type: "text", body: "x" })).toMatchObject({
			status: "permanent",
			invalid: false,
		});
	});
});

describe("media through the WhatsApp channel", () => {
	it("classifies lookups, an expired download URL and a refused upload", async () => {
		fake.fail("media_info", { kind: "http", status: 500 });
		expect(await channel.mediaInfo("123")).toMatchObject({ ok: false, retryable: true });
		expect(await channel.mediaInfo("does-not-exist")).toMatchObject({
			ok: false,
			retryable: false,
		});

		const media = await fake.addMedia(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg");
		const info = await channel.mediaInfo(media.id);
		if (!info.ok) throw new Error(info.detail);
		fake.fail("media_download", { kind: "http", status: 404 });
		expect(await channel.download(info.value)).toMatchObject({ ok: false, retryable: true });

		fake.fail("media_upload", { kind: "http", status: 400, code: 100 });
		const upload = await channel.upload({
			body: new Blob(["%PDF-1.7"]).stream(),
			size: 8,
			mimeType: "application/pdf",
			fileName: "a.pdf",
		});
		expect(upload).toMatchObject({ ok: false, retryable: false });
	});
});

describe("windowClosedReason", () => {
	it("reads a closed window from a failed status's errors only", () => {
		expect(windowClosedReason([{ code: WINDOW_CLOSED_CODE, title: "Re-engagement message" }])).toBe(
			`window closed (${WINDOW_CLOSED_CODE})`,
		);
		expect(windowClosedReason([{ code: 131026, title: "Message undeliverable" }])).toBeUndefined();
		expect(windowClosedReason([])).toBeUndefined();
	});
});
