import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { expect, it, vi } from "vitest";

it("health", async () => {
	const urls: string[] = [];
	const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (u) => {
		urls.push(String(u));
		return new Response("fake");
	});
	const res = await exports.default.fetch("http://x/health");
	expect(await res.json()).toEqual({ status: "ok" });
	const stub = env.CONVERSATIONS.getByName("a");
	expect(await stub.ping()).toBe("fake");
	await stub.arm();
	expect(await runDurableObjectAlarm(stub)).toBe(true);
	expect(urls).toEqual(["https://graph.test/x", "https://graph.test/alarm"]);
	spy.mockRestore();
});
