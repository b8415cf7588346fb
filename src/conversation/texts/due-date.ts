/**
 * The words of a moved due date: an admin changed the office's working calendar (a cuti bersama
 * added, a holiday removed, a Saturday service) and a request's expected completion date moved
 * with it. The resident is told the new date, the one before, and which days changed. And of a
 * first one: a request filed when its due date fell in a year without calendar data (the receipt
 * gave the time limit only) gets its date once an admin declares that year's calendar set. And
 * of the date a request waiting for papers has once they arrive: told nothing while its clock
 * stood still, the resident learns it with the thanks for the papers (or the status notice).
 *
 * @module
 */

import type { CalendarShift } from "../../requests/notices";
import { formatDate } from "../../standards/dates-id";

/** The words of a moved due date. */
export interface DueDateTexts {
	/** The notice: `dueDate` and `previous` are YYYY-MM-DD, `days` the changed days that moved it. */
	moved(ticket: string, dueDate: string, previous: string, days: readonly CalendarShift[]): string;
	/** The template's summary outside the 24-hour window: it carries the new date too. */
	summary(dueDate: string): string;
	/** The notice of a first due date (YYYY-MM-DD), given once `year`'s calendar was set. */
	first(ticket: string, dueDate: string, year: number): string;
	/** Its template's summary outside the 24-hour window, naming the date. */
	firstSummary(dueDate: string): string;
	/** The status template's summary of a request back with staff after its papers, with its date. */
	resumedSummary(dueDate: string): string;
	/**
	 * The line naming the due date (YYYY-MM-DD) once a request's papers arrived and its clock runs
	 * again, after the thanks or the status notice saying so.
	 */
	resumed(dueDate: string): string;
}

export const dueDateId: DueDateTexts = {
	moved: (ticket, dueDate, previous, days) => {
		const reasons = days.map((day) => {
			const date = formatDate(day.date, "id");
			const named = day.name ? `${date} (${day.name})` : date;
			return day.open ? `kantor buka pada ${named}` : `kantor libur pada ${named}`;
		});
		return [
			`📅 Perkiraan selesai permohonan *${ticket}* ${dueDate > previous ? "mundur" : "maju"} menjadi *${formatDate(dueDate, "id")}* (sebelumnya ${formatDate(previous, "id")}).`,
			reasons.length > 0
				? `Sebabnya, kalender kerja kantor berubah: ${listed(reasons, "dan")}.`
				: "Sebabnya, kalender kerja kantor berubah.",
			"Ketik *status* untuk melihat perkembangannya.",
		].join("\n");
	},
	summary: (dueDate) => `Perkiraan selesai berubah menjadi ${formatDate(dueDate, "id")}`,
	first: (ticket, dueDate, year) =>
		[
			`📅 Permohonan *${ticket}* kini punya perkiraan selesai: *${formatDate(dueDate, "id")}*.`,
			`Kalender kerja kantor untuk tahun ${year} (hari libur dan cuti bersama) sudah ditetapkan, jadi tanggalnya kini dapat kami hitung.`,
			"Ketik *status* untuk melihat perkembangannya.",
		].join("\n"),
	firstSummary: (dueDate) => `Perkiraan selesai ${formatDate(dueDate, "id")}`,
	resumedSummary: (dueDate) => `Kembali diajukan. Perkiraan selesai: ${formatDate(dueDate, "id")}`,
	resumed: (dueDate) => `Perkiraan selesai: *${formatDate(dueDate, "id")}*.`,
};

export const dueDateEn: DueDateTexts = {
	moved: (ticket, dueDate, previous, days) => {
		const reasons = days.map((day) => {
			const date = formatDate(day.date, "en");
			const named = day.name ? `${date} (${day.name})` : date;
			return day.open ? `the office is open on ${named}` : `the office is closed on ${named}`;
		});
		return [
			`📅 The expected completion of request *${ticket}* moved ${dueDate > previous ? "later" : "earlier"}, to *${formatDate(dueDate, "en")}* (it was ${formatDate(previous, "en")}).`,
			reasons.length > 0
				? `This is because the office calendar changed: ${listed(reasons, "and")}.`
				: "This is because the office calendar changed.",
			"Type *status* to follow its progress.",
		].join("\n");
	},
	summary: (dueDate) => `Expected completion moved to ${formatDate(dueDate, "en")}`,
	first: (ticket, dueDate, year) =>
		[
			`📅 Request *${ticket}* now has an expected completion date: *${formatDate(dueDate, "en")}*.`,
			`The office's working calendar for ${year} (holidays and cuti bersama) is now set, so the date can be counted.`,
			"Type *status* to follow its progress.",
		].join("\n"),
	firstSummary: (dueDate) => `Expected completion ${formatDate(dueDate, "en")}`,
	resumedSummary: (dueDate) => `Submitted again. Expected completion: ${formatDate(dueDate, "en")}`,
	resumed: (dueDate) => `Expected completion: *${formatDate(dueDate, "en")}*.`,
};

/** "a; b; and c": the days are written with commas ("Senin, 14 Juni 2027"), so `;` parts them. */
function listed(items: readonly string[], and: string): string {
	if (items.length <= 1) return items.join("");
	return `${items.slice(0, -1).join("; ")}; ${and} ${items.at(-1)}`;
}
