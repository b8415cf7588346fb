/**
 * Phase 3: N residents at once file a Legalisir request with three PDFs through signed webhooks,
 * each step awaiting the bot's reply; then the check through the staff API and the cost.
 */
import http from "node:http";
import { dialogueCost } from "./cost.mjs";
import { checkRequests } from "./dialogue-check.mjs";
import { delta, metrics } from "./http.mjs";
import { settle } from "./load.mjs";
import { cpuSnapshot, isolateCpuMs } from "./processes.mjs";
import { fileLegalisir, Resident } from "./resident.mjs";
import { cfg, log, remainingMs, round, sleep, summarize } from "./settings.mjs";
import { bench } from "./state.mjs";

/** How long a completed request took on average, from its first message to its ticket (s). */
function meanRequestSeconds(residents) {
	const done = residents.filter((r) => r.completedAt !== undefined);
	if (done.length === 0) return null;
	return round(
		done.reduce((sum, r) => sum + r.completedAt - r.startedAt, 0) / done.length / 1000,
		1,
	);
}

export async function dialoguePhase(report) {
	const n = cfg.residents;
	log(`dialogue: preparing ${n} residents with 3 files of ${cfg.fileBytes} bytes each`);
	const residents = Array.from({ length: n }, (_, i) => {
		const r = new Resident(`62814${String(i + 1).padStart(7, "0")}`);
		r.files = [0, 1, 2].map((j) =>
			bench.fake.addMedia({ size: cfg.fileBytes, mimeType: "application/pdf", seed: i * 3 + j }),
		);
		return r;
	});
	const limitMs = Math.min(cfg.dialogueTimeout * 1000, remainingMs() - 90_000);
	if (limitMs < 30_000) {
		report.notes.push("dialogue skipped: time budget");
		return;
	}
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const before = await metrics();
	const cpuBefore = cpuSnapshot(bench.dev);
	const readsBefore = bench.fake.stats.reads;
	const marksBefore = bench.fake.stats.markCalls;
	const acceptedBefore = bench.acceptedMessages;
	const t0 = Date.now();
	const until = t0 + limitMs;
	log(`dialogue: ${n} residents start (bounded at ${(limitMs / 1000).toFixed(0)} s)`);
	let completed = 0;
	let lastCompletedAt = t0;
	const progress = setInterval(() => log(`dialogue: ${completed}/${n} completed`), 10_000).unref();
	await Promise.all(
		residents.map(async (r, i) => {
			// A diagnostic, not the measure: with BENCH_ARRIVAL_SECONDS the residents start
			// one after another over that time instead of all at once.
			if (cfg.arrivalSeconds > 0) await sleep((i * cfg.arrivalSeconds * 1000) / n);
			const options = { agent, until };
			r.startedAt = Date.now();
			try {
				r.ticket = await fileLegalisir(r, options);
				r.completedAt = Date.now();
				completed++;
				lastCompletedAt = r.completedAt;
			} catch (error) {
				r.failure = error instanceof Error ? error.message : String(error);
			}
		}),
	);
	clearInterval(progress);
	const wallSeconds = (lastCompletedAt - t0) / 1000;
	log(`dialogue: ${completed}/${n} completed in ${wallSeconds.toFixed(1)} s; settling`);
	const drained = await settle(30_000);
	const cpu = isolateCpuMs(cpuBefore, cpuSnapshot(bench.dev));
	const used = delta(await metrics(), before);
	agent.destroy();

	const all = residents.flatMap((r) => r.steps);
	const replies = summarize(all.map((s) => s.replyMs));
	const firstReplies = summarize(all.map((s) => s.firstMs));
	const byStep = {};
	for (const s of all) {
		if (byStep[s.label] === undefined) byStep[s.label] = [];
		byStep[s.label].push(s.replyMs);
	}
	const stepStats = Object.fromEntries(
		Object.entries(byStep).map(([label, values]) => [label, summarize(values)]),
	);

	const { check, staffCallsMade } = await checkRequests(residents, completed);
	const cost = dialogueCost({
		residents,
		completed,
		used,
		inbound: bench.acceptedMessages - acceptedBefore,
		staffCallsMade,
	});
	report.dialogue = {
		residents: n,
		filesPerRequest: 3,
		fileBytes: cfg.fileBytes,
		arrivalSeconds: cfg.arrivalSeconds,
		boundSeconds: round(limitMs / 1000, 0),
		completed,
		wallSeconds: round(wallSeconds, 1),
		completedPerSecond: round(completed / Math.max(wallSeconds, 0.001), 2),
		// A closed loop: each resident sends its next message once the reply is in, so its reply
		// times add up to its whole request, and the thread's work per request bounds them all.
		meanRequestSeconds: meanRequestSeconds(residents),
		replyLatency: replies,
		firstReplyLatency: firstReplies,
		replyLatencyByStep: stepStats,
		markedReadDuringPhase: bench.fake.stats.reads - readsBefore,
		markReadCalls: bench.fake.stats.markCalls - marksBefore,
		backlogAfterSettle: drained.backlog,
		check,
		// CPU time is what Workers bills: the isolate's thread, per completed request, from the
		// first message to the settled backlog (local D1, R2 and Durable Object storage run on
		// that thread too, so this is an upper bound of the billed figure).
		cpu: {
			...cpu,
			isolateCpuMsPerRequest: completed > 0 ? round(cpu.isolateCpuMs / completed, 1) : null,
			workerdCpuMsPerRequest: completed > 0 ? round(cpu.workerdCpuMs / completed, 1) : null,
		},
	};
	report.dialogue.cpu.threadBusyPct = round((cpu.isolateCpuMs / (cpu.seconds * 1000)) * 100, 0);
	cost.perRequest.cpuMs = report.dialogue.cpu.isolateCpuMsPerRequest;
	report.cost = cost;
	log(
		`dialogue: ${completed} completed, ${report.dialogue.completedPerSecond}/s, reply p50 ${replies.p50Ms} ms p99 ${replies.p99Ms} ms; lost ${check.lost}, duplicated ${check.duplicated}; isolate CPU ${report.dialogue.cpu.isolateCpuMsPerRequest} ms per request`,
	);
}
