/**
 * Who a WhatsApp number is to the office: an active kelurahan operator (filing for residents
 * from their own WhatsApp) or anyone else. Read by the Conversation object, never taken from
 * what the sender says.
 *
 * @module
 */

/** An active kelurahan operator, as the dialogue needs them. */
export interface OperatorIdentity {
	staffId: string;
	/** Every area code they serve (kecamatan codes expanded to their areas), sorted. */
	areas: string[];
}

/** An active operator's WhatsApp number and name, for the local chat simulator's picker. */
export interface OperatorNumber {
	phone: string;
	name: string;
}

/**
 * The WhatsApp numbers of the kelurahan operators active at `now` (neither revoked nor expired),
 * by name: the chat simulator offers them so a developer can play an operator. Sandbox only.
 */
export async function activeOperatorNumbers(
	db: D1Database,
	now: number,
): Promise<OperatorNumber[]> {
	const { results } = await db
		.prepare(
			`SELECT phone, name FROM staff
			WHERE role = 'kelurahan' AND phone IS NOT NULL AND revoked_at IS NULL AND expires_at > ?
			ORDER BY name LIMIT 50`,
		)
		.bind(now)
		.all<OperatorNumber>();
	return results;
}

/** The WhatsApp number of an operator account still active at `now`; null otherwise. */
export async function activeOperatorPhone(
	db: D1Database,
	staffId: string,
	now: number,
): Promise<string | null> {
	const row = await db
		.prepare(
			`SELECT phone FROM staff WHERE id = ? AND role = 'kelurahan' AND phone IS NOT NULL
				AND revoked_at IS NULL AND expires_at > ?`,
		)
		.bind(staffId, now)
		.first<{ phone: string }>();
	return row?.phone ?? null;
}

/**
 * The kelurahan operator whose account has this WhatsApp number, if the account is neither
 * revoked nor expired at `now`; null for anyone else (a revoked or expired operator included).
 *
 * @param phone - The number as WhatsApp gives it (`wa_id`, digits only).
 */
export async function activeOperatorByPhone(
	db: D1Database,
	phone: string,
	now: number,
): Promise<OperatorIdentity | null> {
	const row = await db
		.prepare(
			`SELECT s.id,
				(SELECT json_group_array(code) FROM (SELECT a.code FROM areas a
					WHERE a.code IN (SELECT code FROM staff_areas WHERE staff_id = s.id)
						OR a.kecamatan_code IN (SELECT code FROM staff_areas WHERE staff_id = s.id)
					ORDER BY a.code)) AS areas
			FROM staff s
			WHERE s.phone = ? AND s.role = 'kelurahan' AND s.revoked_at IS NULL AND s.expires_at > ?
			ORDER BY s.created_at DESC LIMIT 1`,
		)
		.bind(phone, now)
		.first<{ id: string; areas: string }>();
	if (row === null) return null;
	return { staffId: row.id, areas: JSON.parse(row.areas) as string[] };
}
