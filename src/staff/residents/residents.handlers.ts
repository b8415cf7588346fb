/**
 * Handlers of residents' data rights: erasure (admin only).
 *
 * @module
 */

import { actorOf, type StaffHandler } from "../types";
import { eraseResident } from "./resident-erasure";
import type { EraseRoute } from "./residents.routes";

/** Erases a resident's personal data now; 409 while one of their requests is open. */
export const erase: StaffHandler<EraseRoute> = async (c) => {
	const body = c.req.valid("json");
	const who =
		body.phone !== undefined
			? ({ kind: "phone", phone: body.phone } as const)
			: ({ kind: "nik", nik: body.nik ?? "" } as const);
	const erasure = await eraseResident(c.env, who, actorOf(c.get("staff")));
	return c.json(
		{
			id: erasure.id,
			at: erasure.at,
			requests: erasure.requests,
			conversations: erasure.conversations,
			files: erasure.files,
		},
		200,
	);
};
