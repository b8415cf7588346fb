import type { Lang } from "../../catalog/catalog";
import { log } from "../../log";
import type { HandoffFile } from "../../requests/handoffs";
import { backoffDelay, heldDelay } from "../backoff";
import type { ComplaintFiling, DownloadJob } from "../dialogue";
import type { Draft, DraftFile } from "../dialogue-state";
import type { ResultDelivery, StaffNotice } from "../notices";
import type { Sql } from "./sql";

/** Staff's answer to a complaint, for the resident. */
export interface ComplaintReply {
	replyId: string;
	complaintId: string;
	ticket: string;
	text: string;
}

/** A message from the staff member holding the chat. */
export interface HandoffReply {
	replyId: string;
	text: string;
}

/** What a `submit` job carries: the draft as the dialogue handed it over. */
export interface SubmitPayload {
	draft: Draft;
	lang: Lang;
	at: number;
}

/** Every kind of work with I/O besides sending, with its payload as stored. */
export type Job =
	| { kind: "download"; payload: DownloadJob }
	| { kind: "submit"; payload: SubmitPayload }
	| { kind: "status"; payload: { ticket: string | null } }
	/** `handoffId`: the hand-off's id for staff (absent in jobs queued before it existed). */
	| { kind: "handoff"; payload: { at: number; handoffId?: string } }
	| { kind: "handoff_end"; payload: { at: number } }
	/** `handoffId` null: a hold from before hand-offs had ids (the conversation's open one). */
	| { kind: "handoff_expire"; payload: { handoffId: string | null; at: number } }
	| { kind: "handoff_reply"; payload: HandoffReply }
	| { kind: "handoff_file"; payload: HandoffFile }
	| { kind: "handoff_close"; payload: { handoffId: string } }
	| { kind: "complaint"; payload: { complaint: ComplaintFiling; at: number } }
	| { kind: "complaint_reply"; payload: ComplaintReply }
	| { kind: "discard"; payload: { keys: string[]; requestId: string } }
	| { kind: "notice"; payload: StaffNotice }
	| { kind: "result"; payload: ResultDelivery }
	| { kind: "resubmit"; payload: { requestId: string; files: DraftFile[]; at: number } }
	| { kind: "cancel"; payload: { ticket: string } }
	| {
			kind: "survey_open";
			payload: {
				surveyId: string;
				requestId: string | null;
				ticket: string | null;
				asked: boolean;
				at: number;
			};
	  }
	| {
			kind: "survey_finish";
			payload: {
				surveyId: string;
				answers: (number | null)[];
				suggestion: string | null;
				at: number;
			};
	  }
	| { kind: "opt_out"; payload: { id: string; optedOut: boolean; at: number } }
	| { kind: "operator"; payload: Record<string, never> }
	/**
	 * A message the outbox gave up on (outbox `seq`), as its dead letter keeps it: an admin's retry
	 * queues this job, which puts the message back in line (work/send-retry.ts).
	 */
	| { kind: "send"; payload: { seq: number; requestId: string | null } };

/**
 * A job as queued: its id (idempotency key), the tries it has had and when it was queued.
 * `ageFrom`: when its age cap counts from, if not from `createdAt` (the end of its last hold).
 */
export type QueuedJob = Job & {
	id: string;
	attempts: number;
	nextAt: number;
	createdAt: number;
	ageFrom?: number;
};

/** Downloads are retried this many times before the resident is asked to send the file again. */
export const MAX_MEDIA_ATTEMPTS = 5;

const HOUR_MS = 60 * 60_000;

/** How long the id of a job from outside is remembered (see Jobs.queueOnce): past any retry. */
export const ONCE_KEPT_MS = 30 * 24 * HOUR_MS;

/**
 * How long each kind of job may keep trying, in one table. `attempts`: tries in all when a retry
 * may help (a passing channel failure, or unexpected trouble: D1, R2, settings); `final`: tries
 * when the channel said no for good; `maxAgeMs`: how long after it was queued (or after the end of
 * a hold, see Jobs.hold) a job may still be retried. Past a cap the caller gives up: a download asks the resident for the file again, any
 * other job goes to the dead letters for an admin. With the backoff (2 s doubling to 10 min),
 * 12 tries take about 50 minutes.
 */
