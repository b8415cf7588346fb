/**
 * An admin's erasure of one resident (UU 27/2022): their conversations cleared first, then their
 * requests' files, then the D1 records pseudonymized and the erasure recorded in one batch. The
 * identifier is needed to find everything, so D1 goes last: a crash half-way leaves the records
 * findable and the same erasure, asked again, finishes the job.
 *
 * @module
 */

import { conversationFor } from "../../conversation/address";
import { deleteFiles, deleteRequestFiles } from "../../files/delete-files";
import { Problem } from "../../http/problem";
import { meteredR2 } from "../../metrics";
import { chatComplaints, complaintFilesPrefix } from "../../requests/complaint-erasure";
import {
	type ErasureRecord,
	type ResidentIdentifier,
	recordErasure,
	residentFootprint,
} from "../../requests/erasure";
import { dropDraft, residentDrafts } from "../../requests/filing";
import { chatHandoffIds, handoffFilesPrefix } from "../../requests/handoffs";
import { unpurgedFileKeys } from "../../requests/retention";

/** The 409 while the resident has an open request: names the ticket (not the resident). */
function openRequest(ticket: string | null): Problem {
	return new Problem(
		409,
		"open-request",
		"Open request",
		ticket === null
			? "The resident's submission is being filed right now: try again in a minute."
			: `The resident has an open request, ${ticket}: close it (complete, reject or cancel) before erasing.`,
		{ extensions: { ticket } },
	);
}

/**
 * Erases the resident named by `who`, as `actor`.
 *
 * @throws Problem 409 while a request of the resident is open.
 */
export async function eraseResident(
	env: Env,
	who: ResidentIdentifier,
	actor: string,
): Promise<ErasureRecord> {
	const { requests, chats } = await residentFootprint(env.DB, who);
	const open = requests.find((request) => request.closed_at === null);
	if (open !== undefined) throw openRequest(open.ticket);
	let files = 0;
	for (const chat of chats) {
		const outcome = await conversationFor(env, chat.businessId, chat.residentId).erase();
		if (!outcome.erased) throw openRequest(outcome.openTicket);
		files += outcome.files;
	}
	const bucket = meteredR2(env.FILES);
	for (const request of requests) {
		files += await deleteRequestFiles(
			bucket,
			request.id,
			await unpurgedFileKeys(env.DB, request.id),
		);
	}
	const complaints = await chatComplaints(env.DB, chats);
	for (const complaint of complaints) {
		files += await deleteFiles(bucket, {
			keys: complaint.attachment_key ? [complaint.attachment_key] : [],
			prefixes: [complaintFilesPrefix(complaint.id)],
		});
	}
	// What they sent the staff holding their chat.
	for (const handoffId of await chatHandoffIds(env.DB, chats)) {
		files += await deleteFiles(bucket, { prefixes: [handoffFilesPrefix(handoffId)] });
	}
	// Drafts filed for them at the kelurahan and never submitted: deleted outright.
	for (const draftId of await residentDrafts(env.DB, who)) {
		files += await deleteFiles(bucket, { prefixes: [`requests/${draftId}/`] });
		await dropDraft(env.DB, draftId, actor, "erasure");
	}
	const erasure: ErasureRecord = {
		id: crypto.randomUUID(),
		at: Date.now(),
		actor,
		identifierKind: who.kind,
		requests: requests.length,
		conversations: chats.length,
		files,
	};
	await recordErasure(
		env.DB,
		erasure,
		requests.map((request) => request.id),
		chats,
		complaints.map((complaint) => complaint.id),
	);
	return erasure;
}
