/**
 * The day-before reminder of home visits (jemput bola): the hourly cron tells each resident whose
 * visit is tomorrow (office time), or the operator who filed it without the resident's number,
 * once per visit, from REMINDER_HOUR until REMINDER_UNTIL_HOUR office time.
 *
 * Once per visit: the visit is marked reminded in the same batch that writes its notice to
 * `pending_notices`, and only the run that marked it hands the notice over; a hand-over that
 * fails is left to the notice redelivery (every 5 minutes), and the object ignores a notice it
 * already has. A visit moved to another slot is reminded again.
 *
 * @module
 */

import { settingsOf } from "../env";
import { deliverPending } from "../notices/deliver";
import { dueReminders, markReminded } from "../requests/home-visits";
import type { StaffNotice } from "../requests/notices";
import { recipientOf } from "../requests/recipients";
import { addDays } from "../standards/iso-date";
import { wallClock } from "../standards/office-clock";

/** The office-local hour from which reminders go out (none in the night). */
export const REMINDER_HOUR = 8;

/**
 * The office-local hour from which they no longer go out that day: a reminder the cron could not
 * send earlier is not worth a message at night (the visit's own notice already told the date).
 */
export const REMINDER_UNTIL_HOUR = 20;

/**
 * Reminds the residents of tomorrow's visits not reminded yet.
 *
 * @returns How many visits this run marked reminded.
 */
export async function remindVisits(env: Env, now = Date.now()): Promise<number> {
	const clock = wallClock(now, settingsOf(env).get("OFFICE_TIME_ZONE"));
	if (clock.minutes < REMINDER_HOUR * 60 || clock.minutes >= REMINDER_UNTIL_HOUR * 60) return 0;
	const officeNumber = settingsOf(env).get("WHATSAPP_PHONE_NUMBER_ID");
	let marked = 0;
	for (const visit of await dueReminders(env.DB, addDays(clock.date, 1))) {
		// The resident's chat (over WhatsApp, or the number the kelurahan filed with), else the
		// filing operator's: whoever the visit's own notice went to.
		const conversation = await recipientOf(env.DB, officeNumber, visit, now);
		const notice: StaffNotice = {
			noticeId: crypto.randomUUID(),
			requestId: visit.requestId,
			ticket: visit.ticket,
			serviceCode: visit.serviceCode,
			variantCode: visit.variantCode,
			kind: "visit",
			date: visit.date,
			from: visit.from,
			to: visit.to,
			reminder: true,
		};
		const kept = conversation ? { id: notice.noticeId, conversation, payload: notice } : null;
		if (!(await markReminded(env.DB, visit, kept, now))) continue;
		marked++;
		// After any notice of the request still kept, in order; one that fails stays for the cron.
		if (conversation !== null) await deliverPending(env, visit.requestId);
	}
	return marked;
}
