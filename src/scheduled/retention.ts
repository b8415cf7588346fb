import { conversationFor } from "../conversation/address";
import { deleteFiles, deleteRequestFiles } from "../files/delete-files";
import { errorDetail, log } from "../log";
import { meteredR2 } from "../metrics";
import {
	complaintFilesPrefix,
	expiredComplaints,
	purgeComplaint,
} from "../requests/complaint-erasure";
import { closeComplaint, staleAnsweredComplaints } from "../requests/complaints";
import { deleteRetriedDeadLetters } from "../requests/dead-letters";
import { dropDraft, forgetSubmittedDrafts, staleDrafts } from "../requests/filing";
import { expiredHandoffs, handoffFilesPrefix, purgeHandoff } from "../requests/handoffs";
import { forgetReleasedFiles, releasedFiles } from "../requests/held-files";
import {
	type ExpiredRequest,
	expiredRequests,
	markPurged,
	unpurgedFileKeys,
} from "../requests/retention";

/** Requests purged per run: a daily cron catches up over several days after a backlog. */
const BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes the files (R2) and the WhatsApp transcript of requests closed more than `retentionDays`
 * ago and pseudonymizes the record (NIK, name, phone, chat ids, note texts, event reasons gone;
 * what statistics need kept), marked `purged_at` and `erased_at`. Safe to run again: each step is
 * idempotent and a request is marked only after its files and transcript are gone, so a crash
 * half-way is finished by the next run.
 *
 * @returns How many requests were purged.
 */
export async function purgeExpired(
	env: Env,
	retentionDays: number,
	now = Date.now(),
): Promise<number> {
	const due = await expiredRequests(env.DB, now - retentionDays * DAY_MS, BATCH);
	let purged = 0;
	for (const request of due) {
		// One request failing (its object unreachable, say) must not hold back the others every
		// day: it stays unmarked and is taken again by the next run.
		try {
			await purgeRequest(env, request, retentionDays, now);
			purged++;
		} catch (error) {
			log.error("retention.purge_failed", { requestId: request.id, error: errorDetail(error) });
		}
	}
	if (due.length > 0) {
		log.info("retention.purged", { requests: purged, failed: due.length - purged, retentionDays });
	}
	await purgeComplaints(env, retentionDays, now);
	await purgeHandoffs(env, retentionDays, now);
	return purged;
}

/** One request: its files, its chat's messages, then the record marked (last, see above). */
async function purgeRequest(
	env: Env,
	request: ExpiredRequest,
	retentionDays: number,
	now: number,
): Promise<void> {
	const deleted = await deleteRequestFiles(
		meteredR2(env.FILES),
		request.id,
		await unpurgedFileKeys(env.DB, request.id),
	);
	// A kelurahan request linked to the resident's number is in their chat too.
	if (request.business_id && request.resident_id) {
		await conversationFor(env, request.business_id, request.resident_id).forgetRequest(request.id);
	}
	await markPurged(env.DB, request.id, { files: deleted, retentionDays }, now);
}

/** Days after its latest answer that a complaint answered and left open is closed by `system`. */
export const ANSWERED_COMPLAINT_DAYS = 30;

/**
 * Closes complaints answered and left open for {@link ANSWERED_COMPLAINT_DAYS} (audited as
 * `complaint.close` by `system`: without it their words would be kept for ever), then erases
 * complaints closed more than `retentionDays` ago: the photo first (R2), then the words and chat
 * ids (D1), so a run cut short leaves the record to find the photo by. Idempotent.
 *
 * @returns How many complaints were erased.
 */
export async function purgeComplaints(
	env: Env,
	retentionDays: number,
	now = Date.now(),
): Promise<number> {
	const stale = await staleAnsweredComplaints(
		env.DB,
		now - ANSWERED_COMPLAINT_DAYS * DAY_MS,
		BATCH,
	);
	for (const id of stale) await closeComplaint(env.DB, id, "system", now);
	if (stale.length > 0)
		log.info("retention.closed_answered_complaints", { complaints: stale.length });
	const files = meteredR2(env.FILES);
	const due = await expiredComplaints(env.DB, now - retentionDays * DAY_MS, BATCH);
	for (const complaint of due) {
		await deleteFiles(files, {
			keys: complaint.attachment_key ? [complaint.attachment_key] : [],
			prefixes: [complaintFilesPrefix(complaint.id)],
		});
		await purgeComplaint(env.DB, complaint.id, retentionDays, now);
	}
	if (due.length > 0) log.info("retention.purged_complaints", { complaints: due.length });
	return due.length;
}

