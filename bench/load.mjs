/** Load runs (keep-alive connections, closed loop) and the wait until the worker caught up. */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { jsonOf, metrics, request } from "./http.mjs";
import { cpuBetween, cpuSnapshot } from "./processes.mjs";
import { cfg, remainingMs, round, sleep, summarize } from "./settings.mjs";
import { bench } from "./state.mjs";

/**
 * Why a small loop and not autocannon (tried): autocannon rebuilds each request through
 * `setupRequest`, so per-request signing was no obstacle, but when its duration ends it drops the
 * requests still in flight, and under load the worker's slowest answers are exactly those (a run
 * at 32 connections, each request taking over the run's length, counted 0 answers). This loop
 * awaits every request it started and counts those started after the warm-up, and keeps 0.1 ms
 * latencies (autocannon's histogram counts whole milliseconds; /health answers in a few).
 *
 * `concurrency` connections, each sending the next request as soon as the previous one is
 * answered, for `warmup` + `seconds`; only requests started after the warm-up are counted.
 * `next()` builds a request; `onDone(request, response)` may inspect the answer.
 */
export async function loadRun({ concurrency, next, onDone, seconds = cfg.seconds }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const latencies = [];
	const errors = {};
	let ok = 0;
	const startAt = performance.now();
	const measureFrom = startAt + cfg.warmup * 1000;
	let cpuFrom = null;
	const cpuTimer = setTimeout(() => {
		cpuFrom = cpuSnapshot(bench.dev);
	}, cfg.warmup * 1000);
	const endAt = measureFrom + seconds * 1000;
	const worker = async () => {
		while (performance.now() < endAt) {
			const spec = next();
			const t0 = performance.now();
			const res = await request({ ...spec, agent, timeoutMs: 30_000 });
			const t1 = performance.now();
			onDone?.(spec, res);
			if (t0 < measureFrom) continue;
			latencies.push(t1 - t0);
			if (res.status >= 200 && res.status < 300) ok++;
			else {
				const key = res.status === 0 ? `network: ${res.error?.message ?? "error"}` : res.status;
				errors[key] = (errors[key] ?? 0) + 1;
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	clearTimeout(cpuTimer);
	const cpu = cpuFrom ? cpuBetween(cpuFrom, cpuSnapshot(bench.dev)) : null;
	const measuredSeconds = (performance.now() - measureFrom) / 1000;
	agent.destroy();
	const stats = summarize(latencies);
	const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
	return {
		concurrency,
		seconds: round(measuredSeconds, 2),
		requests: stats.count,
		ok,
		errors: errorCount,
		errorKinds: errors,
		rps: round(ok / measuredSeconds, 1),
		p50Ms: stats.p50Ms,
		p99Ms: stats.p99Ms,
		maxMs: stats.maxMs,
		cpu,
		// The busiest workerd thread (the isolate running the worker and every object) per request.
		threadMsPerRequest:
			cpu && stats.count > 0
				? round(((cpu.workerdBusiestThreadPct / 100) * measuredSeconds * 1000) / stats.count, 2)
				: null,
	};
}

/**
 * Waits until every message the current server accepted was handled (its step committed: the
 * worker's `messagesHandled` at /dev/metrics; a mark-read is no sign, since one covers the
 * messages before it) and the fake Graph API has heard nothing for a second (the last replies
 * and their outbox updates), bounded.
 */
export async function settle(limitMs = cfg.settle * 1000) {
	const t0 = Date.now();
	const until = t0 + Math.min(limitMs, Math.max(0, remainingMs() - 5_000));
	let last = Date.now();
	let caughtUp = null;
	let waiting = 0;
	const touch = () => {
		last = Date.now();
	};
	bench.fake.events.on("send", touch);
	bench.fake.events.on("read", touch);
	try {
		while (Date.now() < until) {
			waiting = await unhandled();
			if (waiting <= 0) {
				caughtUp ??= Date.now();
				if (Date.now() - last >= 1000) break;
			}
			await sleep(100);
		}
	} finally {
		bench.fake.events.off("send", touch);
		bench.fake.events.off("read", touch);
	}
	// Until every message was handled; the quiet second after it is not counted.
	return { drainedMs: (caughtUp ?? Date.now()) - t0, backlog: Math.max(0, waiting) };
}

/** Messages the current server accepted and has not handled yet. */
async function unhandled() {
	const { messagesHandled } = await metrics();
	return bench.acceptedMessages - bench.acceptedBeforeServer - messagesHandled;
}

/** `onDone` of the webhook runs: counts the messages the worker acknowledged. */
export const countAccepted = (_spec, res) => {
	if (res.status === 200) bench.acceptedMessages += jsonOf(res)?.received ?? 0;
};
/** GET /health: the floor every run is compared with. */
export const health = () => ({ method: "GET", path: "/health" });