const POLICY: Record<Job["kind"], { attempts: number; final: number; maxAgeMs: number }> = {
	download: { attempts: MAX_MEDIA_ATTEMPTS, final: 1, maxAgeMs: HOUR_MS },
	submit: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	status: { attempts: 6, final: 6, maxAgeMs: HOUR_MS },
	handoff: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	handoff_end: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	handoff_expire: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	handoff_reply: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	handoff_file: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	handoff_close: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	complaint: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	complaint_reply: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	discard: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	notice: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	// A refused upload may be a passing problem on Meta's side: a few more tries.
	result: { attempts: 30, final: 4, maxAgeMs: 72 * HOUR_MS },
	resubmit: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	cancel: { attempts: 12, final: 12, maxAgeMs: 24 * HOUR_MS },
	survey_open: { attempts: 6, final: 6, maxAgeMs: HOUR_MS },
	survey_finish: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	opt_out: { attempts: 12, final: 12, maxAgeMs: 72 * HOUR_MS },
	operator: { attempts: 6, final: 6, maxAgeMs: HOUR_MS },
	send: { attempts: 6, final: 6, maxAgeMs: HOUR_MS },
};

/**
 * Why a try failed, as the caller learnt it. `unauthorized`: the channel refused the office's
 * credentials (an outage of ours): the job waits for them, past every cap, and spends no try.
 */
export interface JobFailure {
	retryable: boolean;
	retryAfterMs?: number;
	unauthorized?: true;
	detail: string;
}

/**
 * The `jobs` table: effects with I/O other than sending (downloads, submissions, lookups), run in
 * `seq` order; while one is pending the inbox waits, so messages are handled after it.
 */
export class Jobs {
	/**
	 * The line was found empty and nothing has been queued since: most runs have no job, and each
	 * asked the table two or three times (a new object's first asks also compile the statements).
	 * Only this object writes its tables and only {@link queue} adds a row, so the answer holds until
	 * then; a transaction that rolls back forgets it (Tables.transaction).
	 */
	private knownEmpty = false;

	constructor(private readonly sql: Sql) {}

	/** The line is empty (a new object's): no need to ask the table until something is queued. */
	startEmpty(): void {
		this.knownEmpty = true;
	}

	/** Forgets what was learnt of the line (a rolled-back transaction may have undone a queue). */
	forgetFound(): void {
		this.knownEmpty = false;
	}

	/** Queues a job after the others; false when a job with this id is already there. */
	queue(id: string, job: Job, now: number): boolean {
		this.knownEmpty = false;
		return (
			this.sql.exec(
				`INSERT INTO jobs (id, seq, kind, payload, next_at, created_at)
				 VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM jobs), ?, ?, ?, ?)
				 ON CONFLICT (id) DO NOTHING`,
				id,
				job.kind,
				JSON.stringify(job.payload),
				now,
				now,
			).rowsWritten > 0
		);
	}

	/**
	 * Queues a job handed in from outside (by staff, or the scheduler's redelivery of notices) once
	 * for good: its id is remembered after the job is done (for {@link ONCE_KEPT_MS}), so a repeat
	 * of the call is not carried out again, however late it comes. Call it in a transaction. The
	 * table is created on first use: most residents never get such a job, and a new object's
	 * schema is much of its first message's cost.
	 */
	queueOnce(id: string, job: Job, now: number): boolean {
		this.sql.exec(
			"CREATE TABLE IF NOT EXISTS jobs_once (id TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID",
		);
		this.sql.exec("DELETE FROM jobs_once WHERE at < ?", now - ONCE_KEPT_MS);
		const first =
			this.sql.exec(
				"INSERT INTO jobs_once (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
				id,
				now,
			).rowsWritten > 0;
		// Still queued from before ids were remembered: not twice either.
		return first && this.queue(id, job, now);
	}

	/** The first job in line, due or not. */
	next(): QueuedJob | undefined {
		if (this.knownEmpty) return undefined;
		const row = this.sql
			.exec<{
				id: string;
				kind: string;
				payload: string;
				attempts: number;
				next_at: number;
				created_at: number;
				age_from: number | null;
			}>(
				"SELECT id, kind, payload, attempts, next_at, created_at, age_from FROM jobs ORDER BY seq LIMIT 1",
			)
			.toArray()[0];
		if (row === undefined) {
			this.knownEmpty = true;
			return undefined;
		}
		// Rows are only ever written by `queue`, from a Job: kind and payload belong together.
		return {
			id: row.id,
			attempts: row.attempts,
			nextAt: row.next_at,
			createdAt: row.created_at,
			...(row.age_from === null ? {} : { ageFrom: row.age_from }),
			kind: row.kind,
			payload: JSON.parse(row.payload),
		} as QueuedJob;
	}

