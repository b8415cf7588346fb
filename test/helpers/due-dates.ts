/**
 * Requests whose due date the office's calendar decides: a Legalisir (1 working day) filed over
 * WhatsApp, moved by staff, or dated as if filed before its year's calendar was set.
 *
 * @module
 */

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { addWorkingDays } from "../../src/standards/calendar";
import { loadCalendar } from "../../src/standards/calendar-store";
import { fillDetails, type Resident, requestRows, sendFile } from "./resident";
import { api } from "./staff";

/** A resident files a Legalisir (1 working day) over WhatsApp, now; its id, ticket and dates. */
export async function fileLegalisir(r: Resident) {
	await fillDetails(r, { service: "Legalisir" });
	await sendFile(r, "pdf");
	await r.tap("Lanjut");
	await r.tap("Kirim");
	r.replies();
	const [row] = await requestRows(r.id);
	return {
		id: String(row?.id),
		ticket: String(row?.ticket),
		queueDate: String(row?.queue_date),
		dueDate: String(row?.due_date),
	};
}

/** The due date of a Legalisir queued on `queueDate`, on the calendar as it is now. */
export async function dueOn(queueDate: string): Promise<string> {
	const due = addWorkingDays(await loadCalendar(env.DB, "Asia/Jakarta"), queueDate, 1);
	if (!due.ok) throw new Error("no calendar data for the due date");
	return due.value;
}

/** Staff move the request through `statuses`, each answered 200. */
export async function move(id: string, ...statuses: Record<string, unknown>[]) {
	for (const json of statuses) {
		expect((await api("POST", `/requests/${id}/transitions`, { json })).status).toBe(200);
	}
}

/** The messages about a moved due date among `told`'s texts. */
export function dueNotices(told: string): string[] {
	return told.split("\n---\n").filter((text) => text.includes("Perkiraan selesai permohonan"));
}

/** An admin's declaration that 2028's calendar is set (`PUT /calendar/years/2028`). */
export const DECREE_2028 = {
	decree: "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB tentang 2028 (uji)",
	source: "https://www.setneg.go.id/baca/index/skb_3_menteri_2028",
	verification: "Every date checked against the decree's own PDF.",
};

/** Its request as if filed on Friday 31 December 2027 while 2028 had no data: no due date. */
export async function filedBeforeTheDecree(r: Resident, status?: Record<string, unknown>[]) {
	const request = await fileLegalisir(r);
	if (status) await move(request.id, ...status);
	await env.DB.prepare(
		"UPDATE requests SET queue_date = '2027-12-31', due_date = NULL WHERE id = ?",
	)
		.bind(request.id)
		.run();
	await r.settle();
	r.replies();
	return request;
}
