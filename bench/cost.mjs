/** What a completed request costs at Cloudflare's list prices. */
import { round } from "./settings.mjs";
import { bench } from "./state.mjs";

/**
 * Cloudflare list prices (USD, Workers Paid, beyond the included usage), read on 2026-11-28 from
 * developers.cloudflare.com (cloudflare/cloudflare-docs sources of the pages below).
 */
export const PRICES = {
	readOn: "2026-11-28",
	sources: [
		"https://developers.cloudflare.com/workers/platform/pricing/",
		"https://developers.cloudflare.com/d1/platform/pricing/",
		"https://developers.cloudflare.com/durable-objects/platform/pricing/",
		"https://developers.cloudflare.com/r2/pricing/",
	],
	workersRequestsPerMillion: 0.3,
	workersCpuMsPerMillion: 0.02,
	d1RowsReadPerMillion: 0.001,
	d1RowsWrittenPerMillion: 1.0,
	doRequestsPerMillion: 0.15,
	doDurationPerMillionGbS: 12.5,
	doRowsReadPerMillion: 0.001,
	doRowsWrittenPerMillion: 1.0,
	r2ClassAPerMillion: 4.5,
	r2ClassBPerMillion: 0.36,
	notes: [
		"Marginal prices only: the $5/month base and the monthly included usage are ignored.",
		"Durable Objects: each RPC call and each alarm invocation is a request; each setAlarm() is billed as one row written; duration is billed for 128 MB while active.",
	],
};

export const per1000 = (count, pricePerMillion) => (count * pricePerMillion * 1000) / 1e6;

/**
 * Dollars per 1,000 completed requests from the per-request counts. DO requests: one `receive`
 * RPC per webhook, one `caseState` RPC per request page, and the alarms (estimated as one per
 * inbound message until the breakdown run counts them); setAlarm() calls are billed as rows
 * written and counted only in the breakdown run.
 */
export function priceCost(cost) {
	const p = cost.perRequest;
	p.doRequests = round(p.doRpcs + p.doAlarms, 2);
	const dollars = {
		workersRequests: per1000(p.workersRequests, PRICES.workersRequestsPerMillion),
		d1RowsRead: per1000(p.d1RowsRead, PRICES.d1RowsReadPerMillion),
		d1RowsWritten: per1000(p.d1RowsWritten, PRICES.d1RowsWrittenPerMillion),
		doRequests: per1000(p.doRequests, PRICES.doRequestsPerMillion),
		doRowsWritten: per1000(p.doRowsWritten, PRICES.doRowsWrittenPerMillion),
		// Counted since the eighth pass of issue 15; earlier reports left these out.
		doRowsRead: per1000(p.doRowsRead ?? 0, PRICES.doRowsReadPerMillion),
		doSetAlarmRows: per1000(p.doSetAlarmCalls ?? 0, PRICES.doRowsWrittenPerMillion),
		r2ClassA: per1000(p.r2ClassA, PRICES.r2ClassAPerMillion),
		r2ClassB: per1000(p.r2ClassB, PRICES.r2ClassBPerMillion),
	};
	dollars.total = Object.values(dollars).reduce((a, b) => a + b, 0);
	cost.dollarsPer1000Requests = Object.fromEntries(
		Object.entries(dollars).map(([k, v]) => [k, round(v, 5)]),
	);
}

/**
 * Not in the measured cost: WhatsApp sends a status webhook (sent, delivered, read) for every
 * message the bot sends. Their price per request, from the status runs' DO rows per webhook.
 */
