/**
 * Handlers of reading requests: each checks visibility, reads through `requests/` (and the
 * resident's Conversation object for chat state), audits the read and answers.
 *
 * @module
 */

import { settingsOf } from "../../env";
import { Problem } from "../../http/problem";
import { audit } from "../../requests/audit";
import {
	openHandoff,
	requestAttachments,
	requestEvents,
	requestNotes,
	serviceRequirements,
} from "../../requests/details";
import { listRequests } from "../../requests/queue";
import type { RequestRecord } from "../../requests/record";
import type { RequestStatus } from "../../requests/statuses";
import { workingDaysBetween } from "../../standards/calendar";
import { loadCalendar } from "../../standards/calendar-store";
import { officeDate } from "../../standards/office-clock";
import { conversationOf, cursorParam, visibleRequest } from "../access";
import { actorOf, type StaffHandler } from "../types";
import { detailBody, downloadName, listAuditDetail } from "./request-views";
import type { DetailRoute, FileRoute, ListRoute, TranscriptRoute } from "./requests.routes";

/** The queue, scoped to the caller's area for a kelurahan operator; audited without personal data. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const query = c.req.valid("query");
	const staff = c.get("staff");
	const { cursor, overdue, ...filters } = query;
	const after = cursorParam(cursor);
	const today = officeDate(Date.now(), settingsOf(c.env).get("OFFICE_TIME_ZONE"));
	const page = await listRequests(c.env.DB, {
		...filters,
		...(overdue === true ? { overdueOn: today } : {}),
		...(after === undefined ? {} : { cursor: after }),
		scopeArea: staff.role === "kelurahan" ? staff.kelurahan : null,
	});
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "requests.list",
		detail: listAuditDetail(query, page.items.length),
	});
	return c.json(page, 200);
};

/** One request with everything about it. */
export const detail: StaffHandler<DetailRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const conversation = conversationOf(c.env, record);
	const [requirements, attachments, events, notes, handoff, chat] = await Promise.all([
		serviceRequirements(c.env.DB, record.service_code, record.variant_code),
		requestAttachments(c.env.DB, record.id),
		requestEvents(c.env.DB, record.id),
		requestNotes(c.env.DB, record.id),
		record.business_id !== null && record.resident_id !== null
			? openHandoff(c.env.DB, record.business_id, record.resident_id)
			: null,
		conversation === null ? null : conversation.caseState(record.id),
	]);
	await audit(c.env.DB, { actor: actorOf(staff), action: "request.view", requestId: record.id });
	const body = detailBody(record, {
		requirements,
		attachments,
		events,
		notes,
		handoffAsked: handoff !== null,
		chat,
		daysToDue: await daysToDue(c.env, record),
	});
	return c.json(body, 200);
};

/** Working days from today to an open request's due date; null when the clock is not running. */
async function daysToDue(env: Env, record: RequestRecord): Promise<number | null> {
	if (record.due_date === null || !RUNNING.has(record.status)) return null;
	const timeZone = settingsOf(env).get("OFFICE_TIME_ZONE");
	const calendar = await loadCalendar(env.DB, timeZone);
	const days = workingDaysBetween(calendar, officeDate(Date.now(), timeZone), record.due_date);
	return days.ok ? days.value : null;
}

/** Statuses whose clock runs (needs_revision stops it; final statuses end it). */
const RUNNING: ReadonlySet<RequestStatus> = new Set(["submitted", "in_review", "processing"]);

/** One of the request's files, streamed from R2 as a download. */
export const file: StaffHandler<FileRoute> = async (c) => {
	const staff = c.get("staff");
	const { id, attachmentId } = c.req.valid("param");
	const record = await visibleRequest(c.env.DB, staff, id);
	const attachments = await requestAttachments(c.env.DB, record.id);
	const found = attachments.find((a) => a.id === attachmentId);
	if (found === undefined) {
		throw new Problem(404, "not-found", "Not found", "No such file on this request.");
	}
	const object = await c.env.FILES.get(found.r2_key);
	if (object === null) {
		throw new Problem(
			404,
			"not-found",
			"Not found",
			"The file is no longer stored (deleted after its retention period, or never stored).",
		);
	}
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "attachment.view",
		requestId: record.id,
		detail: { attachmentId: found.id, docCode: found.doc_code },
	});
	return new Response(object.body, {
		status: 200,
		headers: {
			"content-type": object.httpMetadata?.contentType ?? found.mime_type,
			"content-length": String(object.size),
			"content-disposition": `attachment; filename="${downloadName(record.ticket, found, attachments)}"`,
			"cache-control": "private, no-store",
			"x-content-type-options": "nosniff",
		},
	});
};

/** The WhatsApp messages about the request, from the resident's Conversation object. */
export const transcript: StaffHandler<TranscriptRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const conversation = conversationOf(c.env, record);
	const entries = conversation === null ? [] : await conversation.transcript(record.id);
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "request.transcript",
		requestId: record.id,
		detail: { messages: entries.length },
	});
	const messages = entries.map((e) => ({
		direction: e.direction,
		at: e.at,
		messageId: e.messageId,
		kind: e.kind,
		text: e.text,
		state: e.state,
		delivery: e.delivery,
		error: e.error,
	}));
	return c.json({ messages }, 200);
};
