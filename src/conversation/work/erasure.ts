/**
 * The Conversation object's own erasure (UU 27/2022 data minimisation). Objects are many and the
 * cron cannot list them, so each object erases on its own alarm: 30 days after the chat last
 * moved, rows that belong to no submitted request (a status chat, an abandoned draft with a typed
 * NIK) are deleted, with the files of abandoned drafts. Rows of submitted requests stay until
 * the retention purge (`forgetRequest`); when nothing is left, the object forgets the resident.
 * A job that died stays retryable (its letter, its draft's files) until the chat has been quiet
 * 30 days after it died too; then it goes with its letter and the files only it still needed. A
 * conversation the resident moved away from (a number change) keeps no row after those 30 days:
 * its requests are the new conversation's, whose purge would never reach this one.
 */

import { deleteFiles } from "../../files/delete-files";
import { complaintFilesPrefix } from "../../requests/complaint-erasure";
import { expireDeadLetters } from "../../requests/dead-letters";
import { existingComplaintIds, existingRequestIds } from "../../requests/erasure";
import { handoffFilesPrefix } from "../../requests/handoffs";
import type { DeadJob } from "../store/dead-jobs";
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

/** The request and draft the dialogue is working on now, and those of jobs kept: never swept. */
function openIds(work: Work, keptDeadJobs: DeadJob[]): Set<string> {
	const state = work.state();
	return new Set(
		[
			state.draft?.requestId,
			state.revision?.requestId,
			...keptDeadJobs.map((dead) => draftOf(dead) ?? dead.requestId ?? undefined),
		].filter((id): id is string => id !== undefined),
	);
}

/** The draft a dead submission would file (its files are under the draft's id). */
function draftOf(dead: DeadJob): string | undefined {
	return dead.job.kind === "submit" ? dead.job.payload.draft.requestId : undefined;
}

/** The complaint a dead filing would file (its photo is under the complaint's id). */
function complaintOf(dead: DeadJob): string | undefined {
	return dead.job.kind === "complaint" ? dead.job.payload.complaint.id : undefined;
}

const defined = <T>(values: (T | undefined)[]): T[] =>
	values.filter((value): value is T => value !== undefined);

/**
 * The sweep, when due and no job is waiting (a job may be about to submit the draft): deletes
 * rows written more than 30 days ago that belong to no request in D1 and to nothing open, the
 * jobs that died that long ago with their letters, and the files of the drafts and complaints
 * that were never filed. D1's letters go first (no admin can retry a job whose files are about
 * to go), then the files (a crash leaves the rows to find them by), then the rows. Idempotent.
 */
export async function sweepQuiet(work: Work, now: number): Promise<void> {
	// A resident who wrote within the 30 days: not due, and no scan of the chat to learn it.
	if (sweepNotBefore(work) > now) return;
	const due = sweepDueAt(work);
	const { erasure, jobs, kv, deadJobs } = work.tables;
	if (due === undefined || now < due || jobs.next() !== undefined) return;
	const last = erasure.lastActivity() ?? now;
	const before = now - QUIET_ERASURE_MS;
	// When the sweep is due, every dead job died that long ago (they count as activity).
	const dead = deadJobs.all();
	const expired = dead.filter((job) => job.lastAt <= before);
	const open = openIds(
		work,
		dead.filter((job) => job.lastAt > before),
	);
	const ids = erasure.requestIdsBefore(before);
	const named = [...new Set([...ids, ...expired.map(draftOf)])].filter(
		(id): id is string => id != null && !open.has(id),
	);
	const submitted = await existingRequestIds(work.db, named);
	const abandoned = named.filter((id) => !submitted.has(id));
	// After a number change the requests are the new conversation's (its transcript and the
	// retention purge go there): their rows left here go too (their files are the requests').
	const dropped = kv.get("moved_to") === undefined ? abandoned : named;
	const complaints = defined(expired.map(complaintOf));
	const filed = await existingComplaintIds(work.db, complaints);
	await expireDeadLetters(
		work.db,
		expired.map((job) => ({ id: job.letterId, kind: job.job.kind, requestId: job.requestId })),
		now,
	);
	await deleteFiles(work.files, {
		prefixes: [
			...abandoned.map((id) => `requests/${id}/`),
			...complaints.filter((id) => !filed.has(id)).map(complaintFilesPrefix),
		],
	});
	work.tables.transaction(() => {
		// Always the rows about no request too: among them the statuses of messages this object
		// never sent or no longer keeps (a failure arriving after an erasure, say).
		for (const id of [...dropped, null]) erasure.dropBefore(id, before);
		deadJobs.drop(expired.map((job) => job.jobId));
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
 * (a revision) or a submission in flight; else the files of every draft, request, unfiled
 * complaint and current hand-off it mentions (dead jobs' included) are deleted from R2, then every table is emptied
 * (the dead jobs too: D1's letters go with the erasure's record) and the alarm removed.
 * Idempotent.
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
	const dead = work.tables.deadJobs.all();
	const ids = new Set([...erasure.requestIds(), ...defined(dead.map(draftOf))]);
	if (state.draft) ids.add(state.draft.requestId);
	// A complaint being told, or one whose filing died: its photo (a filed one's goes with D1's).
	const complaints = defined([state.complaint?.id, ...dead.map(complaintOf)]);
	const keys = defined([
		...(state.draft?.files.map((file) => file.key) ?? []),
		state.complaint?.photo?.key,
	]);
	// The hold's files (D1 records the stored ones, which the erasure deletes with the hand-off;
	// one still being stored is found here).
	const handoffs = new Set(
		defined([state.handoffId ?? undefined, ...(state.heldFiles ?? []).map((f) => f.handoffId)]),
	);
	const files = await deleteFiles(work.files, {
		keys,
		prefixes: [
			...[...ids].map((id) => `requests/${id}/`),
			...complaints.map(complaintFilesPrefix),
			...[...handoffs].map(handoffFilesPrefix),
		],
	});
	work.tables.transaction(() => erasure.clearAll());
	await work.scheduleAlarm(undefined);
	return { erased: true, files };
}
