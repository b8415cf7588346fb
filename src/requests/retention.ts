import { deleteFiles } from "../files";
import { log } from "../log";
import { meteredR2 } from "../metrics";

/** Requests purged per run: a daily cron catches up over several days after a backlog. */
const BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

interface PurgeRow {
	id: string;
	channel: string;
	business_id: string | null;
	resident_id: string | null;
}

/**
 * Deletes the files (R2) and the WhatsApp transcript of requests closed more than `retentionDays`
 * ago, keeping the request record, its events and the audit trail, marked `purged_at`.
 * Safe to run again: each step is idempotent and a request is marked only after its files are gone.
 */
export async function purgeExpired(
	env: Env,
	retentionDays: number,
	now = Date.now(),
): Promise<number> {
	const files = meteredR2(env.FILES);
	const { results } = await env.DB.prepare(
		`SELECT id, channel, business_id, resident_id FROM requests
		 WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL
		 ORDER BY closed_at LIMIT ?`,
	)
		.bind(now - retentionDays * DAY_MS, BATCH)
		.all<PurgeRow>();
	for (const request of results) {
		const { results: attachments } = await env.DB.prepare(
			"SELECT r2_key FROM attachments WHERE request_id = ? AND purged_at IS NULL",
		)
			.bind(request.id)
			.all<{ r2_key: string }>();
		const deleted = await deleteFiles(files, {
			keys: attachments.map((a) => a.r2_key),
			prefixes: [`requests/${request.id}/`, `results/${request.id}/`],
		});
		if (request.channel === "whatsapp" && request.business_id && request.resident_id) {
			await env.CONVERSATIONS.getByName(
				`${request.business_id}:${request.resident_id}`,
			).forgetRequest(request.id);
		}
		await env.DB.batch([
			env.DB.prepare(
				"UPDATE attachments SET purged_at = ? WHERE request_id = ? AND purged_at IS NULL",
			).bind(now, request.id),
			env.DB.prepare("UPDATE requests SET purged_at = ? WHERE id = ?").bind(now, request.id),
			env.DB.prepare(
				"INSERT INTO audit_log (id, at, actor, action, request_id, detail) VALUES (?, ?, 'system', 'retention.purge', ?, ?)",
			).bind(
				crypto.randomUUID(),
				now,
				request.id,
				JSON.stringify({ files: deleted, retentionDays }),
			),
		]);
	}
	if (results.length > 0) log.info("retention.purged", { requests: results.length, retentionDays });
	return results.length;
}
