/**
 * Handlers of service standards: thin, over `src/catalog/standards.ts`.
 *
 * @module
 */

import { loadCatalog } from "../../catalog/catalog";
import { changeStandard, listStandards } from "../../catalog/standards";
import { Problem } from "../../http/problem";
import { actorOf, type StaffHandler } from "../types";
import type { ListRoute, UpdateRoute } from "./services.routes";

/** Every service's standard, with its variants from the catalog. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const [standards, catalog] = await Promise.all([listStandards(c.env.DB), loadCatalog(c.env.DB)]);
	const services = standards.map((standard) => ({
		...standard,
		variants: (catalog.services.find((s) => s.code === standard.code)?.variants ?? []).map((v) => ({
			code: v.code,
			label: v.label,
		})),
	}));
	return c.json({ services }, 200);
};

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
