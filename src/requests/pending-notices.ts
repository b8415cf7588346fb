import type { StaffNotice } from "../conversation/notices";
import { log } from "../log";

/** A notice younger than this is probably still being queued by the request that wrote it. */
const GRACE_MS = 60_000;

/**
 * Hands the residents' Conversation objects the notices whose status change committed but whose
 * queuing did not (the API call failed or the Worker stopped in between). Objects ignore a notice
 * they already have, so a notice delivered twice is told once.
 */
export async function redeliverNotices(env: Env, now = Date.now()): Promise<number> {
	const { results } = await env.DB.prepare(
		"SELECT id, conversation, payload FROM pending_notices WHERE created_at < ? ORDER BY created_at LIMIT 100",
	)
		.bind(now - GRACE_MS)
		.all<{ id: string; conversation: string; payload: string }>();
	let delivered = 0;
	for (const row of results) {
		try {
			await env.CONVERSATIONS.getByName(row.conversation).notify(
				JSON.parse(row.payload) as StaffNotice,
			);
			await env.DB.prepare("DELETE FROM pending_notices WHERE id = ?").bind(row.id).run();
			delivered++;
		} catch (error) {
			await env.DB.prepare("UPDATE pending_notices SET attempts = attempts + 1 WHERE id = ?")
				.bind(row.id)
				.run();
			log.error("notices.redelivery_failed", {
				id: row.id,
				error: error instanceof Error ? error.message : String(error),
			});
		}
	}
	if (delivered > 0) log.warn("notices.redelivered", { delivered });
	return delivered;
}
