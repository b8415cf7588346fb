/**
 * Handlers of service standards: thin, over `src/catalog/standards.ts`.
 *
 * @module
 */

import { changeStandard, listStandards } from "../../catalog/standards";
import { Problem } from "../../http/problem";
import { actorOf, type StaffHandler } from "../types";
import type { ListRoute, UpdateRoute } from "./services.routes";

/** Every service's standard. */
export const list: StaffHandler<ListRoute> = async (c) =>
	c.json({ services: await listStandards(c.env.DB) }, 200);

/** Changes one service's standard (audited with the new values). */
export const update: StaffHandler<UpdateRoute> = async (c) => {
	const { code } = c.req.valid("param");
	const changed = await changeStandard(
		c.env.DB,
		code,
		c.req.valid("json"),
		actorOf(c.get("staff")),
	);
	if (changed === null) throw new Problem(404, "not-found", "Not found", `No service ${code}.`);
	return c.json(changed, 200);
};
