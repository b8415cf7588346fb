import { sha256Hex } from "../crypto";
import type { AccountAlert } from "./account-events";

/** An alert as stored in D1 (`account_alerts`). */
export interface AccountAlertRow {
	id: number;
	received_at: number;
	account_id: string;
	field: string;
	event: string;
	detail: string;
}

/**
 * Stores alerts once each: a redelivered webhook carries the same change, so its fingerprint
 * (SHA-256 of the alert) is already there and the insert does nothing.
 */
export async function recordAccountAlerts(
	db: D1Database,
	alerts: AccountAlert[],
	now: number,
): Promise<void> {
	if (alerts.length === 0) return;
	const statements = await Promise.all(
		alerts.map(async (alert) =>
			db
				.prepare(
					`INSERT INTO account_alerts (fingerprint, received_at, account_id, field, event, detail)
					 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO NOTHING`,
				)
				.bind(
					await sha256Hex(JSON.stringify(alert)),
					now,
					alert.accountId,
					alert.field,
					alert.event,
					JSON.stringify(alert.detail),
				),
		),
	);
	await db.batch(statements);
}

/** The newest alerts first, at most `limit`. */
export async function listAccountAlerts(db: D1Database, limit: number): Promise<AccountAlertRow[]> {
	const { results } = await db
		.prepare("SELECT * FROM account_alerts ORDER BY received_at DESC, id DESC LIMIT ?")
		.bind(limit)
		.all<AccountAlertRow>();
	return results;
}
