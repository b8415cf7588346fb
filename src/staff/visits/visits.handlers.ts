/**
 * The handler of home visits: checks the request and the date by the office clock, stores the
 * visit with its audit row and the resident's notice, then hands the notice over.
 *
 * @module
 */

import { settingsOf } from "../../env";
import { fieldProblem, Problem } from "../../http/problem";
import { deliverPending } from "../../notices/deliver";
import { isHomeVisitService, scheduleVisit, visitOf } from "../../requests/home-visits";
import { officeDate } from "../../standards/office-clock";
import { recipientName, visibleRequest } from "../access";
import { noticeBase } from "../case-work/notify";
import { actorOf, type StaffHandler } from "../types";
import type { SetVisitRoute } from "./visits.routes";

/**
 * Sets the visit and tells the resident, or the operator who filed it without the resident's
 * number (kept as a pending notice until their object has it).
 */
export const setVisit: StaffHandler<SetVisitRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const slot = c.req.valid("json");
	if (!(await isHomeVisitService(c.env.DB, record.service_code))) {
		throw new Problem(
			409,
			"not-home-visit",
			"Not a home visit",
			"This request is not a jemput bola request.",
		);
	}
	if (record.closed_at !== null) {
		throw new Problem(409, "closed", "Request closed", `The request is ${record.status}.`);
	}
	const today = officeDate(Date.now(), settingsOf(c.env).get("OFFICE_TIME_ZONE"));
	if (slot.date < today) throw fieldProblem("body.date", `must be today (${today}) or later`);
	const conversation = await recipientName(c.env, record);
	// A retried call for the slot already set changes nothing and tells nobody again.
	const current = await visitOf(c.env.DB, record.id);
	if (current?.date === slot.date && current.from === slot.from && current.to === slot.to) {
		const residentNotified = conversation !== null;
		return c.json({ id: record.id, ticket: record.ticket, ...slot, residentNotified }, 200);
	}

	const noticeId = crypto.randomUUID();
	const notice = {
		...noticeBase(record, noticeId),
		kind: "visit" as const,
		...slot,
		reminder: false,
	};
	await scheduleVisit(
		c.env.DB,
		record.id,
		slot,
		{
			staffId: staff.id,
			audit: {
				actor: actorOf(staff),
				action: "request.visit",
				requestId: record.id,
				detail: { noticeId, ...slot },
			},
		},
		conversation === null ? null : { id: noticeId, conversation, payload: notice },
	);
	const residentNotified =
		conversation !== null && (await deliverPending(c.env, record.id, { tries: 3 })).has(noticeId);
	return c.json({ id: record.id, ticket: record.ticket, ...slot, residentNotified }, 200);
};
