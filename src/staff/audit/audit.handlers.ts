import { audit, auditPage } from "../../requests/audit";
import { cursorParam } from "../access";
import { officeBounds } from "../time-bounds";
import { actorOf, type StaffHandler } from "../types";
import type { ListRoute } from "./audit.routes";

/** One page of the audit log; the read is itself audited (`audit.list`, with the filters). */
export const list: StaffHandler<ListRoute> = async (c) => {
	const query = officeBounds(c.env, c.req.valid("query"));
	const filters: Record<string, string | number | boolean> = {
		limit: query.limit,
		cursor: query.cursor !== undefined,
	};
	for (const name of ["actor", "request", "action", "from", "to"] as const) {
		const value = query[name];
		if (value !== undefined) filters[name] = value;
	}
	const { cursor, ...where } = query;
	const after = cursorParam(cursor);
	const page = await auditPage(c.env.DB, {
		...where,
		...(after === undefined ? {} : { cursor: after }),
	});
	await audit(c.env.DB, { actor: actorOf(c.get("staff")), action: "audit.list", detail: filters });
	return c.json(
		{
			items: page.rows.map((row) => ({
				id: row.id,
				at: row.at,
				actor: row.actor,
				action: row.action,
				requestId: row.request_id,
				detail: JSON.parse(row.detail) as Record<string, unknown>,
			})),
			nextCursor: page.nextCursor,
		},
		200,
	);
};
