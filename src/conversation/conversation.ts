import { DurableObject } from "cloudflare:workers";
import { conversationOfName } from "../channel/address";
import type { InboundBatch } from "../channel/events";
import { log } from "../log";
import { counters, MeteredSql, meteredD1, meteredR2 } from "../metrics";
import type { ResidentMoveKind } from "../requests/resident-moves";
import type { HandoffMessage, HandoffPlace } from "./handoff-page";
import type { ResultDelivery, StaffNotice } from "./notices";
import type { ComplaintReply, HandoffReply, Job } from "./store/jobs";
import { Tables } from "./store/tables";
import {
	type CaseState,
	caseStateOf,
	type RecentMessage,
	recentMessagesOf,
	type TranscriptEntry,
} from "./transcript";
import { Work } from "./work/context";
import { retryDeadLetter } from "./work/dead-letter";
import { BACKSTOP_MS, drain } from "./work/drain";
import { type ChatErasureOutcome, eraseChat, sweepDueAt } from "./work/erasure";
import {
	type HandoffSpan,
	type HandoffSpanHere,
	handoffMessagesAcrossMoves,
	handoffSpanHere,
} from "./work/handoff-history";
import { type Adoption, adopt, moveResidentTo } from "./work/move";
import { introduce } from "./work/operator-jobs";
import { type ReceiveResult, receiveBatch } from "./work/receive";
import {
	type TranscriptHere,
	transcriptAcrossMoves,
	transcriptHere,
} from "./work/transcript-history";

export type {
	Adoption,
	CaseState,
	ChatErasureOutcome,
	ComplaintReply,
	HandoffMessage,
	HandoffReply,
	ReceiveResult,
	RecentMessage,
	ResultDelivery,
	TranscriptEntry,
};

/**
 * One resident's conversation with the office (named by `conversationName`, see ./address.ts).
 *
 * `receive` only records (inbox, deduplicated by message id); a run does the work (right after
 * the call answers, else by the alarm: see {@link runSoon}): each inbox message, then each job
 * outcome, goes through the pure dialogue `step`. A download or submission the step asks for,
 * with nothing else in line, is carried out at once and its outcome stepped too, and the replies
 * are sent when nothing is still to go out before them; then the new state (with how far the
 * inbox is handled), the replies (as sent) and the effects left to carry out are written in one
 * transaction, carried out later from those tables (outbox, jobs). A crash before the commit
 * repeats the step (its I/O is idempotent; a reply already sent goes again, as after a crash
 * between any send and its record), after it the rest is retried: nothing is lost. See
 * work/steps.ts.
 *
 * This class is the shell: RPC methods, the alarm and the runs, each counted for the benchmarks
 * in one place ({@link metered}); the tables live in ./store/, the work in ./work/.
 */
