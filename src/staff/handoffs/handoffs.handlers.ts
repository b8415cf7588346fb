/**
 * Handlers of hand-offs: the staff's list of chats waiting for a person (with the resident's
 * open requests, latest messages from their Conversation object and the files they sent),
 * writing, closing, and each file, streamed and audited.
 *
 * @module
 */

import { conversationFor } from "../../conversation/address";
import { HANDOFF_KEY, type HandoffMessage } from "../../conversation/handoff-page";
import { mediaKey } from "../../conversation/media-store";
import { Problem } from "../../http/problem";
import { log } from "../../log";
import { audit } from "../../requests/audit";
import { encodeCursor } from "../../requests/cursor";
import {
	closeHandoff,
	findHandoff,
	findHandoffFile,
	type HandoffFileRow,
	type HandoffRecord,
	handoffFiles,
	openHandoffs,
	openRequestsOf,
	recordHandoffReply,
} from "../../requests/handoffs";
import { optedOutSince } from "../../residents/opt-outs";
import { cursorParam } from "../access";
import { sendIdOf } from "../idempotency";
import { actorOf, type StaffHandler } from "../types";
import type {
	CloseRoute,
	FileRoute,
	ListRoute,
	MessagesRoute,
	ReplyRoute,
} from "./handoffs.routes";

/** How many of the resident's latest messages the list shows. */
const LAST_MESSAGES = 5;

/** The hand-off with this id; 404 when there is none. */
async function handoffOr404(db: D1Database, id: string): Promise<HandoffRecord> {
	const row = await findHandoff(db, id);
	if (row === null) throw new Problem(404, "not-found", "Not found", "No hand-off with this id.");
	return row;
}

/** A resident's latest messages; none (logged) when their object cannot be reached now. */
async function lastMessages(env: Env, row: HandoffRecord) {
	try {
		return await conversationFor(env, row.business_id, row.resident_id).recentMessages(
			LAST_MESSAGES,
		);
	} catch (error) {
		log.error("staff.handoff_messages_failed", {
			handoffId: row.id,
			error: error instanceof Error ? error.message : String(error),
		});
		return [];
	}
}

/** A file of a hand-off as staff see it (its key stays inside). */
function fileView(row: HandoffFileRow) {
	return {
		id: row.id,
		mimeType: row.mime_type,
		size: row.size,
		fileName: row.file_name,
		receivedAt: row.received_at,
	};
}

/** Open hand-offs, longest waiting first, with the residents' latest messages; audited. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const query = c.req.valid("query");
	const cursor = cursorParam(query.cursor);
	const page = await openHandoffs(c.env.DB, { limit: query.limit, ...(cursor ? { cursor } : {}) });
	const handoffs = await Promise.all(
		page.handoffs.map(async (row) => {
			const [requests, messages, optedOut, files] = await Promise.all([
				openRequestsOf(c.env.DB, row.business_id, row.resident_id),
				lastMessages(c.env, row),
				optedOutSince(c.env.DB, row.business_id, row.resident_id),
				handoffFiles(c.env.DB, row.id),
			]);
			return {
				id: row.id,
				waitingSince: row.asked_at,
				lastReplyAt: row.last_reply_at,
				optedOutSince: optedOut,
				openRequests: requests.map((r) => ({
					id: r.id,
					ticket: r.ticket,
					status: r.status,
					service: r.service_code,
				})),
				lastMessages: messages,
				files: files.map(fileView),
			};
		}),
	);
	// The list shows residents' own words: who read which chats is audited like a request's view.
	await audit(c.env.DB, {
		actor: actorOf(c.get("staff")),
		action: "handoffs.list",
		detail: { handoffIds: handoffs.map((h) => h.id) },
	});
	return c.json({ handoffs, nextCursor: page.nextCursor }, 200);
};

/** Writes to the resident in the hand-off: queued first (503 if not), then audited. */
export const reply: StaffHandler<ReplyRoute> = async (c) => {
	const row = await handoffOr404(c.env.DB, c.req.valid("param").id);
	if (row.resolved_at !== null) {
		throw new Problem(409, "handoff-closed", "Hand-off closed", "This hand-off is closed.");
	}
	const replyId = await sendIdOf(c.req.valid("header")["idempotency-key"], {
		action: "handoff.reply",
		staffId: actorOf(c.get("staff")),
		resourceId: row.id,
	});
	try {
		await conversationFor(c.env, row.business_id, row.resident_id).handoffReply({
			replyId,
			text: c.req.valid("json").text,
		});
	} catch {
		throw new Problem(503, "unavailable", "Try again", "The message could not be queued.");
	}
	await recordHandoffReply(c.env.DB, row.id, { id: replyId, actor: actorOf(c.get("staff")) });
	return c.json({ queued: true as const, replyId }, 202);
};

