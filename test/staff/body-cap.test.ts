import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, api } from "../helpers/staff";

const MB = 1024 * 1024;
const ID = "00000000-0000-4000-8000-000000000000";

/** A body of `total` bytes of one long JSON string, made as it is read; `pulled` counts what was. */
function lazyJson(total: number, chunk = 64 * 1024) {
	const state = { pulled: 0 };
	const filler = new Uint8Array(chunk).fill(0x61);
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (state.pulled === 0) {
				controller.enqueue(new TextEncoder().encode('{"text":"'));
				state.pulled += 9;
				return;
			}
			if (state.pulled >= total) {
				controller.close();
				return;
			}
			const size = Math.min(chunk, total - state.pulled);
			controller.enqueue(filler.subarray(0, size));
			state.pulled += size;
		},
	});
	return { stream, state };
}

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}) {
	return exports.default.fetch(`https://worker.test/api/v1${path}`, {
		method: "POST",
		headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...headers },
		body,
	});
}

async function expectTooLarge(res: Response) {
	expect(res.status).toBe(413);
	expect(res.headers.get("content-type")).toBe("application/problem+json");
	expect(await res.json()).toMatchObject({ status: 413, title: "Payload too large" });
}

describe("the staff API's JSON body cap (64 KiB)", () => {
	it("refuses a 60 MB declared body at once, before reading it", async () => {
		const total = 60 * MB;
		const { stream, state } = lazyJson(total);
		const fixed = new FixedLengthStream(total);
		void stream.pipeTo(fixed.writable).catch(() => undefined);
		await expectTooLarge(await post(`/requests/${ID}/notes`, fixed.readable));
		// Only what the pipe buffered ahead was ever made: the body was not read through.
		expect(state.pulled).toBeLessThan(2 * MB);
	});

	it("refuses a streamed body without Content-Length as soon as it passes the cap", async () => {
		const { stream, state } = lazyJson(60 * MB);
		await expectTooLarge(await post(`/requests/${ID}/notes`, stream));
		expect(state.pulled).toBeLessThan(2 * MB);
	});

	it("caps every staff route that takes JSON, and not the PDF upload", async () => {
		const big = JSON.stringify({ text: "a".repeat(70 * 1024) });
		for (const path of [
			"/staff",
			`/requests/${ID}/notes`,
			`/requests/${ID}/messages`,
			`/requests/${ID}/transitions`,
			`/requests/${ID}/pickup`,
		]) {
			const res = await api("POST", path, {
				body: big,
				headers: { "content-type": "application/json" },
			});
			expect(res.status, path).toBe(413);
		}
		// Under the cap: read and validated as before.
		const small = await api("POST", "/staff", { json: { name: "a".repeat(60 * 1024) } });
		expect(small.status).toBe(400);
		// The PDF upload has its own 20 MB cap: 100 KiB is not refused for size.
		const pdf = new Uint8Array(100 * 1024);
		pdf.set(new TextEncoder().encode("%PDF-1.7\n"));
		const upload = await api("PUT", `/requests/${ID}/result`, {
			body: pdf,
			headers: { "content-type": "application/pdf" },
		});
		expect(upload.status).not.toBe(413);
	});
});
