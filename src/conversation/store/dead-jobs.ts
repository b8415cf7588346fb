import type { Job, QueuedJob } from "./jobs";
import type { Sql } from "./sql";

/** A job that had its tries, as the object keeps it until an admin retries it. */
export interface DeadJob {
	jobId: string;
	letterId: string;
	job: Job;
	requestId: string | null;
	attempts: number;
	firstAt: number;
	lastAt: number;
	error: string;
}

type DeadJobRow = {
	job_id: string;
	letter_id: string;
	kind: string;
	payload: string;
	request_id: string | null;
	attempts: number;
	first_at: number;
	last_at: number;
	error: string;
};

function fromRow(row: DeadJobRow): DeadJob {
	return {
		jobId: row.job_id,
		letterId: row.letter_id,
		// Rows are only ever written by `add`, from a Job: kind and payload belong together.
		job: { kind: row.kind, payload: JSON.parse(row.payload) } as Job,
		requestId: row.request_id,
		attempts: row.attempts,
		firstAt: row.first_at,
		lastAt: row.last_at,
		error: row.error,
	};
}

/**
 * The `dead_jobs` table: jobs past their attempt or age cap, with their payload (which never
 * leaves the object), and whether D1's `dead_letters` has been told (`reported`).
 */
/** What a dead letter records of its job's last failure, and the letter's id if it is new. */
interface DeadLetterFacts {
	requestId: string | null;
	error: string;
	attempts: number;
	firstAt: number;
	now: number;
	newLetterId: string;
}

export class DeadJobs {
	/**
	 * None was found unreported and none has died since: every run asks, and almost none has any.
	 * Only {@link add} makes a row unreported, so the answer holds until then; a transaction that
	 * rolls back forgets it (Tables.transaction).
	 */
	private noneUnreported = false;

	constructor(private readonly sql: Sql) {}

	/** None is unreported (a new object's): no need to ask until a job dies. */
	startEmpty(): void {
		this.noneUnreported = true;
	}

	/** Forgets what was learnt (a rolled-back transaction may have undone a report). */
	forgetFound(): void {
		this.noneUnreported = false;
	}

	/**
	 * Records a dead job; one dead again after a retry keeps its letter id (admins see one row).
	 * Returns the letter id.
	 */
	add(
		job: QueuedJob,
		at: { requestId: string | null; error: string; now: number; newLetterId: string },
	): string {
		return this.insert(job.id, job, { ...at, attempts: job.attempts + 1, firstAt: job.createdAt });
	}

	/**
	 * Records a message the outbox gave up on (its row stays, `dead`) as the dead `send` job that
	 * puts it back in line when an admin retries it. Returns the letter id.
	 */
	addMessage(seq: number, at: DeadLetterFacts): string {
		return this.insert(
			`send:${seq}`,
			{ kind: "send", payload: { seq, requestId: at.requestId } },
			at,
		);
	}

	private insert(jobId: string, job: Job, at: DeadLetterFacts): string {
		this.noneUnreported = false;
		const row = this.sql
			.exec<{ letter_id: string }>(
				`INSERT INTO dead_jobs
				 (job_id, letter_id, kind, payload, request_id, attempts, first_at, last_at, error)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT (job_id) DO UPDATE SET attempts = excluded.attempts,
				 last_at = excluded.last_at, error = excluded.error, reported = 0
				 RETURNING letter_id`,
				jobId,
				at.newLetterId,
				job.kind,
				JSON.stringify(job.payload),
				at.requestId,
				at.attempts,
				at.firstAt,
				at.now,
				at.error,
			)
			.one();
		return row.letter_id;
	}

	/** Dead jobs D1 has not recorded yet. */
	unreported(): DeadJob[] {
		if (this.noneUnreported) return [];
		const rows = this.sql.exec<DeadJobRow>("SELECT * FROM dead_jobs WHERE reported = 0").toArray();
		if (rows.length === 0) this.noneUnreported = true;
		return rows.map(fromRow);
	}

	markReported(jobId: string, lastAt: number): void {
		this.sql.exec(
			"UPDATE dead_jobs SET reported = 1 WHERE job_id = ? AND last_at = ?",
			jobId,
			lastAt,
		);
	}

	/** Every dead job (an object rarely holds one: jobs die only after a day of failing). */
	all(): DeadJob[] {
		return this.sql.exec<DeadJobRow>("SELECT * FROM dead_jobs").toArray().map(fromRow);
	}

	/** Lets dead jobs go for good (their letters expired, or the chat was erased). */
	drop(jobIds: string[]): void {
		for (const id of jobIds) this.sql.exec("DELETE FROM dead_jobs WHERE job_id = ?", id);
	}

	/**
	 * The dead job behind a letter, until the job succeeds (`Jobs.done` removes it): a retry
	 * that fails again keeps its letter.
	 */
	byLetter(letterId: string): DeadJob | undefined {
		const row = this.sql
			.exec<DeadJobRow>("SELECT * FROM dead_jobs WHERE letter_id = ?", letterId)
			.toArray()[0];
		return row === undefined ? undefined : fromRow(row);
	}
}
