/** Jobs of complaints that write to D1: filing a complaint. */
import { conversationName } from "../../channel/address";
import { log } from "../../log";
import { fileComplaint } from "../../requests/complaints";
import { complaintSettings } from "../../requests/office-settings";
import { addWorkingDays } from "../../standards/calendar";
import { loadCalendar } from "../../standards/calendar-store";
import { addDays } from "../../standards/iso-date";
import { officeDate } from "../../standards/office-clock";
import type { ComplaintFiling } from "../dialogue";
import type { Work } from "./context";
import { apply } from "./steps";

/**
 * Records the resident's complaint (idempotent on its id) with its due date: the office's time
 * limit in working days from the day it came in, by the working calendar; then tells the
 * dialogue its ticket. Without calendar data for that year, the limit is counted in calendar
 * days (logged), so a complaint is never refused for it.
 */
export async function runComplaint(
	work: Work,
	jobId: string,
	payload: { complaint: ComplaintFiling; at: number },
): Promise<void> {
	const { businessId, residentId } = work.tables.kv.identity();
	const settings = work.settings();
	const timeZone = settings.get("OFFICE_TIME_ZONE");
	const [calendar, limits] = await Promise.all([
		loadCalendar(work.db, timeZone),
		complaintSettings(work.db),
	]);
	const days = limits.timeLimitDays;
	const today = officeDate(payload.at, timeZone);
	const due = addWorkingDays(calendar, today, days);
	if (!due.ok) log.warn("complaint.no_calendar", { date: today });
	const { complaint } = payload;
	const filed = await fileComplaint(work.db, {
		id: complaint.id,
		officeCode: settings.get("OFFICE_CODE"),
		timeZone,
		conversation: conversationName(businessId, residentId),
		businessId,
		residentId,
		...(complaint.requestTicket ? { requestTicket: complaint.requestTicket } : {}),
		body: complaint.body,
		...(complaint.photo ? { photo: complaint.photo } : {}),
		at: payload.at,
		dueDate: due.ok ? due.value : addDays(today, days),
	});
	log.info("conversation.complaint_filed", { complaintId: complaint.id });
	return apply(
		work,
		{
			type: "complaint_filed",
			complaintId: complaint.id,
			ticket: filed.ticket,
			days,
			dueDate: filed.dueDate,
		},
		{ jobId },
	);
}
