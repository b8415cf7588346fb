import { sha256Hex } from "../crypto";
import { log } from "../log";
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

/** One alert an hour at most, however many calls meet the refused token. */
const TOKEN_ALERT_BUCKET_MS = 60 * 60_000;

/**
 * Records that Meta refused the office's access token (190) for `phoneNumberId`, where admins
 * read the account's alerts (`GET /account/alerts`): once an hour while it lasts, whichever
 * conversation met it first. Replies and downloads wait meanwhile (docs/deploy.md). A failed
 * write is logged, never thrown: the caller is on its failure path already.
 */
export async function recordTokenRefused(
	db: D1Database,
	phoneNumberId: string,
	refusal: { httpStatus: number | undefined; code: number | undefined },
	now = Date.now(),
): Promise<void> {
	const bucket = Math.floor(now / TOKEN_ALERT_BUCKET_MS);
	try {
		await db
			.prepare(
				`INSERT INTO account_alerts (fingerprint, received_at, account_id, field, event, detail)
				 VALUES (?, ?, ?, 'access_token', 'TOKEN_REFUSED', ?) ON CONFLICT (fingerprint) DO NOTHING`,
			)
			.bind(
				await sha256Hex(`token_refused:${phoneNumberId}:${bucket}`),
				now,
				phoneNumberId,
				JSON.stringify({
					httpStatus: refusal.httpStatus ?? null,
					code: refusal.code ?? null,
					action:
						"WHATSAPP_ACCESS_TOKEN is expired or revoked: rotate it (docs/deploy.md). Replies and downloads wait until then; nothing is lost.",
				}),
			)
			.run();
	} catch (error) {
		log.error("account.token_alert_failed", {
			error: error instanceof Error ? error.message : String(error),
		});
	}
}
