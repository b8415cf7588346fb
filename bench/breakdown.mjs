/** Phase 6: Durable Object rows written per request, by SQL statement. */
import http from "node:http";
import path from "node:path";
import { PRICES, per1000, priceCost } from "./cost.mjs";
import { fileStepAlone } from "./file-step.mjs";
import { delta, jsonOf, metrics, request } from "./http.mjs";
import { settle } from "./load.mjs";
import { cpuSnapshot, isolateCpuMs, watchPeakMemory } from "./processes.mjs";
import { fileLegalisir, Resident } from "./resident.mjs";
import { cfg, log, MiB, numberEnv, remainingMs, round, summarize } from "./settings.mjs";
import { bench } from "./state.mjs";

/**
 * The Durable Object rows written per request, by SQL statement: a few residents file the same
 * request against a second `wrangler dev` running bench/sql-breakdown-entry.mjs (the product's
 * worker with its storage calls counted), which also counts alarms, RPCs and setAlarm() calls.
 */
export async function breakdownPhase(report, startDev) {
	const k = Math.floor(numberEnv("BENCH_BREAKDOWN_RESIDENTS", 5));
	if (k === 0) return;
	if (remainingMs() < 90_000) {
		report.notes.push("DO rows breakdown skipped: time budget");
		return;
	}
	log(`breakdown: restarting wrangler dev with bench/sql-breakdown-entry.mjs for ${k} residents`);
	await startDev(path.join("bench", "sql-breakdown-entry.mjs"));
	// First, on this fresh server: what local R2 itself holds of a big file (see bareR2Put).
	report.bareR2PutBigFile = await bareR2Put({ files: 1, bytes: cfg.bigFileBytes, concurrency: 1 });
	log(
		`bare R2 put of ${cfg.bigFileBytes} B: workerd peak RSS +${report.bareR2PutBigFile.memory.workerdPeakIncreaseMiB} MiB`,
	);
	const residents = Array.from({ length: k }, (_, i) => {
		const r = new Resident(`62816${String(i + 1).padStart(7, "0")}`);
		r.files = [0, 1, 2].map((j) =>
			bench.fake.addMedia({
				size: cfg.fileBytes,
				mimeType: "application/pdf",
				seed: 900_000 + i * 3 + j,
			}),
		);
		return r;
	});
	const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
	const before = await metrics();
	const until = Date.now() + Math.min(120_000, remainingMs() - 30_000);
	await Promise.all(
		residents.map(async (r) => {
			try {
				r.ticket = await fileLegalisir(r, { agent, until });
			} catch (error) {
				r.failure = error instanceof Error ? error.message : String(error);
			}
		}),
	);
	await settle(30_000);
	const used = delta(await metrics(), before);
	const res = await request({ path: "/bench/do-breakdown", agent });
	agent.destroy();
	const body = jsonOf(res);
	const completed = residents.filter((r) => r.ticket).length;
	if (res.status !== 200 || body === null || completed === 0) {
		report.notes.push(`DO rows breakdown failed: ${res.status}, ${completed} completed`);
		return;
	}
	const per = (value) => round(value / completed, 2);
	const counted = body.statements.reduce((a, st) => a + st.rowsWritten, 0);
	report.doRowsBreakdown = {
		residents: k,
		completed,
		doRowsWrittenPerRequest: per(used.doRowsWritten),
		countedByStatementPerRequest: per(counted),
		callsPerRequest: Object.fromEntries(
			Object.entries(body.calls).map(([name, count]) => [name, per(count)]),
		),
		statements: body.statements
			.filter((st) => st.rowsWritten > 0)
			.map((st) => ({
				rowsWrittenPerRequest: per(st.rowsWritten),
				runsPerRequest: per(st.runs),
				sql: st.sql,
			})),
	};
	// Duration is not measured locally: each message's time to its reply here (a few residents,
	// no queueing), summed, at 128 MB, bounds the objects' active time from above.
	const activeSeconds =
		residents.flatMap((r) => r.steps).reduce((a, st) => a + st.replyMs, 0) / 1000;
	const gbSeconds = (activeSeconds / completed) * 0.125;
	report.doRowsBreakdown.durationEstimate = {
		gbSecondsPerRequest: round(gbSeconds, 3),
		dollarsPer1000Requests: round(per1000(gbSeconds, PRICES.doDurationPerMillionGbS), 5),
		note: "Not in the total: Durable Object duration from the sum of message-to-reply times of the breakdown run (low load) at 128 MB, an upper bound of the active time; idle objects are not billed. Workers CPU time is not measured by wrangler dev.",
	};
	// The counts replace the estimates in the cost (both runs file the same request).
	if (report.cost?.perRequest) {
		const p = report.cost.perRequest;
		p.doAlarms = per(body.calls.alarms);
		p.doAlarmsSource = `counted in the breakdown run (${completed} requests)`;
		p.doSetAlarmCalls = per(body.calls.setAlarm);
		priceCost(report.cost);
	}
	log(
		`breakdown: ${report.doRowsBreakdown.countedByStatementPerRequest} DO rows written per request by statement; alarms ${per(body.calls.alarms)}, setAlarm ${per(body.calls.setAlarm)} per request`,
	);
	report.bareR2Put = await bareR2Put({ files: 40, bytes: cfg.fileBytes, concurrency: 4 });
	log(
		`bare R2 put: ${report.bareR2Put.files} x ${report.bareR2Put.fileBytes} B at ${report.bareR2Put.concurrency} at once: ${report.bareR2Put.threadMsPerMiB} ms of the isolate's thread per MiB, ${report.bareR2Put.throughputMiBps} MiB/s`,
	);
	// One file step of the product measured alone, at one connection: its thread time per step.
	if (remainingMs() < 90_000) report.notes.push("file step alone skipped: time budget");
	else {
		const step = await fileStepAlone({ residents: 20, bytes: cfg.fileBytes });
		step.smallFile = await fileStepAlone({ residents: 20, bytes: 16 * 1024, first: 20 });
		report.fileStepAlone = step;
		log(
			`file step alone: ${step.files} x ${step.fileBytes} B one at a time: ${step.threadMsPerStep} ms of the isolate's thread per step (${step.threadMsPerMiB} per MiB), reply p50 ${step.latency.p50Ms} ms; ${step.roundResidents} such steps need ${step.roundThreadSeconds} s of it; with a 16 KiB file ${step.smallFile.threadMsPerStep} ms per step${step.refused + step.smallFile.refused ? `; ${step.refused + step.smallFile.refused} refused` : ""}`,
		);
	}
	// The dialogue's file round without the product: every resident's file at once, only the
	// transfer. Its latencies are the floor under the file steps' reply latency on this machine.
	if (remainingMs() < 60_000) {
		report.notes.push("bare R2 round skipped: time budget");
		return;
	}
	report.bareR2Round = await bareR2Put({
		files: cfg.residents,
		bytes: cfg.fileBytes,
		concurrency: cfg.residents,
	});
	const burst = report.bareR2Round;
	log(
		`bare R2 round: ${burst.files} x ${burst.fileBytes} B at once: put p50 ${burst.latency.p50Ms} ms, p99 ${burst.latency.p99Ms} ms, all in ${burst.seconds} s; ${burst.threadMsPerMiB} ms of the isolate's thread per MiB`,
	);
}

