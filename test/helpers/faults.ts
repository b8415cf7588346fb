import { env } from "cloudflare:workers";
import { vi } from "vitest";

/** The Conversation object's RPC methods a hand-over from staff or the cron calls. */
type HandOver = "notify" | "sendResult" | "forgetRequest" | "introduce";

/**
 * Makes these RPC methods of every Conversation object reject, as when the object cannot be
 * reached, until the returned spy is restored (`vi.restoreAllMocks` also restores it). The
 * object itself is untouched: whatever else a test calls on it goes through.
 */
export function unreachableObjects(...methods: HandOver[]) {
	return unreachable(() => true, methods);
}

/** {@link unreachableObjects} for the one object named `name` (`conversationName`). */
export function unreachableObject(name: string, ...methods: HandOver[]) {
	return unreachable((each) => each === name, methods);
}

function unreachable(which: (name: string) => boolean, methods: HandOver[]) {
	const getByName = env.CONVERSATIONS.getByName.bind(env.CONVERSATIONS);
	return vi.spyOn(env.CONVERSATIONS, "getByName").mockImplementation((name: string) => {
		const stub = getByName(name);
		if (!which(name)) return stub;
		return new Proxy(stub, {
			get(target, prop, receiver) {
				if ((methods as (string | symbol)[]).includes(prop)) {
					return () => Promise.reject(new Error("object unreachable (injected)"));
				}
				return Reflect.get(target, prop, receiver);
			},
		});
	});
}

/** The rows `pending_notices` keeps for a request: what the cron would still hand over. */
export async function pendingRows(requestId: string) {
	const { results } = await env.DB.prepare(
		"SELECT * FROM pending_notices WHERE request_id = ? ORDER BY created_at",
	)
		.bind(requestId)
		.all<{ id: string; conversation: string; payload: string; kind?: string }>();
	return results;
}
