/**
 * Handlers of staff accounts: checks on the body, then the `staff` table's query module.
 *
 * @module
 */

import { fieldProblem, Problem } from "../../http/problem";
import { hashToken, newToken } from "../auth";
import { actorOf, type StaffHandler } from "../types";
import { areaExists, insertStaff, listStaff, revokeStaff, type StaffRow } from "./staff.queries";
import type { CreateRoute, ListRoute, RevokeRoute } from "./staff.routes";

const toStaff = (row: StaffRow) => ({
	id: row.id,
	name: row.name,
	role: row.role,
	kelurahan: row.kelurahan,
	createdAt: row.created_at,
	createdBy: row.created_by,
	revokedAt: row.revoked_at,
});

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
	const row: StaffRow = {
		id: crypto.randomUUID(),
		name: body.name,
		role: body.role,
		kelurahan: body.kelurahan ?? null,
		created_at: Date.now(),
		created_by: actorOf(c.get("staff")),
		revoked_at: null,
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
	if (row === null)
		throw new Problem(404, "not-found", "Not found", "No staff member with this id.");
	return c.json(toStaff(row), 200);
};
