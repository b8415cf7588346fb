/** Load runs (autocannon) and the wait until the worker has handled what it accepted. */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { jsonOf } from "./http.mjs";
import { cpuBetween, cpuSnapshot } from "./processes.mjs";
import { cfg, HOST, remainingMs, round, sleep, summarize } from "./settings.mjs";
import { bench } from "./state.mjs";

/**
 * `concurrency` connections, each sending the next request as soon as the previous one is
 * answered, for `warmup` + `seconds`; only requests started after the warm-up are counted.
 * `next()` builds a request (`method`, `path`, `headers`, `body`); `onDone(response)` may inspect
 * each answer (`status`, `body`).
 *
 * autocannon drives the connections. It rebuilds the request through `setupRequest` for every
 * send, so each webhook carries its own message id and signature. Its latency histogram counts
 * whole milliseconds, and /health answers in a few ms at one connection, so the percentiles are
 * computed here from its per-response times (the same nearest-rank rule as the dialogue's).
 * One continuous run (no separate warm-up run): the measured requests use warmed connections.
 */
export async function loadRun({ concurrency, next, onDone, seconds = cfg.seconds }) {
	const latencies = [];
	const errors = {};
	let ok = 0;
	let networkErrors = 0;
	// autocannon stops at its next 1 s tick after `duration`: the window ends at the last answer.
	let lastAnswerAt = null;
	const startAt = performance.now();
	const measureFrom = startAt + cfg.warmup * 1000;
	let cpuFrom = null;
	const cpuTimer = setTimeout(() => {
		cpuFrom = cpuSnapshot(bench.dev);
	}, cfg.warmup * 1000);
	const countError = (key) => {
		errors[key] = (errors[key] ?? 0) + 1;
	};
	const run = autocannon({
		url: `http://${HOST}:${bench.workerPort}`,
		connections: concurrency,
		pipelining: 1,
		duration: cfg.warmup + seconds,
		timeout: 30,
		requests: [
			{
				setupRequest: (req) => {
					const spec = next();
					return { ...req, ...spec, headers: { ...req.headers, ...spec.headers } };
				},
				onResponse: (status, body) => onDone?.({ status, body }),
			},
		],
	});
	run.on("response", (_client, status, _bytes, responseMs) => {
		lastAnswerAt = performance.now();
		if (lastAnswerAt - responseMs < measureFrom) return;
		latencies.push(responseMs);
		if (status >= 200 && status < 300) ok++;
		else countError(status);
	});
	run.on("reqError", (error) => {
		if (performance.now() < measureFrom) return;
		networkErrors++;
		countError(`network: ${error?.message ?? "error"}`);
	});
	await run;
	clearTimeout(cpuTimer);
	const cpu = cpuFrom ? cpuBetween(cpuFrom, cpuSnapshot(bench.dev)) : null;
	const measuredSeconds = ((lastAnswerAt ?? performance.now()) - measureFrom) / 1000;
	const stats = summarize(latencies);
	const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
	const requests = stats.count + networkErrors;
	return {
		concurrency,
		seconds: round(measuredSeconds, 2),
		requests,
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
			cpu && requests > 0
				? round(((cpu.workerdBusiestThreadPct / 100) * measuredSeconds * 1000) / requests, 2)
				: null,
	};
}

/**
 * Waits until every accepted message was handled (each one is marked read once) and the fake Graph
 * API has heard nothing for a second (the last replies and their outbox updates follow the mark),
 * bounded.
 */
export async function settle(limitMs = cfg.settle * 1000) {
	const t0 = Date.now();
	const until = t0 + Math.min(limitMs, Math.max(0, remainingMs() - 5_000));
	let last = Date.now();
	let caughtUp = null;
	const touch = () => {
		last = Date.now();
	};
	bench.fake.events.on("send", touch);
	bench.fake.events.on("read", touch);
	try {
		while (Date.now() < until) {
			if (bench.fake.stats.reads >= bench.acceptedMessages) {
				caughtUp ??= Date.now();
				if (Date.now() - last >= 1000) break;
			}
			await sleep(100);
		}
	} finally {
		bench.fake.events.off("send", touch);
		bench.fake.events.off("read", touch);
	}
	// Until every message was handled (marked read); the quiet second after it is not counted.
	return {
		drainedMs: (caughtUp ?? Date.now()) - t0,
		backlog: Math.max(0, bench.acceptedMessages - bench.fake.stats.reads),
	};
}

/** `onDone` of the webhook runs: counts the messages the worker acknowledged. */
export const countAccepted = (res) => {
	if (res.status === 200) bench.acceptedMessages += jsonOf(res)?.received ?? 0;
};
/** GET /health: the floor every run is compared with. */
export const health = () => ({ method: "GET", path: "/health" });
