/**
 * Each service's standard (standar pelayanan): time limit in working days, fee, product, daily
 * quota, and whether it is offered. Read for the staff API and for a submission; changed by an
 * admin (PATCH /api/v1/services/{code}) with its audit row in the same transaction.
 *
 * @module
 */

import { type AuditEntry, auditStatement } from "../requests/audit";
import type { Labels } from "./catalog";

/** A service's standard as the product uses it. */
export interface ServiceStandard {
	code: string;
	label: Labels;
	resultKind: "pdf" | "card";
	/** Working days from the queue date to the due date. */
	timeLimitDays: number;
	/** Rupiah; always 0 (UU 24/2013 Pasal 79A). */
	fee: number;
	product: Labels;
	/** Requests accepted per working day, or null for no quota. */
	dailyQuota: number | null;
	active: boolean;
}

interface StandardRow {
	code: string;
	label_id: string;
	label_en: string;
	result_kind: "pdf" | "card";
	time_limit_days: number;
	fee: number;
	product_id: string;
	product_en: string;
	daily_quota: number | null;
	active: number;
}

const SELECT = `SELECT code, label_id, label_en, result_kind, time_limit_days, fee, product_id,
	product_en, daily_quota, active FROM services`;

function toStandard(row: StandardRow): ServiceStandard {
	return {
		code: row.code,
		label: { id: row.label_id, en: row.label_en },
		resultKind: row.result_kind,
		timeLimitDays: row.time_limit_days,
		fee: row.fee,
		product: { id: row.product_id, en: row.product_en },
		dailyQuota: row.daily_quota,
		active: row.active === 1,
	};
}

/** Every service's standard, inactive ones included, in the catalog's order. */
export async function listStandards(db: D1Database): Promise<ServiceStandard[]> {
	const { results } = await db.prepare(`${SELECT} ORDER BY sort_order, code`).all<StandardRow>();
	return results.map(toStandard);
}

/** One service's standard, or null when there is no such service. */
export async function serviceStandard(
	db: D1Database,
	code: string,
): Promise<ServiceStandard | null> {
	const row = await db.prepare(`${SELECT} WHERE code = ?`).bind(code).first<StandardRow>();
	return row === null ? null : toStandard(row);
}

/** The fields an admin may change. */
export interface StandardChange {
	timeLimitDays?: number;
	dailyQuota?: number | null;
	active?: boolean;
}

/**
 * Changes a service's standard and records who did it (`service.update`, with the new values).
 *
 * @returns The standard after the change, or null when there is no such service (nothing written).
 */
export async function changeStandard(
	db: D1Database,
	code: string,
	change: StandardChange,
	actor: string,
): Promise<ServiceStandard | null> {
	const sets: string[] = [];
	const values: (string | number | null)[] = [];
	const detail: NonNullable<AuditEntry["detail"]> = { code };
	if (change.timeLimitDays !== undefined) {
		sets.push("time_limit_days = ?");
		values.push(change.timeLimitDays);
		detail.timeLimitDays = change.timeLimitDays;
	}
	if (change.dailyQuota !== undefined) {
		sets.push("daily_quota = ?");
		values.push(change.dailyQuota);
		detail.dailyQuota = change.dailyQuota;
	}
	if (change.active !== undefined) {
		sets.push("active = ?");
		values.push(change.active ? 1 : 0);
		detail.active = change.active;
	}
	if (sets.length === 0) throw new TypeError("changeStandard: nothing to change");
	await db.batch([
		db.prepare(`UPDATE services SET ${sets.join(", ")} WHERE code = ?`).bind(...values, code),
		auditStatement(db, { actor, action: "service.update", detail }, Date.now(), {
			onlyIfChanged: true,
		}),
	]);
	return serviceStandard(db, code);
}
