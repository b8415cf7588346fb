/**
 * Handlers of areas: the list, and an admin's change of an office's contact.
 *
 * @module
 */

import { changeAreaContact, listAreaContacts } from "../../catalog/area-contacts";
import { Problem } from "../../http/problem";
import { actorOf, type StaffHandler } from "../types";
import type { ListRoute, UpdateRoute } from "./areas.routes";

/** Every area with its office's contact. */
export const list: StaffHandler<ListRoute> = async (c) => {
	return c.json({ areas: await listAreaContacts(c.env.DB) }, 200);
};

/** Changes an area office's contact. */
export const update: StaffHandler<UpdateRoute> = async (c) => {
	const area = await changeAreaContact(
		c.env.DB,
		c.req.valid("param").code,
		c.req.valid("json"),
		actorOf(c.get("staff")),
	);
	if (area === null) throw new Problem(404, "not-found", "Not found", "No area with this code.");
	return c.json(area, 200);
};
