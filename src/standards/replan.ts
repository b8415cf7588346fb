/**
 * A request's dates after an admin changed the working calendar: the days it was promised stay
 * the same number of working days, counted on the calendar as it is now.
 *
 * Pure: the D1 side is `src/requests/replan.ts`.
 *
 * @module
 */

import type { CalendarShift } from "../requests/notices";
import {
	addWorkingDays,
	isWorkingDay,
	nextWorkingDay,
	type WorkingCalendar,
	workingDaysBetween,
} from "./calendar";
import type { IsoDate } from "./iso-date";

/** A request's queue date and due date. */
export interface PlannedDates {
	queueDate: IsoDate;
	/** Null when the calendar had no data for the year it falls in. */
	dueDate: IsoDate | null;
}

/**
 * The dates of an open request under the calendar `after`, planned under `before`:
 * - a queue date that is no longer a working day moves to the next working day (an earlier one
 *   never moves: the request was queued for that day, not brought forward);
 * - the due date keeps the request's budget, the working days from its queue date to its due
 *   date under `before` (which includes any pause already added for papers the resident owed),
 *   counted from the (new) queue date under `after`; null when `after` has no data for its year.
 *
 * @returns The new dates, or null when they do not change or cannot be told (no calendar data
 *   for the queue date or the budget: the request keeps what it has).
 */
export function replannedDates(
	before: WorkingCalendar,
	after: WorkingCalendar,
	planned: PlannedDates,
): PlannedDates | null {
	let queueDate = planned.queueDate;
	const open = isWorkingDay(after, queueDate);
	if (!open.ok) return null;
	if (!open.value) {
		const next = nextWorkingDay(after, queueDate);
		// The next working day lies in a year without data: nothing can be told of this request.
		if (!next.ok) return null;
		queueDate = next.value;
	}
	let dueDate: IsoDate | null = null;
	if (planned.dueDate !== null) {
		const budget = workingDaysBetween(before, planned.queueDate, planned.dueDate);
		if (!budget.ok) return null;
		const due = addWorkingDays(after, queueDate, Math.max(0, budget.value));
		dueDate = due.ok ? due.value : null;
	}
	if (queueDate === planned.queueDate && dueDate === planned.dueDate) return null;
	return { queueDate, dueDate };
}

/**
 * The days among `dates` (those a calendar change listed, removed or replaced) whose opening
 * differs between `before` and `after`: the reasons a due date moved. A replaced day that stays
 * closed (a holiday renamed) is none. `names` gives the name of each day the change added.
 */
export function shiftedDays(
	before: WorkingCalendar,
	after: WorkingCalendar,
	dates: Iterable<IsoDate>,
	names: ReadonlyMap<IsoDate, string>,
): CalendarShift[] {
	const shifts: CalendarShift[] = [];
	for (const date of new Set(dates)) {
		const was = isWorkingDay(before, date);
		const is = isWorkingDay(after, date);
		// A day in a year without data moves no due date: none is planned there.
		if (!was.ok || !is.ok || was.value === is.value) continue;
		const name = names.get(date);
		shifts.push({ date, open: is.value, ...(name === undefined ? {} : { name }) });
	}
	return shifts;
}
