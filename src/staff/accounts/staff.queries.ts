/**
 * The `staff` table: accounts of the office's staff and their token hashes.
 *
 * @module
 */

import { auditStatement } from "../../requests/audit";
import type { StaffPrincipal, StaffRole } from "../types";

/** A staff row as the API shows it (never the token hash). */
export interface StaffRow {
	id: string;
	name: string;
	role: StaffRole;
	kelurahan: string | null;
	created_at: number;
	created_by: string;
	revoked_at: number | null;
	/** When the token stops working (epoch milliseconds). */
	expires_at: number;
	/** WhatsApp number for the morning digest (E.164 digits), or null. */
	phone: string | null;
	/** A kelurahan operator's areas as given (area or kecamatan codes); empty for other roles. */
	areas: string[];
}

/** The staff columns and the operator's area codes, as a JSON array in `areas`. */
const STAFF_COLUMNS = `id, name, role, kelurahan, created_at, created_by, revoked_at, expires_at, phone,
	(SELECT json_group_array(code) FROM (SELECT code FROM staff_areas WHERE staff_id = staff.id ORDER BY code)) AS areas`;

/** A row read with {@link STAFF_COLUMNS}: `areas` still JSON. */
type StoredStaffRow = Omit<StaffRow, "areas"> & { areas: string };

const parseAreas = <T extends { areas: string }>(
	row: T,
): Omit<T, "areas"> & { areas: string[] } => ({
	...row,
	areas: JSON.parse(row.areas) as string[],
});

/** The statement reading one staff row, for the end of a batch that changes it. */
const selectStaff = (db: D1Database, id: string) =>
	db.prepare(`SELECT ${STAFF_COLUMNS} FROM staff WHERE id = ?`).bind(id);

/** The row {@link selectStaff} read in a batch, if there was one. */
function selectedStaff(result: D1Result | undefined): StaffRow | null {
	const row = (result?.results as StoredStaffRow[] | undefined)?.[0];
	return row === undefined ? null : parseAreas(row);
}

/**
 * Every area code the operator's rows name, kecamatan codes expanded to their areas: what the
 * scoping rule compares a request's area with.
 */
const SERVED_AREAS = `(SELECT json_group_array(a.code) FROM areas a
	WHERE a.code IN (SELECT code FROM staff_areas WHERE staff_id = staff.id)
		OR a.kecamatan_code IN (SELECT code FROM staff_areas WHERE staff_id = staff.id))`;

/** The unrevoked staff member holding the token with this hash, if it has not expired at `now`. */
export async function staffByTokenHash(
	db: D1Database,
	tokenHash: string,
	now: number,
): Promise<StaffPrincipal | null> {
	const row = await db
		.prepare(
			`SELECT id, name, role, kelurahan, ${SERVED_AREAS} AS areas FROM staff
			WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?`,
		)
		.bind(tokenHash, now)
		.first<Omit<StaffPrincipal, "areas"> & { areas: string }>();
	return row === null ? null : parseAreas(row);
}

/** Whether some staff admin holds a token that works now (unrevoked, unexpired). */
export async function activeAdminExists(db: D1Database, now = Date.now()): Promise<boolean> {
	const row = await db
		.prepare(
			"SELECT 1 FROM staff WHERE role = 'admin' AND revoked_at IS NULL AND expires_at > ? LIMIT 1",
		)
		.bind(now)
		.first();
	return row !== null;
}

/**
 * Each of `codes` that names a known area or kecamatan, with the home area it gives: the area
 * itself, or a kecamatan's first area in the catalog's order.
 */
export async function knownAreaCodes(
	db: D1Database,
	codes: string[],
): Promise<Map<string, string>> {
	const { results } = await db
		.prepare(
			`SELECT q.value AS code, coalesce(
				(SELECT code FROM areas WHERE code = q.value),
				(SELECT code FROM areas WHERE kecamatan_code = q.value ORDER BY sort_order, code LIMIT 1)
			) AS home
			FROM json_each(?) q`,
		)
		.bind(JSON.stringify(codes))
		.all<{ code: string; home: string | null }>();
	return new Map(results.flatMap((r) => (r.home === null ? [] : [[r.code, r.home] as const])));
}

