/**
 * Handlers of reading requests: each checks visibility, reads through `requests/` (and the
 * resident's Conversation object for chat state), audits the read and answers.
 *
 * @module
 */

import type { z } from "@hono/zod-openapi";
import { conversationFor } from "../../conversation/address";
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
import {
	classifySearch,
	listRequests,
	type RequestSummary,
	type Search,
} from "../../requests/queue";
import type { RequestRecord } from "../../requests/record";
import type { RequestStatus } from "../../requests/statuses";
import { optedOutSince } from "../../residents/opt-outs";
import { type WorkingCalendar, workingDaysBetween } from "../../standards/calendar";
import { loadCalendar } from "../../standards/calendar-store";
import type { IsoDate } from "../../standards/iso-date";
import { officeDate } from "../../standards/office-clock";
import { conversationOf, cursorParam, mayReadAll, visibleRequest } from "../access";
import { officeBounds } from "../time-bounds";
import { actorOf, type StaffHandler } from "../types";
import { detailBody, downloadName, listAuditDetail } from "./request-views";
import type {
	DetailRoute,
	FileRoute,
	ListRoute,
	SearchRoute,
	TranscriptRoute,
} from "./requests.routes";
import type { ListQuerySchema } from "./requests.schemas";

/** Where a NIK or phone search goes: in a body, out of every URL and access log. */
const SEARCH_PATH = "/api/v1/requests/search";

/** A search read as the route allows it; a NIK or phone in a URL is turned away. */
function querySearch(q: string | undefined): Search | null {
	const search = q === undefined ? null : classifySearch(q);
	if (search?.kind === "nik" || search?.kind === "phone") {
		const message = `a ${search.kind === "nik" ? "NIK" : "phone number"} must not be in a URL (access logs keep URLs): POST it to ${SEARCH_PATH} as {"${search.kind}": ...}`;
		throw new Problem(400, "search-in-body", "Search by NIK or phone in the body", message, {
			extensions: { errors: [{ field: "query.q", message }], search: SEARCH_PATH },
		});
	}
	return search;
}

/** One page of the queue, scoped to the caller's area for a kelurahan operator, audited. */
async function queuePage(
	c: Parameters<StaffHandler<ListRoute>>[0] | Parameters<StaffHandler<SearchRoute>>[0],
	action: "requests.list" | "requests.search",
	query: Omit<z.output<typeof ListQuerySchema>, "q">,
	search: Search | null,
) {
	const staff = c.get("staff");
	const filters = officeBounds(c.env, query, action === "requests.search" ? "body" : "query");
	const { cursor, overdue, include, ...rest } = filters;
	const after = cursorParam(cursor);
	const today = officeDate(Date.now(), settingsOf(c.env).get("OFFICE_TIME_ZONE"));
	const page = await listRequests(c.env.DB, {
		...rest,
		search,
		...(overdue === true ? { overdueOn: today } : {}),
		...(after === undefined ? {} : { cursor: after }),
		scopeAreas: staff.role === "kelurahan" ? staff.areas : null,
	});
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action,
		detail: listAuditDetail(filters, search, page.items.length),
	});
	const late = await lateness(c.env);
	const windows =
		include === "window"
			? await Promise.all(
					page.items.map((item, i) => {
						const chat = page.chats[i];
						return chat === null || chat === undefined
							? null
							: conversationFor(c.env, chat.businessId, chat.residentId)
									.caseState(item.id)
									.then((state) => ({ windowOpenUntil: state.windowOpenUntil }));
					}),
				)
			: null;
	return {
		items: page.items.map((item, i) => ({
			...item,
			daysLate: late(item),
			...(windows === null ? {} : { whatsapp: windows[i] ?? null }),
		})),
		nextCursor: page.nextCursor,
	};
}

/** Working days an open listed request is late (null when it is not), on one calendar read. */
async function lateness(env: Env): Promise<(item: RequestSummary) => number | null> {
	const timeZone = settingsOf(env).get("OFFICE_TIME_ZONE");
	const calendar = await loadCalendar(env.DB, timeZone);
	const today = officeDate(Date.now(), timeZone);
	return (item) => {
		if (item.dueDate === null || item.dueDate >= today || !RUNNING.has(item.status)) return null;
		const days = workingDaysTo(calendar, today, item.dueDate);
		return days === null ? null : -days;
	};
}

/**
 * Working days from `today` to a due date, negative when late. A due date already past is at
 * least a day late, on a closed day right after it too (no working day has passed since, but
 * the day it was due is over): so `daysLate` agrees with `overdue`, which lists every open
 * request due before today. Null without calendar data.
 */
function workingDaysTo(calendar: WorkingCalendar, today: IsoDate, due: IsoDate): number | null {
	const days = workingDaysBetween(calendar, today, due);
	if (!days.ok) return null;
	return due < today ? Math.min(-1, days.value) : days.value;
}

/** The queue by filters, ticket or name prefix. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const { q, ...filters } = c.req.valid("query");
	return c.json(await queuePage(c, "requests.list", filters, querySearch(q)), 200);
};

/** The queue searched by NIK, phone or text from the body, so the identifier stays out of URLs. */
export const search: StaffHandler<SearchRoute> = async (c) => {
	const { nik, phone, q, ...filters } = c.req.valid("json");
	const found: Search | null =
		nik !== undefined
			? { kind: "nik", value: nik }
			: phone !== undefined
				? { kind: "phone", value: phone }
				: classifySearch(q ?? "");
	return c.json(await queuePage(c, "requests.search", filters, found), 200);
};

/** One request with everything about it. */
export const detail: StaffHandler<DetailRoute> = async (c) => {
	const staff = c.get("staff");
	const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
	const conversation = conversationOf(c.env, record);
	const chatIds =
		record.business_id !== null && record.resident_id !== null
			? { businessId: record.business_id, residentId: record.resident_id }
			: null;
	const [requirements, attachments, events, notes, handoff, chat, optedOut] = await Promise.all([
		serviceRequirements(c.env.DB, record.service_code, record.variant_code),
		requestAttachments(c.env.DB, record.id),
		requestEvents(c.env.DB, record.id),
		requestNotes(c.env.DB, record.id),
		chatIds === null ? null : openHandoff(c.env.DB, chatIds.businessId, chatIds.residentId),
		conversation === null ? null : conversation.caseState(record.id),
		chatIds === null ? null : optedOutSince(c.env.DB, chatIds.businessId, chatIds.residentId),
	]);
	await audit(c.env.DB, { actor: actorOf(staff), action: "request.view", requestId: record.id });
	const body = detailBody(record, {
		requirements,
		attachments,
		events,
		notes,
		handoffAsked: handoff !== null,
		chat,
		optedOutSince: optedOut,
		daysToDue: await daysToDue(c.env, record),
	});
	return c.json(body, 200);
};

/** Working days from today to an open request's due date; null when the clock is not running. */
async function daysToDue(env: Env, record: RequestRecord): Promise<number | null> {
	if (record.due_date === null || !RUNNING.has(record.status)) return null;
	const timeZone = settingsOf(env).get("OFFICE_TIME_ZONE");
	const calendar = await loadCalendar(env.DB, timeZone);
	return workingDaysTo(calendar, officeDate(Date.now(), timeZone), record.due_date);
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
	const all = conversation === null ? [] : await conversation.transcript(record.id);
	// A reply naming other requests too (the status list) only for staff who may see them all.
	const readable = await mayReadAll(
		c.env.DB,
		staff,
		all.map((entry) => entry.mentions),
	);
	const entries = all.filter((_entry, index) => readable[index]);
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
