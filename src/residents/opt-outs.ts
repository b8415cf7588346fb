/**
 * `resident_opt_outs` (migration 0021): each `berhenti` and `mulai` of a resident, with its time.
 * The Conversation object keeps the flag it acts on; this is the record staff read (the latest
 * row of a chat is its flag).
 *
 * @module
 */

/** Records one change; idempotent on `id` (a retried write adds nothing). */
export async function recordOptOut(
	db: D1Database,
	change: { id: string; businessId: string; residentId: string; optedOut: boolean; at: number },
): Promise<void> {
	await db
		.prepare(
			`INSERT INTO resident_opt_outs (id, business_id, resident_id, opted_out, at)
			 VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		)
		.bind(change.id, change.businessId, change.residentId, change.optedOut ? 1 : 0, change.at)
		.run();
}

/** The chat's current flag: when it last opted out, or null when it receives messages. */
export async function optedOutSince(
	db: D1Database,
	businessId: string,
	residentId: string,
): Promise<number | null> {
	const row = await db
		.prepare(
			`SELECT opted_out, at FROM resident_opt_outs WHERE business_id = ? AND resident_id = ?
			 ORDER BY at DESC, rowid DESC LIMIT 1`,
		)
		.bind(businessId, residentId)
		.first<{ opted_out: number; at: number }>();
	return row?.opted_out === 1 ? row.at : null;
}