/**
 * Deletes hand-offs closed more than `retentionDays` ago (they hold the resident's number, and
 * the files they sent staff): the files first (R2), then the rows (D1), so a run cut short leaves
 * the row to find the files by. Nothing of them is reported, so nothing is kept. Idempotent.
 *
 * @returns How many hand-offs were deleted.
 */
export async function purgeHandoffs(
	env: Env,
	retentionDays: number,
	now = Date.now(),
): Promise<number> {
	const files = meteredR2(env.FILES);
	const due = await expiredHandoffs(env.DB, now - retentionDays * DAY_MS, BATCH);
	for (const id of due) {
		await deleteFiles(files, { prefixes: [handoffFilesPrefix(id)] });
		await purgeHandoff(env.DB, id, retentionDays, now);
	}
	if (due.length > 0) log.info("retention.purged_handoffs", { handoffs: due.length });
	return due.length;
}

/** Days a filing draft may wait for its submission before it and its files are deleted. */
export const DRAFT_DAYS = 30;

/**
 * Deletes filing drafts (staff API) nobody submitted within {@link DRAFT_DAYS}: their files in R2
 * first, then the rows (audited as `filing.drop`). Data minimisation (UU 27/2022): a draft holds
 * a resident's NIK, name and papers and nothing needs them any more. A draft whose request exists
 * was submitted: its rows are forgotten and its files, the request's now, stay.
 *
 * @returns How many drafts were deleted.
 */
export async function purgeStaleDrafts(env: Env, now = Date.now()): Promise<number> {
	const leftovers = await forgetSubmittedDrafts(env.DB);
	if (leftovers > 0) log.info("retention.submitted_drafts", { drafts: leftovers });
	const due = await staleDrafts(env.DB, now - DRAFT_DAYS * DAY_MS, BATCH);
	for (const id of due) {
		await deleteFiles(meteredR2(env.FILES), { prefixes: [`requests/${id}/`] });
		await dropDraft(env.DB, id, "system", "abandoned");
	}
	if (due.length > 0) log.info("retention.drafts", { drafts: due.length });
	return due.length;
}

/** Keys of released papers taken per run: one R2 delete call; a backlog goes over several days. */
const RELEASED_PAGE = 1000;

/**
 * Deletes the R2 objects of corrected papers held for a revision round and let go without being
 * sent (the round ended another way: the resident resent over WhatsApp, staff moved the request
 * on), then forgets their keys: objects first, so a run cut short leaves the keys to find them by
 * and the next run deletes them again (deleting a missing object is harmless). Nothing uses them,
 * and they are a resident's papers: data minimisation (UU 27/2022). A key an attachment holds is
 * forgotten, never deleted.
 *
 * @returns How many objects were deleted.
 */
export async function purgeReleasedFiles(env: Env): Promise<number> {
	const released = await releasedFiles(env.DB, RELEASED_PAGE);
	if (released.length === 0) return 0;
	const loose = released.filter((f) => !f.attached).map((f) => f.key);
	await deleteFiles(meteredR2(env.FILES), { keys: loose });
	await forgetReleasedFiles(
		env.DB,
		released.map((f) => f.key),
	);
	log.info("retention.released_files", { files: loose.length });
	return loose.length;
}

/** Days a dead letter is kept after an admin retried it (a retry that fails opens it again). */
export const RETRIED_LETTER_DAYS = 30;

/**
 * Deletes dead letters retried more than {@link RETRIED_LETTER_DAYS} ago: their jobs are done, and
 * each names a resident's conversation (their number). Open letters go with their job (the object's
 * quiet sweep, or an erasure).
 *
 * @returns How many letters were deleted.
 */
export async function purgeRetriedDeadLetters(env: Env, now = Date.now()): Promise<number> {
	const deleted = await deleteRetriedDeadLetters(env.DB, now - RETRIED_LETTER_DAYS * DAY_MS);
	if (deleted > 0) log.info("retention.dead_letters", { letters: deleted });
	return deleted;
}