	/** Every job in line, in order (a conversation hands them over to the resident's next one). */
	all(): { id: string; job: Job }[] {
		if (this.knownEmpty) return [];
		return this.sql
			.exec<{ id: string; kind: string; payload: string }>(
				"SELECT id, kind, payload FROM jobs ORDER BY seq",
			)
			.toArray()
			.map((row) => ({
				id: row.id,
				// Rows are only ever written by `queue`, from a Job: kind and payload belong together.
				job: { kind: row.kind, payload: JSON.parse(row.payload) } as Job,
			}));
	}

	/** Whether any job is in line besides `except` (the one a step is finishing). */
	anyBesides(except: string | undefined): boolean {
		if (this.knownEmpty) return false;
		return (
			this.sql.exec("SELECT 1 FROM jobs WHERE id IS NOT ? LIMIT 1", except ?? null).toArray()
				.length > 0
		);
	}

	/** When the first job in line is due, if there is one. */
	nextAt(): number | undefined {
		if (this.knownEmpty) return undefined;
		const at = this.sql
			.exec<{ next_at: number }>("SELECT next_at FROM jobs ORDER BY seq LIMIT 1")
			.toArray()[0]?.next_at;
		if (at === undefined) this.knownEmpty = true;
		return at;
	}

	/** Removes a finished (or abandoned) job, and its dead letter if it was retried from one. */
	done(id: string): void {
		this.sql.exec("DELETE FROM jobs WHERE id = ?", id);
		this.sql.exec("DELETE FROM dead_jobs WHERE job_id = ?", id);
	}

	/** Takes a job out of the line without finishing it (it went to the dead letters). */
	drop(id: string): void {
		this.sql.exec("DELETE FROM jobs WHERE id = ?", id);
	}

	/** Tries the job again later, with backoff (never sooner than `retryAfterMs`). */
	private retry(job: QueuedJob, detail: string, retryAfterMs?: number): void {
		const attempts = job.attempts + 1;
		const delay = backoffDelay(attempts, { ...(retryAfterMs ? { retryAfterMs } : {}) });
		log.warn("conversation.job_retry", { kind: job.kind, attempts, delay, error: detail });
		this.sql.exec(
			"UPDATE jobs SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?",
			attempts,
			Date.now() + delay,
			detail.slice(0, 500),
			job.id,
		);
	}

	/**
	 * Keeps a job the channel could not serve for want of credentials: tried again with the
	 * outage's backoff, its tries left as they were, and its age counted again only from its next
	 * try (`age_from`): the outage is the office's, however long it lasts, and the resident's file
	 * is still there to fetch once the token is replaced (Meta keeps it 7 days). A failure after
	 * the outage then meets the caps as a fresh job's would, with the tries it had before.
	 */
	private hold(job: QueuedJob, detail: string, now: number): void {
		const delay = heldDelay(now - job.createdAt);
		log.warn("conversation.job_held", { kind: job.kind, delay, error: detail });
		this.sql.exec(
			"UPDATE jobs SET next_at = ?1, age_from = ?1, last_error = ?2 WHERE id = ?3",
			now + delay,
			detail.slice(0, 500),
			job.id,
		);
	}

	/**
	 * Applies the attempt policy ({@link POLICY}) to a failed try: schedules another and returns
	 * false, or returns true when the job is past its attempt or age cap and the caller must give
	 * up. Unexpected trouble counts as a failure a retry may help. A refused credential holds the
	 * job instead, past every cap ({@link hold}).
	 */
	retryOrGiveUp(job: QueuedJob, failure: JobFailure, now = Date.now()): boolean {
		if (failure.unauthorized) {
			this.hold(job, failure.detail, now);
			return false;
		}
		const policy = POLICY[job.kind];
		const allowed = failure.retryable ? policy.attempts : policy.final;
		const age = now - (job.ageFrom ?? job.createdAt);
		if (job.attempts + 1 >= allowed || age >= policy.maxAgeMs) return true;
		this.retry(job, failure.detail, failure.retryAfterMs);
		return false;
	}
}
