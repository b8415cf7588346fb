/**
 * Handlers of complaints: each loads the complaint as the caller may see it (a kelurahan
 * operator only those about their area's requests), writes through `requests/complaints.ts`
 * (audited there) and tells the resident through their Conversation object.
 *
 * @module
 */

import { conversationFor } from "../../conversation/address";
import { settingsOf } from "../../env";
import { Problem } from "../../http/problem";
import { audit } from "../../requests/audit";
import {
	type ComplaintRow,
	closeComplaint,
	complaintReplies,
	findComplaint,
	listComplaints,
	recordComplaintReply,
} from "../../requests/complaints";
import { complaintSettings, setComplaintDays } from "../../requests/office-settings";
import { officeDate } from "../../standards/office-clock";
import { cursorParam } from "../access";
import { Denied } from "../auth";
import { sendIdOf } from "../idempotency";
import { officeBounds } from "../time-bounds";
import { actorOf, type StaffHandler, type StaffPrincipal, servesArea } from "../types";
import type {
	CloseRoute,
	DetailRoute,
	ListRoute,
	PhotoRoute,
	ReplyRoute,
	SettingsRoute,
	UpdateSettingsRoute,
} from "./complaints.routes";

/** Today in the office's time zone: what "overdue" is measured against. */
function today(env: Env): string {
	return officeDate(Date.now(), settingsOf(env).get("OFFICE_TIME_ZONE"));
}

/**
 * The scoping rule of complaints: a kelurahan operator sees a complaint only when it is about a
 * request of their kelurahan; any other answers 404 like a missing one (audited as denied).
 */
async function visibleComplaint(
	db: D1Database,
	staff: StaffPrincipal,
	idOrTicket: string,
): Promise<ComplaintRow> {
	const row = await findComplaint(db, idOrTicket);
	const notFound = new Problem(
		404,
		"not-found",
		"Not found",
		"No complaint with this id or ticket.",
	);
	if (row === null) throw notFound;
	if (row.area_code === null ? staff.role === "kelurahan" : !servesArea(staff, row.area_code)) {
		throw new Denied(notFound, row.request_id);
	}
	return row;
}

function summaryOf(row: ComplaintRow, day: string) {
	return {
		id: row.id,
		ticket: row.ticket,
		status: row.status,
		requestId: row.request_id,
		requestTicket: row.request_ticket,
		areaCode: row.area_code,
		createdAt: row.created_at,
		dueDate: row.due_date,
		overdue: row.status === "open" && row.due_date < day,
		answeredAt: row.answered_at,
		closedAt: row.closed_at,
		hasPhoto: row.attachment_key !== null,
	};
}

async function detailOf(db: D1Database, row: ComplaintRow, day: string) {
	const replies = await complaintReplies(db, row.id);
	return {
		...summaryOf(row, day),
		text: row.body,
		closedBy: row.closed_by,
		replies: replies.map((r) => ({ id: r.id, author: r.staff_id, text: r.body, at: r.created_at })),
	};
}

/** Complaints, newest first; a kelurahan operator's only about their area. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const staff = c.get("staff");
	const query = officeBounds(c.env, c.req.valid("query"));
	const cursor = cursorParam(query.cursor);
	const day = today(c.env);
	const page = await listComplaints(c.env.DB, {
		...(query.status ? { status: query.status } : {}),
		overdue: query.overdue === "true",
		today: day,
		...(query.request ? { requestId: query.request } : {}),
		...(query.from !== undefined ? { from: query.from } : {}),
		...(query.to !== undefined ? { to: query.to } : {}),
		// A kelurahan operator without an area sees nothing rather than everything.
		...(staff.role === "kelurahan" ? { areas: staff.areas } : {}),
		limit: query.limit,
		...(cursor ? { cursor } : {}),
	});
	return c.json(
		{
			complaints: page.complaints.map((row) => summaryOf(row, day)),
			nextCursor: page.nextCursor,
		},
		200,
	);
};

/** One complaint with its answers; the view is audited (the text is the resident's). */
export const detail: StaffHandler<DetailRoute> = async (c) => {
	const staff = c.get("staff");
	const row = await visibleComplaint(c.env.DB, staff, c.req.valid("param").id);
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "complaint.view",
		requestId: row.request_id,
		detail: { complaintId: row.id },
	});
	return c.json(await detailOf(c.env.DB, row, today(c.env)), 200);
};

/** The complaint's photo, streamed; every view audited. */
export const photo: StaffHandler<PhotoRoute> = async (c) => {
	const staff = c.get("staff");
	const row = await visibleComplaint(c.env.DB, staff, c.req.valid("param").id);
	const object = row.attachment_key === null ? null : await c.env.FILES.get(row.attachment_key);
	if (object === null) {
		throw new Problem(404, "not-found", "Not found", "This complaint has no stored photo.");
	}
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "complaint.photo",
		requestId: row.request_id,
		detail: { complaintId: row.id },
	});
	return new Response(object.body, {
		status: 200,
		headers: {
			"content-type": row.attachment_type ?? "application/octet-stream",
			"content-length": String(object.size),
			"cache-control": "private, no-store",
			"x-content-type-options": "nosniff",
		},
	});
};

/**
 * Answers the resident: queued on their object first (idempotent on the reply's id; 503 and
 * nothing recorded when it cannot be), then recorded and audited.
 */
export const reply: StaffHandler<ReplyRoute> = async (c) => {
	const staff = c.get("staff");
	const row = await visibleComplaint(c.env.DB, staff, c.req.valid("param").id);
	if (row.closed_at !== null) {
		throw new Problem(
			409,
			"complaint-closed",
			"Complaint closed",
			"A closed complaint takes no answer.",
		);
	}
	if (row.business_id === "" || row.resident_id === "") {
		throw new Problem(409, "no-whatsapp", "No WhatsApp resident", "The resident was erased.");
	}
	const replyId = await sendIdOf(c.req.valid("header")["idempotency-key"], {
		action: "complaint.reply",
		staffId: actorOf(staff),
		resourceId: row.id,
	});
	const text = c.req.valid("json").text;
	try {
		await conversationFor(c.env, row.business_id, row.resident_id).complaintReply({
			replyId,
			complaintId: row.id,
			ticket: row.ticket,
			text,
		});
	} catch {
		throw new Problem(503, "unavailable", "Try again", "The answer could not be queued.");
	}
	await recordComplaintReply(c.env.DB, {
		id: replyId,
		complaintId: row.id,
		actor: actorOf(staff),
		body: text,
	});
	return c.json({ queued: true as const, replyId }, 202);
};

/** Closes the complaint (again: no change). */
export const close: StaffHandler<CloseRoute> = async (c) => {
	const staff = c.get("staff");
	const row = await visibleComplaint(c.env.DB, staff, c.req.valid("param").id);
	await closeComplaint(c.env.DB, row.id, actorOf(staff));
	const closed = await visibleComplaint(c.env.DB, staff, row.id);
	return c.json(await detailOf(c.env.DB, closed, today(c.env)), 200);
};

/** The complaint time limit. */
export const settings: StaffHandler<SettingsRoute> = async (c) =>
	c.json(await complaintSettings(c.env.DB), 200);

/** Sets the complaint time limit (audited). */
export const updateSettings: StaffHandler<UpdateSettingsRoute> = async (c) => {
	await setComplaintDays(c.env.DB, c.req.valid("json").timeLimitDays, actorOf(c.get("staff")));
	return c.json(await complaintSettings(c.env.DB), 200);
};