export function metaStatusesEstimate(report) {
	const cost = report.cost;
	const runs = (report.ingress ?? []).map((level) => level.statuses);
	const webhooks = runs.reduce((a, run) => a + run.requests, 0);
	if (!cost?.outboundMessagesPerRequest || webhooks === 0) return;
	const sum = (key) => runs.reduce((a, run) => a + (run.storage[key] ?? 0), 0);
	// The status runs' statuses are for the bot's ordinary replies, which need no object.
	const rowsPerStatus = sum("doRowsWritten") / webhooks;
	const doRequestsPerStatus = sum("doRequests") / webhooks;
	const statuses = cost.outboundMessagesPerRequest * 3;
	// Messages whose delivery staff follow send their delivered and read on to the object: one
	// request and (at most) one row each, counted from what the dialogue's residents were sent.
	const followed = (cost.trackedMessagesPerRequest ?? 0) * 2;
	const dollars =
		per1000(statuses, PRICES.workersRequestsPerMillion) +
		per1000(statuses * doRequestsPerStatus + followed, PRICES.doRequestsPerMillion) +
		per1000(statuses * rowsPerStatus + followed, PRICES.doRowsWrittenPerMillion);
	cost.metaStatusesEstimate = {
		statusWebhooksPerRequest: round(statuses, 1),
		doRowsWrittenPerStatus: round(rowsPerStatus, 2),
		doRequestsPerStatus: round(doRequestsPerStatus, 2),
		followedStatusesPerRequest: round(followed, 2),
		dollarsPer1000Requests: round(dollars, 5),
		totalWithStatusesPer1000: round((cost.dollarsPer1000Requests?.total ?? 0) + dollars, 5),
		note: "Three status webhooks (sent, delivered, read) per message the bot sent, each a Workers request, with the DO requests and rows measured per status webhook in the status runs (ordinary replies), plus one DO request and one row for the delivered and the read of each message whose delivery staff follow (biz_opaque_callback_data).",
	};
}

/**
 * The storage and requests used per completed request of the dialogue phase (`used`: its
 * /dev/metrics deltas; `inbound`: messages accepted), priced.
 */
export function dialogueCost({ residents, completed, used, inbound, staffCallsMade }) {
	const perRequest = (value) => (completed > 0 ? value / completed : null);
	const webhookPosts = residents.reduce((a, r) => a + r.webhookPosts, 0);
	// Staff calls of a real case, as this check made them: a search and the request's page.
	const staffPerRequest = 2;
	const sentToCompleted = residents
		.filter((r) => r.completedAt)
		.flatMap((r) => bench.fake.sentTo(r.id));
	const tracked = sentToCompleted.filter((m) => m.body.biz_opaque_callback_data !== undefined);
	const cost = {
		completed,
		outboundMessagesPerRequest: round(perRequest(sentToCompleted.length), 2),
		trackedMessagesPerRequest: round(perRequest(tracked.length), 2),
		perRequest: {
			d1RowsRead: round(perRequest(used.d1RowsRead), 1),
			d1RowsWritten: round(perRequest(used.d1RowsWritten), 1),
			d1Queries: round(perRequest(used.d1Queries), 1),
			doRowsWritten: round(perRequest(used.doRowsWritten), 1),
			doStatements: round(perRequest(used.doStatements ?? 0), 1),
			doRowsRead: round(perRequest(used.doRowsRead ?? 0), 1),
			r2ClassA: round(perRequest(used.r2ClassA), 2),
			r2ClassB: round(perRequest(used.r2ClassB), 2),
			webhooks: round(perRequest(webhookPosts), 2),
			staffCalls: staffPerRequest,
			workersRequests: round(perRequest(webhookPosts) + staffPerRequest, 2),
			doRpcs: round(perRequest(webhookPosts) + 1, 2),
			// About one per inbound message (each is sent only after the previous reply); replaced
			// by the count of the breakdown run when it ran.
			doAlarms: round(perRequest(inbound), 2),
			doAlarmsSource: "estimate: one per inbound message",
			doSetAlarmCalls: null,
		},
		storage: used,
		inboundMessages: inbound,
		staffCallsMadeByTheCheck: staffCallsMade,
	};
	priceCost(cost);
	return cost;
}