export class Conversation extends DurableObject<Env> {
	/** The object's SQLite, its written rows counted for the benchmarks' cost figures. */
	private readonly sql: MeteredSql;
	private readonly tables: Tables;
	private readonly work: Work;
	/** Runs (alarms and those after a call), chained: one never overlaps another. */
	private draining: Promise<void> = Promise.resolve();
	/** A run is queued behind the current one and has not started (see {@link runSoon}). */
	private runQueued = false;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = new MeteredSql(ctx.storage.sql);
		const named = conversationOfName(ctx.id.name);
		this.tables = new Tables(
			this.sql,
			ctx.storage,
			named === undefined ? undefined : { channel: "whatsapp", ...named },
		);
		this.work = new Work(env, this.tables, meteredD1(env.DB), meteredR2(env.FILES), ctx.storage);
		// Synchronous SQL only: blockConcurrencyWhile must never wait on I/O.
		void ctx.blockConcurrencyWhile(async () => this.tables.migrate());
	}

	/**
	 * Records a resident's share of a webhook delivery; what it brings is handled right after (or
	 * when due, see {@link runSoon}). Idempotent: a message id seen before is ignored, so Meta's
	 * redeliveries are harmless. Resolves only once the rows are durable (the output gate holds
	 * the reply until then).
	 */
	async receive(batch: InboundBatch): Promise<ReceiveResult> {
		return this.metered(async () => {
			const { result, dueAt } = await receiveBatch(this.work, batch);
			if (dueAt !== undefined) await this.runSoon(dueAt);
			return result;
		});
	}

	/**
	 * The resident is now `residentId` (a number change, or this user id linked to a phone):
	 * hands everything over to that conversation. Chained after any alarm run, so no step is
	 * half done when the dialogue, the outbox and the jobs leave.
	 */
	async moveTo(residentId: string, kind: ResidentMoveKind = "number_changed"): Promise<void> {
		return this.afterRuns(() => moveResidentTo(this.work, residentId, kind));
	}

	/**
	 * Takes over the resident's other conversation (see {@link moveTo}); true when this call took
	 * it (a repeated handover takes nothing). Chained after any run, so that a step in progress
	 * does not save its state over the dialogue taken over.
	 */
	async adopt(adoption: Adoption): Promise<boolean> {
		return this.afterRuns(() => adopt(this.work, adoption));
	}

	/** What staff see of this conversation for one request: the window and undelivered notices. */
	async caseState(requestId: string): Promise<CaseState> {
		return this.metered(async () =>
			caseStateOf(this.tables, requestId, this.work.state().lastInboundAt, Date.now()),
		);
	}

	/** The exchange about one request, oldest first, as staff read it. */
	/** The messages about a request, oldest first, with those the conversations this one took over kept. */
	async transcript(requestId: string): Promise<TranscriptEntry[]> {
		return this.metered(() => transcriptAcrossMoves(this.work, requestId));
	}

	/** This conversation's own messages about a request, and whom it took over (for the above). */
	async transcriptHere(requestId: string): Promise<TranscriptHere> {
		return this.metered(async () => transcriptHere(this.work, requestId));
	}

	/**
	 * A notice from staff about a request (status change, message, pick-up): goes through the
	 * dialogue (which words it in the resident's language) and the outbox (window, template).
	 * Idempotent on `noticeId`.
	 */
	async notify(notice: StaffNotice): Promise<void> {
		await this.queueFromOutside(`notice:${notice.noticeId}`, { kind: "notice", payload: notice });
	}

	/**
	 * The kelurahan filed a request for this resident (a chat perhaps never begun): learn whose
	 * chat this is and tell them. Idempotent on the notice's id.
	 */
	async introduce(
		who: { businessId: string; residentId: string },
		notice: StaffNotice,
	): Promise<void> {
		await this.metered(() => introduce(this.work, who, notice));
	}

	/**
	 * Staff's answer to a complaint, for the resident (free text in the window, else the status
	 * template nudges and it waits). Idempotent on `replyId`.
	 */
	async complaintReply(reply: ComplaintReply): Promise<void> {
		await this.queueFromOutside(`complaint-reply:${reply.replyId}`, {
			kind: "complaint_reply",
			payload: reply,
		});
	}

	/** A message from the staff member holding the chat; idempotent on `replyId`. */
	async handoffReply(reply: HandoffReply): Promise<void> {
		await this.queueFromOutside(`handoff-reply:${reply.replyId}`, {
			kind: "handoff_reply",
			payload: reply,
		});
	}

	/** Staff closed the hand-off: the bot answers again and says so. Idempotent on the id. */
	async handoffClosed(handoffId: string): Promise<void> {
		await this.queueFromOutside(`handoff-close:${handoffId}`, {
			kind: "handoff_close",
			payload: { handoffId },
		});
	}

	/**
	 * A page of the conversation within a hand-off's span (`from`..`to`), oldest first, after
	 * `after`: what the resident wrote and what they were sent, as staff read it, with what the
	 * conversations this one took over (number changes) kept of the span.
	 */
	async handoffMessages(
		page: HandoffSpan & { after?: HandoffPlace; limit: number },
	): Promise<{ messages: HandoffMessage[]; more: boolean }> {
		return this.metered(() => handoffMessagesAcrossMoves(this.work, this.tag(), page));
	}

	/** This conversation's own part of a hand-off's span, and whom it took over (for the above). */
	async handoffSpanHere(span: HandoffSpan): Promise<HandoffSpanHere> {
		return this.metered(async () => handoffSpanHere(this.work, this.tag(), span));
	}

	/** The resident's latest messages, newest first, as staff taking the chat read them. */
	async recentMessages(limit: number): Promise<RecentMessage[]> {
		return this.metered(async () => recentMessagesOf(this.tables, limit));
	}

	/** Sends a finished document (already in R2) to the resident; idempotent on `sendId`. */
	async sendResult(result: ResultDelivery): Promise<void> {
		await this.queueFromOutside(`result:${result.sendId}`, { kind: "result", payload: result });
	}

	/**
	 * Retention: forgets what was said about a purged request. Its messages are deleted (an
	 * inbound one younger than Meta's redelivery horizon keeps only its id, to deduplicate), and
	 * the quiet sweep is armed, so an object that stays silent forgets the rest on its own.
	 * Idempotent.
	 */
	async forgetRequest(requestId: string): Promise<void> {
		await this.metered(async () => {
			const now = Date.now();
			this.tables.transaction(() => {
				this.tables.inbox.forget(requestId, now);
				this.tables.outbox.forget(requestId);
			});
			const sweepAt = sweepDueAt(this.work);
			if (sweepAt !== undefined) await this.work.armAlarm(Math.max(now, sweepAt));
		});
	}

	/**
	 * An admin's erasure of the resident: every table emptied and the files of its drafts
	 * deleted, unless a request is open in the dialogue or a submission is in flight. Chained
	 * after any alarm run, so it never clears tables under a step in progress.
	 */
	async erase(): Promise<ChatErasureOutcome> {
		return this.afterRuns(() => eraseChat(this.work));
	}

	/**
	 * This object among the resident's conversations, in the keys of the messages it sent: part
	 * of its id (not its name, which holds the phone number), the same on every call.
	 */
	private tag(): string {
		return this.ctx.id.toString().slice(0, 16);
	}

	/** `work` after the runs in line (alarms' and {@link runSoon}'s), and before any that follow. */
	private afterRuns<T>(work: () => Promise<T>): Promise<T> {
		const run = this.draining.then(() => this.metered(work));
		this.draining = run.then(
			() => undefined,
			() => undefined,
		);
		return run;
	}

	/**
	 * An admin's retry of a dead letter: its job goes back in line with fresh tries. Idempotent;
	 * false when this object holds no such dead job (it has succeeded since).
	 */
	async retryDeadLetter(letterId: string): Promise<boolean> {
		return this.metered(() => retryDeadLetter(this.work, letterId));
	}

	/**
	 * Does the work. Alarms run at least once and may repeat after a crash: every step commits
	 * its state, its input's mark and its effects together, so a repeat picks up where it stopped.
	 */
	override async alarm(): Promise<void> {
		return this.run({ invocation: true });
	}

	/**
	 * Work due now is done right after the call that brought it answers, in that call's
	 * invocation: an alarm for it would be an invocation of its own, a billed request and an
	 * event for the runtime (without it, the bench's recurring residents' messages take 11-15%
	 * less of the isolate's thread; docs/performance.md). The alarm is still armed,
	 * {@link BACKSTOP_MS} ahead, for when this object stops before that run sets the next one
	 * itself (a crash or an eviction: the alarm then does the work, nothing is lost). Work due
	 * later (a typed line's hold) waits for the alarm. One run at most waits behind the current:
	 * it starts after every call that queued it, so it sees their work.
	 */
	private async runSoon(dueAt: number): Promise<void> {
		const now = Date.now();
		if (dueAt > now) return this.work.armAlarm(dueAt);
		await this.work.armAlarm(now + BACKSTOP_MS);
		if (this.runQueued) return;
		this.runQueued = true;
		// After a macrotask: the call's answer does not wait for the run.
		const next = new Promise((resolve) => setTimeout(resolve, 0)).then(() =>
			this.run({ invocation: false }),
		);
		// waitUntil keeps the object alive for the run (compatibility date 2026-10-01 and later;
		// were it evicted anyway, the backstop would do the work). A run whose work fails re-arms
		// the alarm itself (see drain); anything else failing is left to the backstop, logged here.
		this.ctx.waitUntil(
			next.catch((error: unknown) =>
				log.error("conversation.run_failed", { error: String(error) }),
			),
		);
	}

	/** One run after the ones before it (alarms and {@link runSoon}'s). */
	private run({ invocation }: { invocation: boolean }): Promise<void> {
		const started = this.draining.then(() => {
			this.runQueued = false;
			return this.metered(() => drain(this.work, () => this.runQueued), { invocation });
		});
		this.draining = started.catch(() => undefined);
		return started;
	}

	/**
	 * A job asked for by staff (RPC): carried out once per id, however often the call is repeated
	 * (see Jobs.queueOnce), and run right after (see runSoon).
	 */
	private async queueFromOutside(id: string, job: Job): Promise<void> {
		await this.metered(async () => {
			const now = Date.now();
			if (this.tables.transaction(() => this.tables.jobs.queueOnce(id, job, now))) {
				await this.runSoon(now);
			}
		});
	}

	/**
	 * Runs one RPC, alarm or run after a call, then counts the storage rows it wrote (for the
	 * benchmarks; a run after a call is no request of its own). Each call and alarm starts from
	 * what SQLite holds (the kv values read by an earlier one are forgotten: a test may write the
	 * tables between calls); a run after a call goes on from what the calls before it read.
	 */
	private async metered<T>(
		work: () => Promise<T>,
		{ invocation = true }: { invocation?: boolean } = {},
	): Promise<T> {
		if (invocation) {
			counters.doRequests++;
			this.tables.kv.forget();
		}
		try {
			return await work();
		} finally {
			this.sql.settle();
		}
	}
}
