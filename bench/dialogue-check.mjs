/**
 * The dialogue phase's check, through the staff API: every resident's request found by its ticket
 * with its three files (size and SHA-256), no ticket told twice, every inbound message marked read
 * once, and no more Legalisir requests in D1 than were completed. Counts what was lost and what
 * was duplicated.
 */
import http from "node:http";
import { textOf } from "./resident.mjs";
import { cfg, log, remainingMs, TICKET } from "./settings.mjs";
import { eachLimited, staffJson } from "./staff.mjs";
import { bench } from "./state.mjs";

/** Checks `residents` (of which `completed` finished); the check and the staff calls it made. */
export async function checkRequests(residents, completed) {
	const n = residents.length;
	log("dialogue: checking every request through the staff API");
	const staffAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
	const staffBefore = bench.staffCalls;
	const check = {
		residents: n,
		completed,
		failed: residents.filter((r) => r.failure).length,
		failures: [...new Set(residents.filter((r) => r.failure).map((r) => r.failure))].slice(0, 10),
		requestsFound: 0,
		requestsWithThreeFiles: 0,
		attachmentsChecked: 0,
		attachmentProblems: [],
		ticketsToldMoreThanOnce: 0,
		residentsWithoutTicket: 0,
		duplicateTickets: 0,
		duplicateAttachmentIds: 0,
		confirmationsNotThree: 0,
		inboundMessages: 0,
		inboundNotMarkedRead: 0,
		inboundMarkedReadTwice: 0,
		webhookRetries: residents.reduce((a, r) => a + r.webhookErrors, 0),
	};
	const ticketOwners = new Map();
	const attachmentIds = new Set();
	for (const r of residents) {
		const toldTickets = bench.fake.sentTo(r.id).filter((m) => TICKET.test(textOf(m)));
		if (toldTickets.length > 1) check.ticketsToldMoreThanOnce++;
		if (r.completedAt && toldTickets.length === 0) check.residentsWithoutTicket++;
		const confirmations = bench.fake.sentTo(r.id).filter((m) => textOf(m).includes("✅")).length;
		if (r.completedAt && confirmations !== 3) check.confirmationsNotThree++;
		if (r.ticket) {
			if (ticketOwners.has(r.ticket)) check.duplicateTickets++;
			ticketOwners.set(r.ticket, r.id);
		}
		for (const id of r.messageIds) {
			check.inboundMessages++;
			const times = bench.fake.reads.get(id) ?? 0;
			if (times === 0) check.inboundNotMarkedRead++;
			if (times > 1) check.inboundMarkedReadTwice++;
		}
	}
	const withTicket = residents.filter((r) => r.ticket);
	await eachLimited(withTicket, 8, async (r) => {
		if (remainingMs() < 60_000) return;
		const list = await staffJson(`/api/v1/requests?q=${encodeURIComponent(r.ticket)}`, staffAgent);
		const items = list.body?.items ?? [];
		if (list.status !== 200 || items.length !== 1 || items[0].ticket !== r.ticket) {
			check.attachmentProblems.push(`${r.ticket}: search found ${items.length} (${list.status})`);
			return;
		}
		check.requestsFound++;
		const detail = await staffJson(
			`/api/v1/requests/${encodeURIComponent(items[0].id)}`,
			staffAgent,
		);
		const attachments = (detail.body?.documents ?? []).flatMap((d) => d.attachments ?? []);
		const expected = new Set(r.files.map((f) => f.sha256Hex));
		let good = 0;
		for (const a of attachments) {
			check.attachmentsChecked++;
			if (attachmentIds.has(a.id)) check.duplicateAttachmentIds++;
			attachmentIds.add(a.id);
			if (a.size === cfg.fileBytes && expected.delete(a.sha256) && a.state === "active") good++;
		}
		if (detail.body?.resident?.residentId !== r.id) {
			check.attachmentProblems.push(`${r.ticket}: resident ${detail.body?.resident?.residentId}`);
		}
		if (attachments.length === 3 && good === 3) check.requestsWithThreeFiles++;
		else {
			check.attachmentProblems.push(
				`${r.ticket}: ${attachments.length} attachments, ${good} of the expected size and hash`,
			);
		}
	});
	// Every Legalisir request in D1, page by page: more than the completed ones = duplicates.
	let total = 0;
	let cursor = null;
	for (let page = 0; page < 1 + Math.ceil(n / 100) + 5; page++) {
		const list = await staffJson(
			`/api/v1/requests?service=legalisir&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
			staffAgent,
		);
		total += list.body?.items?.length ?? 0;
		cursor = list.body?.nextCursor ?? null;
		if (!cursor) break;
	}
	staffAgent.destroy();
	check.requestsListed = total;
	check.attachmentProblems = check.attachmentProblems.slice(0, 20);
	const staffCallsMade = bench.staffCalls - staffBefore;
	const lost =
		n -
		completed +
		(withTicket.length - check.requestsFound) +
		(check.requestsFound - check.requestsWithThreeFiles) +
		check.residentsWithoutTicket +
		check.inboundNotMarkedRead;
	const duplicated =
		Math.max(0, total - completed) +
		check.ticketsToldMoreThanOnce +
		check.duplicateTickets +
		check.duplicateAttachmentIds +
		check.inboundMarkedReadTwice +
		check.confirmationsNotThree;
	check.lost = lost;
	check.duplicated = duplicated;

	return { check, staffCallsMade };
}
