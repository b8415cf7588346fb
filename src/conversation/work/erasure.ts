/**
 * The Conversation object's own erasure (UU 27/2022 data minimisation). Objects are many and the
 * cron cannot list them, so each object erases on its own alarm: 30 days after the chat last
 * moved, rows that belong to no submitted request (a status chat, an abandoned draft with a typed
 * NIK) are deleted, with the files of abandoned drafts. Rows of submitted requests stay until
 * the retention purge (`forgetRequest`); when nothing is left, the object forgets the resident.
 */

import { deleteFiles } from "../../files/delete-files";
import { existingRequestIds } from "../../requests/erasure";
import type { Work } from "./context";

/** How long a chat row about no submitted request is kept after the chat last moved. */
export const QUIET_ERASURE_MS = 30 * 24 * 60 * 60 * 1000;

/** How far ahead of its arrival a resident's message may be stamped (Meta's clock, not ours). */
const STAMP_MARGIN_MS = 24 * 60 * 60 * 1000;

/**
 * The sweep is not due before this: the chat moved when the resident last wrote (the dialogue's
 * state knows when, without a scan of the chat's rows). -Infinity when they never wrote.
 */
export function sweepNotBefore(work: Work): number {
	const lastInbound = work.state().lastInboundAt;
	return lastInbound === null
		? Number.NEGATIVE_INFINITY
		: lastInbound - STAMP_MARGIN_MS + QUIET_ERASURE_MS;
}

/**
 * When the quiet sweep is next due, if anything written since the last one may need it: 30 days
 * after the last row written, and never before {@link sweepNotBefore}. Scans the chat's rows.
 */
export function sweepDueAt(work: Work): number | undefined {
	const { erasure, kv } = work.tables;
	const last = erasure.lastActivity();
	if (last === undefined) return undefined;
	const swept = Number(kv.get("swept_through") ?? "-1");
	return last > swept ? Math.max(last + QUIET_ERASURE_MS, sweepNotBefore(work)) : undefined;
}

/** The request and draft the dialogue is working on now: never swept. */
function openIds(work: Work): Set<string> {
	const state = work.state();
	return new Set(
		[state.draft?.requestId, state.revision?.requestId].filter(
			(id): id is string => id !== undefined,
		),
	);
}

/**
 * The sweep, when due and no job is waiting (a job may be about to submit the draft): deletes
 * rows written more than 30 days ago that belong to no request in D1 and to nothing open, and the
 * abandoned drafts' files in R2 (first, so a crash leaves the rows to find them by). Idempotent.
 */
export async function sweepQuiet(work: Work, now: number): Promise<void> {
	// A resident who wrote within the 30 days: not due, and no scan of the chat to learn it.
	if (sweepNotBefore(work) > now) return;
	const due = sweepDueAt(work);
	const { erasure, jobs, kv } = work.tables;
	if (due === undefined || now < due || jobs.next() !== undefined) return;
	const last = erasure.lastActivity() ?? now;
	const before = now - QUIET_ERASURE_MS;
	const open = openIds(work);
	const ids = erasure.requestIdsBefore(before);
	const named = ids.filter((id): id is string => id !== null && !open.has(id));
	const submitted = await existingRequestIds(work.db, named);
	const abandoned = named.filter((id) => !submitted.has(id));
	await deleteFiles(work.files, { prefixes: abandoned.map((id) => `requests/${id}/`) });
	work.tables.transaction(() => {
		for (const id of [...abandoned, ...(ids.includes(null) ? [null] : [])]) {
			erasure.dropBefore(id, before);
		}
		kv.forgetProfileName();
		if (erasure.empty() && open.size === 0) erasure.clearAll();
		else kv.set("swept_through", String(last));
	});
}

/** What an erasure of the whole conversation found. */
export type ChatErasureOutcome =
	| { erased: true; files: number }
	| { erased: false; openTicket: string | null };

/**
 * Clears the object for an admin's erasure: refused while the dialogue holds an open request
 * (a revision) or a submission in flight; else the files of every draft and request it mentions
 * are deleted from R2, then every table is emptied and the alarm removed. Idempotent.
 */
export async function eraseChat(work: Work): Promise<ChatErasureOutcome> {
	const state = work.state();
	const { erasure, jobs } = work.tables;
	if (state.revision) return { erased: false, openTicket: state.revision.ticket };
	const pending = jobs.next();
	if (
		state.phase.name === "submitting" ||
		pending?.kind === "submit" ||
		pending?.kind === "resubmit"
	) {
		return { erased: false, openTicket: null };
	}
	const ids = new Set(erasure.requestIds());
	if (state.draft) ids.add(state.draft.requestId);
	const keys = state.draft?.files.flatMap((file) => (file.key ? [file.key] : [])) ?? [];
	const files = await deleteFiles(work.files, {
		keys,
		prefixes: [...ids].map((id) => `requests/${id}/`),
	});
	work.tables.transaction(() => erasure.clearAll());
	await work.scheduleAlarm(undefined);
	return { erased: true, files };
}
