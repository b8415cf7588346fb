/**
 * Each area's office contact (address, phone, hours): told to residents who need their kelurahan's
 * help, and changed by an admin (PATCH /api/v1/areas/{code}) with its audit row in the same batch.
 *
 * @module
 */

import { auditStatement } from "../requests/audit";

/** An area with its kecamatan and its office's contact (null where nobody filled it in). */
export interface AreaContact {
	code: string;
	name: string;
	kind: "kelurahan" | "desa";
	kecamatan: { code: string; name: string };
	office: { address: string | null; phone: string | null; hours: string | null };
}

interface AreaRow {
	code: string;
	name: string;
	kind: "kelurahan" | "desa";
	kecamatan_code: string;
	kecamatan_name: string;
	office_address: string | null;
	office_phone: string | null;
	office_hours: string | null;
}

const SELECT = `SELECT a.code, a.name, a.kind, a.kecamatan_code, k.name AS kecamatan_name,
		a.office_address, a.office_phone, a.office_hours
	FROM areas a JOIN kecamatan k ON k.code = a.kecamatan_code`;

function toContact(row: AreaRow): AreaContact {
	return {
		code: row.code,
		name: row.name,
		kind: row.kind,
		kecamatan: { code: row.kecamatan_code, name: row.kecamatan_name },
		office: { address: row.office_address, phone: row.office_phone, hours: row.office_hours },
	};
}

/** Every area, in the catalog's order (kecamatan, then area). */
export async function listAreaContacts(db: D1Database): Promise<AreaContact[]> {
	const { results } = await db
		.prepare(`${SELECT} ORDER BY k.sort_order, k.code, a.sort_order, a.code`)
		.all<AreaRow>();
	return results.map(toContact);
}

/** The fields an admin may change; null clears one. */
export interface ContactChange {
	address?: string | null;
	phone?: string | null;
	hours?: string | null;
}

const COLUMNS = {
	address: "office_address",
	phone: "office_phone",
	hours: "office_hours",
} as const;

/**
 * Changes an area office's contact, audited as `area.update` (which fields, never their values
 * beyond the area code: an office's contact is public, but the row records who changed what).
 *
 * @returns The area after the change, or null when there is no such area (nothing written).
 */
export async function changeAreaContact(
	db: D1Database,
	code: string,
	change: ContactChange,
	actor: string,
): Promise<AreaContact | null> {
	const fields = (Object.keys(COLUMNS) as (keyof ContactChange)[]).filter(
		(field) => change[field] !== undefined,
	);
	const statements: D1PreparedStatement[] = [];
	if (fields.length > 0) {
		statements.push(
			db
				.prepare(
					`UPDATE areas SET ${fields.map((f) => `${COLUMNS[f]} = ?`).join(", ")} WHERE code = ?`,
				)
				.bind(...fields.map((f) => change[f] ?? null), code),
			auditStatement(db, { actor, action: "area.update", detail: { code, fields } }, Date.now(), {
				onlyIfChanged: true,
			}),
		);
	}
	const results = await db.batch([
		...statements,
		db.prepare(`${SELECT} WHERE a.code = ?`).bind(code),
	]);
	const row = (results.at(-1)?.results as AreaRow[] | undefined)?.[0];
	return row === undefined ? null : toContact(row);
}
