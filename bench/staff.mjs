/** The staff API, as the bench calls it to check what the dialogue stored. */
import { jsonOf, request } from "./http.mjs";
import { bench } from "./state.mjs";

export const staffHeaders = () => ({ authorization: `Bearer ${bench.adminToken}` });

export async function staffJson(urlPath, agent) {
	bench.staffCalls++;
	const res = await request({ path: urlPath, headers: staffHeaders(), agent });
	return { status: res.status, body: jsonOf(res) };
}

/** Runs `task` over `items`, `limit` at a time. */
export async function eachLimited(items, limit, task) {
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const index = next++;
				await task(items[index], index);
			}
		}),
	);
}
