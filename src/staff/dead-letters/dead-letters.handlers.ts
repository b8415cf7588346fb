/**
 * Handlers of the dead letters: read from D1, retry through the resident's Conversation object.
 *
 * @module
 */

import { conversationByName } from "../../conversation/address";
import { Problem } from "../../http/problem";
import { handOverAgain } from "../../notices/deliver";
import { audit } from "../../requests/audit";
import {
	type DeadLetter,
	findDeadLetter,
	listDeadLetters,
	markRetried,
} from "../../requests/dead-letters";
import { isHandOverLetter, reopenHandOver } from "../../requests/pending-notices";
import { cursorParam } from "../access";
import { actorOf, type StaffHandler } from "../types";
import type { ListRoute, RetryRoute } from "./dead-letters.routes";

/** What the API shows of a dead letter (not the conversation's name: it holds the phone). */
function view(letter: DeadLetter) {
	return {
		id: letter.id,
		kind: letter.kind,
		requestId: letter.requestId,
		error: letter.error,
		attempts: letter.attempts,
		firstAttemptAt: letter.firstAttemptAt,
		lastAttemptAt: letter.lastAttemptAt,
		state: letter.state,
		retriedAt: letter.retriedAt,
	};
}

/** The dead letters, newest failure first. */
export const list: StaffHandler<ListRoute> = async (c) => {
	const { state, limit, cursor } = c.req.valid("query");
	const after = cursorParam(cursor);
	const page = await listDeadLetters(c.env.DB, {
		limit,
		...(state ? { state } : {}),
		...(after ? { cursor: after } : {}),
	});
	return c.json({ items: page.letters.map(view), nextCursor: page.nextCursor }, 200);
};

/**
 * Queues the job again in the resident's object, or, for a notice or document that could not be
 * handed to the object, hands it over again (now, and by the cron if that fails too);
 * idempotent; audited.
 */
export const retry: StaffHandler<RetryRoute> = async (c) => {
	const staff = c.get("staff");
	const letter = await findDeadLetter(c.env.DB, c.req.valid("param").id);
	if (letter === null) {
		throw new Problem(404, "not-found", "Not found", "No dead letter with this id.");
	}
	// A notice or document kept in D1 is reopened there; any other job is the object's to queue.
	const handOver = isHandOverLetter(letter.kind);
	const keptFor = handOver ? await reopenHandOver(c.env.DB, letter.id, Date.now()) : null;
	const held = handOver
		? keptFor !== null
		: await conversationByName(c.env, letter.conversation).retryDeadLetter(letter.id);
	if (!held) {
		// Already retried and finished since: nothing to queue, and nothing changed.
		if (letter.state === "retried") return c.json(view(letter), 200);
		throw new Problem(
			409,
			"conflict",
			"Nothing to retry",
			"The resident's conversation no longer holds this job.",
		);
	}
	const now = Date.now();
	const updated = (await markRetried(c.env.DB, letter.id, actorOf(staff), now)) ?? letter;
	await audit(c.env.DB, {
		actor: actorOf(staff),
		action: "dead_letter.retry",
		requestId: letter.requestId,
		detail: { deadLetterId: letter.id, kind: letter.kind },
	});
	if (keptFor !== null) await handOverAgain(c.env, keptFor);
	return c.json(view(updated), 200);
};