/**
 * Closes the hand-off: the resident's object first (idempotent on the id: the bot answers again
 * and says so), then D1. Closing a closed one changes nothing.
 */
export const close: StaffHandler<CloseRoute> = async (c) => {
	const row = await handoffOr404(c.env.DB, c.req.valid("param").id);
	if (row.resolved_at === null) {
		try {
			await conversationFor(c.env, row.business_id, row.resident_id).handoffClosed(row.id);
		} catch {
			throw new Problem(503, "unavailable", "Try again", "The chat could not be handed back.");
		}
		await closeHandoff(c.env.DB, row.id, actorOf(c.get("staff")));
	}
	const closed = await handoffOr404(c.env.DB, row.id);
	return c.json(
		{
			id: closed.id,
			closedAt: closed.resolved_at ?? Date.now(),
			closedBy: closed.resolved_by ?? "",
		},
		200,
	);
};

/** A file the resident sent during the hand-off, streamed inline; every view audited. */
export const file: StaffHandler<FileRoute> = async (c) => {
	const { id, fileId } = c.req.valid("param");
	const found = await findHandoffFile(c.env.DB, id, fileId);
	const object = found === null ? null : await c.env.FILES.get(found.key);
	if (found === null || object === null) {
		throw new Problem(404, "not-found", "Not found", "No such file in this hand-off.");
	}
	await audit(c.env.DB, {
		actor: actorOf(c.get("staff")),
		action: "handoff.file",
		detail: { handoffId: id, fileId },
	});
	return new Response(object.body, {
		status: 200,
		headers: {
			"content-type": found.mime_type,
			"content-length": String(object.size),
			"content-disposition": "inline",
			"cache-control": "private, no-store",
			"x-content-type-options": "nosniff",
		},
	});
};

/** The minutes before the resident asked for a person, shown with the hand-off: what they asked about. */
const LEAD_MS = 10 * 60_000;
/** After the close: its own words to the resident, written just after the record. */
const TAIL_MS = 60_000;

/**
 * The hand-off's conversation, a page at a time, from the resident's Conversation object (503
 * when it cannot be reached now), with what the resident said from their earlier numbers in the
 * span; each inbound file sent to staff named by its id. Audited: the words are the resident's.
 */
export const messages: StaffHandler<MessagesRoute> = async (c) => {
	const row = await handoffOr404(c.env.DB, c.req.valid("param").id);
	const query = c.req.valid("query");
	const cursor = cursorParam(query.cursor, HANDOFF_KEY);
	const files = await handoffFiles(c.env.DB, row.id);
	let page: { messages: HandoffMessage[]; more: boolean };
	try {
		page = await conversationFor(c.env, row.business_id, row.resident_id).handoffMessages({
			from: row.asked_at - LEAD_MS,
			to: row.resolved_at === null ? Number.MAX_SAFE_INTEGER : row.resolved_at + TAIL_MS,
			...(cursor ? { after: { at: cursor.at, key: cursor.id } } : {}),
			limit: query.limit,
		});
	} catch {
		throw new Problem(503, "unavailable", "Try again", "The conversation could not be read now.");
	}
	await audit(c.env.DB, {
		actor: actorOf(c.get("staff")),
		action: "handoff.view",
		detail: { handoffId: row.id },
	});
	const fileOf = new Map(files.map((file) => [file.key, file.id]));
	const last = page.messages.at(-1);
	return c.json(
		{
			handoff: {
				id: row.id,
				waitingSince: row.asked_at,
				lastReplyAt: row.last_reply_at,
				closedAt: row.resolved_at,
				closedBy: row.resolved_by,
			},
			messages: page.messages.map((m) => ({
				direction: m.direction,
				at: m.at,
				kind: m.kind,
				text: m.text,
				fileId:
					m.messageId === null
						? null
						: (fileOf.get(mediaKey(row.id, "file", m.messageId, "handoffs")) ?? null),
				state: m.state,
				delivery: m.delivery,
			})),
			files: files.map(fileView),
			nextCursor: page.more && last ? encodeCursor(last.order, last.key) : null,
		},
		200,
	);
};
