/**
 * Daily quotas: the queue date and the place in that day's queue of a request arriving now.
 *
 * The rule, as offices such as Kota Bogor run it:
 * - A request is always accepted. Its first choice of day is the day staff will first look at
 *   it ({@link firstLook}): today when it arrives on a working day before closing time (before
 *   opening too: staff see it when they open), otherwise the next working day. So a request sent
 *   after hours, on a weekend, a holiday or a cuti bersama day queues on the next working day.
 * - When the service has a daily quota and that day already holds `quota` requests, the request
 *   rolls to the next working day with room, skipping weekends, holidays and cuti bersama.
 * - Its position is the number already queued that day, plus one.
 *
 * @module
 */

import { firstLook, nextWorkingDay, type Outcome, type WorkingCalendar } from "./calendar";
import type { IsoDate } from "./iso-date";

/** Where a new request queues. */
export interface QueuePlace {
	/** The day the request is queued for (office-local). */
	queueDate: IsoDate;
	/** Its place in that day's queue, from 1. */
	position: number;
	/** The day it would have had without a quota: the day staff first look. */
	firstChoice: IsoDate;
	/** True when the quota pushed it past its first choice. */
	rolledOver: boolean;
	/** True when it arrived while the office was open. */
	arrivedWhileOpen: boolean;
}

/**
 * The queue date and position of a request arriving at `at`.
 *
 * @param taken - Requests already queued per office-local date, for the first-choice day and
 *   the days after it (a missing date counts as none).
 * @param quota - The service's daily quota, or null for none.
 * @throws RangeError when the quota is neither null nor a positive integer, or a count is not a
 *   non-negative integer.
 */
export function queuePlace(
	calendar: WorkingCalendar,
	at: number,
	quota: number | null,
	taken: ReadonlyMap<IsoDate, number>,
): Outcome<QueuePlace> {
	if (quota !== null && (!Number.isSafeInteger(quota) || quota < 1)) {
		throw new RangeError("a daily quota must be a positive integer or null");
	}
	const count = (date: IsoDate): number => {
		const value = taken.get(date) ?? 0;
		if (!Number.isSafeInteger(value) || value < 0) {
			throw new RangeError(`the count for ${date} must be a non-negative integer`);
		}
		return value;
	};
	const look = firstLook(calendar, at);
	if (!look.ok) return look;
	let queueDate = look.value.date;
	while (quota !== null && count(queueDate) >= quota) {
		const next = nextWorkingDay(calendar, queueDate);
		if (!next.ok) return next;
		queueDate = next.value;
	}
	return {
		ok: true,
		value: {
			queueDate,
			position: count(queueDate) + 1,
			firstChoice: look.value.date,
			rolledOver: queueDate !== look.value.date,
			arrivedWhileOpen: look.value.openNow,
		},
	};
}