/**
 * The floor of a resident's file locally: only the transfer (a download from the fake Graph API
 * put into R2 as it comes, R2 checking the SHA-256), through the diagnostic entry's
 * `POST /bench/r2-put`: the isolate's thread time per MiB and workerd's peak memory, to set beside
 * the big file phase's figures for the product's whole file path.
 */
async function bareR2Put({ files, bytes, concurrency }) {
	const items = Array.from({ length: files }, (_, i) =>
		bench.fake.addMedia({ size: bytes, mimeType: "application/pdf", seed: 800_000 + i }),
	);
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const watch = watchPeakMemory(bench.dev);
	const cpuBefore = cpuSnapshot(bench.dev);
	const t0 = Date.now();
	let next = 0;
	let failures = 0;
	const latencies = [];
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < items.length) {
				const item = items[next++];
				const t = Date.now();
				const res = await request({
					method: "POST",
					path: "/bench/r2-put",
					headers: { "content-type": "application/json" },
					body: JSON.stringify({
						url: `${bench.fake.base}/whatsapp_business/attachments/?mid=${item.id}`,
						key: `bench/r2-put/${item.id}`,
						sha256: item.sha256Hex,
					}),
					agent,
					timeoutMs: 120_000,
				});
				latencies.push(Date.now() - t);
				if (res.status !== 200 || jsonOf(res)?.size !== item.size) failures++;
			}
		}),
	);
	const seconds = (Date.now() - t0) / 1000;
	const cpu = isolateCpuMs(cpuBefore, cpuSnapshot(bench.dev));
	const { processes: _, ...memory } = watch.stop();
	agent.destroy();
	const mib = (files * bytes) / MiB;
	return {
		files,
		fileBytes: bytes,
		concurrency,
		failures,
		seconds: round(seconds, 2),
		latency: summarize(latencies),
		throughputMiBps: round(mib / seconds, 1),
		threadMsPerMiB: round(cpu.isolateCpuMs / mib, 1),
		memory,
	};
}
