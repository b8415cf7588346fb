/** The job that asks D1 whether the conversation's number is an active kelurahan operator's. */

import type { StaffNotice } from "../../requests/notices";
import type { Work } from "./context";
import { currentOperator } from "./operator-lookup";
import { apply } from "./steps";

/** Tells the dialogue who the number is (it caches the answer briefly). Read-only: retry-safe. */
export async function runOperatorCheck(work: Work, jobId: string): Promise<void> {
	const operator = await currentOperator(work);
	return apply(work, { type: "operator_checked", operator }, { jobId });
}

/**
 * A resident the kelurahan filed for, whose chat may never have begun: this object learns whose
 * it is (unless it already knows) and queues the notice, once per notice id.
 */
export async function introduce(
	work: Work,
	who: { businessId: string; residentId: string },
	notice: StaffNotice,
): Promise<void> {
	const { kv, jobs } = work.tables;
	const now = Date.now();
	let queued = false;
	work.tables.transaction(() => {
		if (!kv.hasIdentity()) kv.setIdentity({ channel: "whatsapp", ...who });
		// A notice job is forgotten once done: the requests told of are kept, so a retried
		// submission never tells twice.
		const told = JSON.parse(kv.get("told_filed") ?? "[]") as string[];
		if (told.includes(notice.requestId)) return;
		kv.set("told_filed", JSON.stringify([...told, notice.requestId]));
		queued = jobs.queue(`notice:${notice.noticeId}`, { kind: "notice", payload: notice }, now);
	});
	if (queued) await work.armAlarm(now);
}
