/**
 * Handlers of staff accounts: checks on the body, then the `staff` table's query module.
 *
 * @module
 */

import { fieldProblem, Problem } from "../../http/problem";
import { hashToken, newToken } from "../auth";
import { actorOf, type StaffHandler } from "../types";
import {
	areaExists,
	insertStaff,
	listStaff,
	revokeStaff,
	rotateToken,
	type StaffRow,
} from "./staff.queries";
import type { CreateRoute, ListRoute, RevokeRoute, RotateRoute } from "./staff.routes";

const toStaff = (row: StaffRow) => ({
	id: row.id,
	name: row.name,
	role: row.role,
	kelurahan: row.kelurahan,
	createdAt: row.created_at,
	createdBy: row.created_by,
	revokedAt: row.revoked_at,
	expiresAt: row.expires_at,
	phone: row.phone,
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates a staff member; their token is in this answer only. */
export const create: StaffHandler<CreateRoute> = async (c) => {
	const body = c.req.valid("json");
	if ((body.role === "kelurahan") !== (body.kelurahan !== undefined)) {
		throw fieldProblem("body.kelurahan", "required for the kelurahan role, refused otherwise");
	}
	if (body.kelurahan !== undefined && !(await areaExists(c.env.DB, body.kelurahan))) {
		throw fieldProblem("body.kelurahan", "unknown area code");
	}
	const token = newToken();
	const now = Date.now();
	const row: StaffRow = {
		id: crypto.randomUUID(),
		name: body.name,
		role: body.role,
		kelurahan: body.kelurahan ?? null,
		created_at: now,
		created_by: actorOf(c.get("staff")),
		revoked_at: null,
		expires_at: now + body.expiresInDays * DAY_MS,
		phone: body.phone ?? null,
	};
	await insertStaff(c.env.DB, row, await hashToken(token));
	return c.json({ ...toStaff(row), token }, 201);
};

/** All staff, newest first. */
export const list: StaffHandler<ListRoute> = async (c) => {
	return c.json({ staff: (await listStaff(c.env.DB)).map(toStaff) }, 200);
};

/** Revokes a token; revoking twice answers the same row. */
export const revoke: StaffHandler<RevokeRoute> = async (c) => {
	const row = await revokeStaff(c.env.DB, c.req.valid("param").id, actorOf(c.get("staff")));
	if (row === null) throw noSuchStaff();
	return c.json(toStaff(row), 200);
};

/** Replaces a staff member's token: the new one is in this answer only, the old one is revoked. */
export const rotate: StaffHandler<RotateRoute> = async (c) => {
	// The body is optional: without one the new token gets the default lifetime.
	const expiresInDays = c.req.valid("json")?.expiresInDays ?? 90;
	const token = newToken();
	const at = Date.now();
	const outcome = await rotateToken(
		c.env.DB,
		{
			id: c.req.valid("param").id,
			tokenHash: await hashToken(token),
			expiresAt: at + expiresInDays * DAY_MS,
			actor: actorOf(c.get("staff")),
		},
		at,
	);
	if (outcome === null) throw noSuchStaff();
	if (!outcome.rotated) {
		throw new Problem(
			409,
			"revoked",
			"Staff member revoked",
			"A revoked staff member gets no new token: create a new staff member instead.",
		);
	}
	return c.json({ ...toStaff(outcome.row), token }, 200);
};

const noSuchStaff = () =>
	new Problem(404, "not-found", "Not found", "No staff member with this id.");
