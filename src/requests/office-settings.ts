/**
 * Settings an admin changes through the API, kept in D1 (`office_settings`): for now the time
 * limit of complaints in working days. Each value is typed and bounded here; a missing row is
 * the default.
 *
 * @module
 */

import { auditStatement } from "./audit";

/** The complaint time limit when no admin set one: normative complaints, 5 working days. */
export const DEFAULT_COMPLAINT_DAYS = 5;
/** The longest limit an admin may set: complaints that need investigation, 60 working days. */
export const MAX_COMPLAINT_DAYS = 60;

const COMPLAINT_DAYS_KEY = "complaint_time_limit_days";

/** The complaint settings as the API shows them. */
export interface ComplaintSettings {
	timeLimitDays: number;
	updatedAt: number | null;
	updatedBy: string | null;
}

/** The complaint time limit in working days (the default when unset or unreadable). */
export async function complaintSettings(db: D1Database): Promise<ComplaintSettings> {
	const row = await db
		.prepare("SELECT value, updated_at, updated_by FROM office_settings WHERE key = ?")
		.bind(COMPLAINT_DAYS_KEY)
		.first<{ value: string; updated_at: number; updated_by: string }>();
	const days = Number(row?.value);
	const valid = Number.isInteger(days) && days >= 1 && days <= MAX_COMPLAINT_DAYS;
	return {
		timeLimitDays: valid ? days : DEFAULT_COMPLAINT_DAYS,
		updatedAt: row?.updated_at ?? null,
		updatedBy: row?.updated_by ?? null,
	};
}

/** Sets the complaint time limit (for complaints filed from now on), audited. */
export async function setComplaintDays(
	db: D1Database,
	days: number,
	actor: string,
	at = Date.now(),
): Promise<void> {
	if (!Number.isInteger(days) || days < 1 || days > MAX_COMPLAINT_DAYS) {
		throw new RangeError(`complaint time limit must be 1-${MAX_COMPLAINT_DAYS} working days`);
	}
	await db.batch([
		db
			.prepare(
				`INSERT INTO office_settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
				 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
				 updated_by = excluded.updated_by`,
			)
			.bind(COMPLAINT_DAYS_KEY, String(days), at, actor),
		auditStatement(
			db,
			{ actor, action: "settings.complaints", detail: { timeLimitDays: days } },
			at,
		),
	]);
}