/**
 * Creates a staff member (and an operator's areas) with their token's hash, audited as
 * `staff.create`, in one batch; idempotent on the id: a second call with the same id writes
 * nothing (each statement after the first runs only when the one before it wrote a row).
 *
 * @returns Whether this call created the member (false: the id was taken already).
 */
export async function insertStaff(
	db: D1Database,
	row: StaffRow,
	tokenHash: string,
): Promise<boolean> {
	const [inserted] = await db.batch([
		db
			.prepare(
				"INSERT INTO staff (id, name, role, kelurahan, token_hash, created_at, created_by, expires_at, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
			)
			.bind(
				row.id,
				row.name,
				row.role,
				row.kelurahan,
				tokenHash,
				row.created_at,
				row.created_by,
				row.expires_at,
				row.phone,
			),
		...row.areas.map((code) =>
			db
				.prepare("INSERT INTO staff_areas (staff_id, code) SELECT ?, ? WHERE changes() > 0")
				.bind(row.id, code),
		),
		auditStatement(
			db,
			{
				actor: row.created_by,
				action: "staff.create",
				detail: { staffId: row.id, role: row.role, expiresAt: row.expires_at },
			},
			row.created_at,
			{ onlyIfChanged: true },
		),
	]);
	return (inserted?.meta.changes ?? 0) > 0;
}

/** All staff, newest first, revoked ones included. */
export async function listStaff(db: D1Database): Promise<StaffRow[]> {
	const { results } = await db
		.prepare(`SELECT ${STAFF_COLUMNS} FROM staff ORDER BY created_at DESC, id`)
		.all<StoredStaffRow>();
	return results.map(parseAreas);
}

/**
 * Revokes a staff member's token (again: revoking twice is harmless), audited as
 * `staff.revoke` in one batch: only when it changed something, so an unknown id or a second
 * revocation writes no audit row.
 *
 * @returns The row as it is now, or null when there is no staff member with this id.
 */
export async function revokeStaff(
	db: D1Database,
	id: string,
	actor: string,
	at = Date.now(),
): Promise<StaffRow | null> {
	const [, , selected] = await db.batch([
		db
			.prepare(
				"UPDATE staff SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
			)
			.bind(at, actor, id),
		auditStatement(db, { actor, action: "staff.revoke", detail: { staffId: id } }, at, {
			onlyIfChanged: true,
		}),
		selectStaff(db, id),
	]);
	return selectedStaff(selected);
}

/**
 * Gives an unrevoked staff member a new token (the old one stops working at once, its hash is
 * gone) with a new expiry, audited as `staff.rotate` only when it happened.
 *
 * @returns The row as it is now and whether it was rotated (false: revoked), or null when there
 *   is no staff member with this id.
 */
export async function rotateToken(
	db: D1Database,
	input: { id: string; tokenHash: string; expiresAt: number; actor: string },
	at = Date.now(),
): Promise<{ row: StaffRow; rotated: boolean } | null> {
	const { id, tokenHash, expiresAt, actor } = input;
	const [updated, , selected] = await db.batch([
		db
			.prepare(
				"UPDATE staff SET token_hash = ?, expires_at = ?, rotated_at = ?, rotated_by = ? WHERE id = ? AND revoked_at IS NULL",
			)
			.bind(tokenHash, expiresAt, at, actor, id),
		auditStatement(db, { actor, action: "staff.rotate", detail: { staffId: id, expiresAt } }, at, {
			onlyIfChanged: true,
		}),
		selectStaff(db, id),
	]);
	const row = selectedStaff(selected);
	return row === null ? null : { row, rotated: (updated?.meta.changes ?? 0) > 0 };
}
