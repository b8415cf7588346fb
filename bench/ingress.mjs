/**
 * Phase 1 and 2: signed single-message webhooks (recurring and new residents) and status webhooks
 * at each concurrency, each run after GET /health on as many connections (the floor of the ratio).
 */
import http from "node:http";
import { delta, jsonOf, metrics, request } from "./http.mjs";
import { countAccepted, health, loadRun, settle } from "./load.mjs";
import { cfg, log, remainingMs, round } from "./settings.mjs";
import { bench } from "./state.mjs";
import { messageWebhook, pastSeconds, statusWebhook, text, webhookRequest } from "./webhooks.mjs";

/** The recurring residents (warmed once) and the request generators of the load runs. */
export const load = {
	pool: [],
	poolTurn: 0,
	newResident: 0,
	statusTurn: 0,
	statusTargets: [],
};
/** "halo" from the pool in turn; `ahead` seconds moves the message's time (0: 2 s ago). */
export const recurring =
	(ahead = 0) =>
	() =>
		webhookRequest(
			messageWebhook(
				load.pool[load.poolTurn++ % load.pool.length],
				text("halo"),
				pastSeconds() + (ahead ? 2 + ahead : 0),
			),
		);
/** "Halo" from a resident never seen before (a new Conversation object each time). */
export const fresh =
	(ahead = 0) =>
	() => {
		load.newResident++;
		const from = `62813${String(load.newResident).padStart(7, "0")}`;
		return webhookRequest(
			messageWebhook(from, text("Halo"), pastSeconds() + (ahead ? 2 + ahead : 0)),
		);
	};
/** Statuses (sent, delivered, read) of messages the bot really sent to the pool, then made-up ids. */
export const statuses = () => {
	if (load.statusTargets.length === 0) {
		// With the mark the bot sent (biz_opaque_callback_data), which Meta echoes in statuses.
		load.statusTargets = load.pool.flatMap((id) =>
			bench.fake.sentTo(id).map((m) => [id, m.id, m.body.biz_opaque_callback_data]),
		);
	}
	const sent = load.statusTargets;
	const states = ["sent", "delivered", "read"];
	const k = load.statusTurn++;
	const [recipient, wamid, callbackData] =
		k < sent.length * states.length
			? sent[k % sent.length]
			: [load.pool[k % load.pool.length], `wamid.BENCHSTATUS${k}`];
	const state = states[Math.floor(k / Math.max(1, sent.length)) % states.length];
	return webhookRequest(statusWebhook(recipient, wamid, state, pastSeconds(), callbackData));
};

export async function ingressPhase(report) {
	load.pool = Array.from({ length: cfg.pool }, (_, i) => `628120${String(i).padStart(6, "0")}`);
	log(`ingress: warming ${load.pool.length} recurring residents`);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
	await Promise.all(
		load.pool.map(async (from) => {
			const res = await request({
				...webhookRequest(messageWebhook(from, text("Halo"), pastSeconds())),
				agent,
			});
			bench.acceptedMessages += jsonOf(res)?.received ?? 0;
		}),
	);
	agent.destroy();
	await settle();

	/** A /health run, then `next`'s run right after it on as many connections, then a settle. */
	const measure = async (label, concurrency, next, { drain = true } = {}) => {
		const floor = await loadRun({ concurrency, next: health });
		const before = await metrics();
		const readsBefore = bench.fake.stats.reads;
		const marksBefore = bench.fake.stats.markCalls;
		const sendsBefore = bench.fake.stats.sends;
		const run = await loadRun({ concurrency, next, onDone: countAccepted });
		const drained = drain ? await settle() : null;
		const used = delta(await metrics(), before);
		log(
			`ingress c=${concurrency} ${label}: ${run.rps} req/s (health ${floor.rps}), p99 ${run.p99Ms} ms (health ${floor.p99Ms}), errors ${run.errors}, workerd busiest thread ${run.cpu?.workerdBusiestThreadPct ?? "-"}%${drained ? `, drained in ${(drained.drainedMs / 1000).toFixed(1)} s` : ""}`,
		);
		return {
			label,
			health: floor,
			...run,
			ratio: round(run.rps / floor.rps, 3),
			p99Ratio: round(run.p99Ms / floor.p99Ms, 2),
			d1QueriesOnWebhook: used.d1QueriesOnWebhook,
			storage: used,
			messagesRead: bench.fake.stats.reads - readsBefore,
			markReadCalls: bench.fake.stats.markCalls - marksBefore,
			replies: bench.fake.stats.sends - sendsBefore,
			...(drained ? { drainedMs: drained.drainedMs, backlog: drained.backlog } : {}),
		};
	};

	report.ingress = [];
	const perRun = (cfg.seconds + cfg.warmup) * 1000;
	for (const concurrency of cfg.levels) {
		if (remainingMs() < perRun * 6 + 240_000) {
			report.notes.push(`ingress at ${concurrency} connections skipped: time budget`);
			continue;
		}
		report.ingress.push({
			concurrency,
			recurring: await measure("webhook, recurring residents", concurrency, recurring()),
			newResidents: await measure("webhook, new residents", concurrency, fresh()),
			statuses: await measure("status webhooks", concurrency, statuses, { drain: false }),
		});
	}

	// Diagnostic, not a target: the same webhooks at the top level with the messages' time set
	// ahead, so that the work they trigger (alarm, replies, marks) runs only after the
	// measurement. workerd runs the worker and every object on one thread here, so this separates
	// the acknowledgement path from the dialogue work competing with it.
	const top = cfg.levels.at(-1);
	if (top !== undefined && report.ingress.length > 0 && remainingMs() > perRun * 4 + 300_000) {
		const ahead = Math.ceil(cfg.warmup + cfg.seconds) + 5;
		report.ingressWorkDeferred = {
			concurrency: top,
			deferSeconds: ahead,
			recurring: await measure("recurring, work deferred", top, recurring(ahead)),
			newResidents: await measure("new residents, work deferred", top, fresh(ahead)),
		};
	}
}
