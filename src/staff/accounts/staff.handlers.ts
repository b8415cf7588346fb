/**
 * Handlers of staff accounts: checks on the body, then the `staff` table's query module.
 *
 * @module
 */

import { fieldProblem, Problem } from "../../http/problem";
import { hashToken, newToken } from "../auth";
import { sendIdOf } from "../idempotency";
import { actorOf, type StaffHandler } from "../types";
import {
	insertStaff,
	knownAreaCodes,
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
	areas: row.areas,
});

/**
 * A kelurahan operator's home area and areas from the body (`kelurahan`, `areas` or both), each
 * code checked against the catalog; none for other roles. 400 naming the field otherwise.
 */
async function operatorAreas(
	db: D1Database,
	body: { role: StaffRow["role"]; kelurahan?: string | undefined; areas?: string[] | undefined },
): Promise<{ home: string | null; areas: string[] }> {
	const given = body.kelurahan !== undefined || body.areas !== undefined;
	if ((body.role === "kelurahan") !== given) {
		throw fieldProblem("body.kelurahan", "required for the kelurahan role, refused otherwise");
	}
	if (!given) return { home: null, areas: [] };
	const codes = [...new Set([...(body.kelurahan ? [body.kelurahan] : []), ...(body.areas ?? [])])];
	const known = await knownAreaCodes(db, codes);
	// A kelurahan given as the home area must be an area itself, not a kecamatan.
	if (body.kelurahan !== undefined && known.get(body.kelurahan) !== body.kelurahan) {
		throw fieldProblem("body.kelurahan", "unknown area code");
	}
	const unknown = (body.areas ?? []).findIndex((code) => !known.has(code));
	if (unknown >= 0) throw fieldProblem(`body.areas.${unknown}`, "unknown area or kecamatan code");
	const first = codes[0] as string;
	return { home: body.kelurahan ?? (known.get(first) as string), areas: codes.sort() };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates a staff member; their token is in this answer only. */
export const create: StaffHandler<CreateRoute> = async (c) => {
	const body = c.req.valid("json");
	const { home, areas } = await operatorAreas(c.env.DB, body);
	const token = newToken();
	const now = Date.now();
	const actor = actorOf(c.get("staff"));
	// With a key, the id comes from it: a repeated creation finds its member already there.
	const id = await sendIdOf(c.req.valid("header")["idempotency-key"], {
		action: "staff.create",
		staffId: actor,
		resourceId: "staff",
	});
	const row: StaffRow = {
		id,
		name: body.name,
		role: body.role,
		kelurahan: home,
		areas,
		created_at: now,
		created_by: actor,
		revoked_at: null,
		expires_at: now + body.expiresInDays * DAY_MS,
		phone: body.phone ?? null,
	};
	if (!(await insertStaff(c.env.DB, row, await hashToken(token)))) {
		throw new Problem(
			409,
			"already-created",
			"Already created",
			"An earlier call with this Idempotency-Key created this member; its token was shown only then. Rotate the token if it was not kept.",
			{ extensions: { id } },
		);
	}
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
