/**
 * Handlers of hand-offs: the staff's list of chats waiting for a person (with the resident's
 * open requests and latest messages from their Conversation object), writing, closing.
 *
 * @module
 */

import { conversationFor } from "../../conversation/address";
import { Problem } from "../../http/problem";
import { log } from "../../log";
import {
	closeHandoff,
	findHandoff,
	type HandoffRecord,
	openHandoffs,
	openRequestsOf,
	recordHandoffReply,
} from "../../requests/handoffs";
import { optedOutSince } from "../../residents/opt-outs";
import { cursorParam } from "../access";
import { sendIdOf } from "../idempotency";
import { actorOf, type StaffHandler } from "../types";
import type { CloseRoute, ListRoute, ReplyRoute } from "./handoffs.routes";

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

/** Open hand-offs, longest waiting first. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const query = c.req.valid("query");
	const cursor = cursorParam(query.cursor);
	const page = await openHandoffs(c.env.DB, { limit: query.limit, ...(cursor ? { cursor } : {}) });
	const handoffs = await Promise.all(
		page.handoffs.map(async (row) => {
			const [requests, messages, optedOut] = await Promise.all([
				openRequestsOf(c.env.DB, row.business_id, row.resident_id),
				lastMessages(c.env, row),
				optedOutSince(c.env.DB, row.business_id, row.resident_id),
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
			};
		}),
	);
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
