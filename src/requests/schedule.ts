/**
 * A request's place in time: its queue date and due date at submission (the service's daily
 * quota and time limit over the office's working calendar), and the due date moved by the days
 * a request waited for the resident's papers. The arithmetic is `src/standards/`; this module
 * reads the counts it needs from D1.
 *
 * @module
 */

import { addWorkingDays, type WorkingCalendar, workingDaysBetween } from "../standards/calendar";
import type { IsoDate } from "../standards/iso-date";
import { officeDate } from "../standards/office-clock";
import { queuePlace } from "../standards/queue";

/** What a submission needs to know of its service's standard. */
export interface ScheduleStandard {
	timeLimitDays: number;
	dailyQuota: number | null;
}

/** Where a new request queues and when it is due. */
export interface SubmissionPlan {
	queueDate: IsoDate;
	/** Null when the calendar has no data for the year the due date falls in. */
	dueDate: IsoDate | null;
	/** True when the quota pushed it past the day staff would first look at it. */
	rolledOver: boolean;
	/** True when it arrived while the office was open. */
	arrivedWhileOpen: boolean;
	/** The day staff first look at it, when it arrived outside office hours. */
	firstLookDate: IsoDate;
}

/**
 * Plans a request arriving at `at`: the queue date after the service's daily quota (counting the
 * service's requests already queued per day, except those the resident cancelled: a cancelled
 * request gives its place back), then the due date. Without calendar data for the
 * day, the request queues on its office-local submission day with no due date.
 *
 * The counts are read before the submission's own batch, so two requests arriving at the same
 * moment may both take the last place of a day: a quota is a planning figure, not a hard limit.
 */
export async function planSubmission(
	db: D1Database,
	calendar: WorkingCalendar,
	serviceCode: string,
	standard: ScheduleStandard,
	at: number,
): Promise<SubmissionPlan> {
	const today = officeDate(at, calendar.timeZone);
	const taken = new Map<IsoDate, number>();
	if (standard.dailyQuota !== null) {
		const { results } = await db
			.prepare(
				`SELECT queue_date, count(*) AS n FROM requests
				WHERE service_code = ? AND queue_date >= ? AND status <> 'cancelled'
				GROUP BY queue_date`,
			)
			.bind(serviceCode, today)
			.all<{ queue_date: string; n: number }>();
		for (const row of results) taken.set(row.queue_date, row.n);
	}
	const place = queuePlace(calendar, at, standard.dailyQuota, taken);
	if (!place.ok) {
		return {
			queueDate: today,
			dueDate: null,
			rolledOver: false,
			arrivedWhileOpen: false,
			firstLookDate: today,
		};
	}
	const due = addWorkingDays(calendar, place.value.queueDate, standard.timeLimitDays);
	return {
		queueDate: place.value.queueDate,
		dueDate: due.ok ? due.value : null,
		rolledOver: place.value.rolledOver,
		arrivedWhileOpen: place.value.arrivedWhileOpen,
		firstLookDate: place.value.firstChoice,
	};
}

/** A due date moved because the clock stopped while the request waited for papers. */
export interface DueDateMove {
	from: IsoDate;
	to: IsoDate;
	/** Working days the request waited in needs_revision. */
	waitedDays: number;
}

/**
 * The due date of a request coming back from `needs_revision` at `at`: moved by the working days
 * since it entered `needs_revision` (its latest such event), counted from its queue date when it
 * was paused earlier (a request queued for a later day had no clock running before that day).
 * Null when there is nothing to move (no due date, no such event, no working day waited, or no
 * calendar data for those days).
 */
export async function resumedDueDate(
	db: D1Database,
	calendar: WorkingCalendar,
	requestId: string,
	at: number,
): Promise<DueDateMove | null> {
	const row = await db
		.prepare(
			`SELECT r.queue_date, r.due_date, (SELECT max(e.at) FROM request_events e
				WHERE e.request_id = r.id AND e.to_status = 'needs_revision') AS paused_at
			FROM requests r WHERE r.id = ?`,
		)
		.bind(requestId)
		.first<{ queue_date: string | null; due_date: string | null; paused_at: number | null }>();
	if (row?.due_date == null || row.paused_at === null) return null;
	const pausedOn = officeDate(row.paused_at, calendar.timeZone);
	// ISO dates compare as strings.
	const from = row.queue_date !== null && row.queue_date > pausedOn ? row.queue_date : pausedOn;
	const waited = workingDaysBetween(calendar, from, officeDate(at, calendar.timeZone));
	if (!waited.ok || waited.value <= 0) return null;
	const moved = addWorkingDays(calendar, row.due_date, waited.value);
	if (!moved.ok) return null;
	return { from: row.due_date, to: moved.value, waitedDays: waited.value };
}
