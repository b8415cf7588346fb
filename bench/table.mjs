/** The report as a table on the console. */
import { PRICES } from "./cost.mjs";
import { round } from "./settings.mjs";

export function pad(value, width, right = false) {
	const s = value === null || value === undefined ? "-" : String(value);
	return right ? s.padEnd(width) : s.padStart(width);
}

export function printTable(report) {
	const lines = [];
	const m = report.machine;
	lines.push("");
	lines.push(
		`Machine: ${m.cpuModel} x${m.cpuCount}, ${m.memoryGiB} GiB, ${m.os}, node ${m.node}, wrangler ${m.wrangler}, ${m.workerd}; ${m.date}`,
	);
	lines.push(`Local state (D1, objects, R2) under ${report.settings.stateDir}`);
	if (report.ingress?.length) {
		lines.push("");
		lines.push(
			"Ingress and statuses (ratio: against GET /health measured right before, same connections)",
		);
		lines.push(
			"(thread ms: time of workerd's busiest thread, the isolate, per request; cpu: % of one core: that thread / all workerd / wrangler's node / this bench)",
		);
		lines.push(
			`${pad("conns", 5)} ${pad("run", 30, true)} ${pad("req/s", 7)} ${pad("p50 ms", 7)} ${pad("p99 ms", 7)} ${pad("errors", 6)} ${pad("ratio", 5)} ${pad("p99 x", 6)} ${pad("D1 q", 4)} ${pad("drained s", 9)} ${pad("thread ms", 9)}  cpu`,
		);
		const row = (concurrency, run, label, extra) => {
			const c = run.cpu;
			const cpu = c
				? `${c.workerdBusiestThreadPct}/${c.workerdPct}/${c.wranglerNodePct}/${c.benchPct}`
				: "-";
			return `${pad(concurrency, 5)} ${pad(label, 30, true)} ${pad(run.rps, 7)} ${pad(run.p50Ms, 7)} ${pad(run.p99Ms, 7)} ${pad(run.errors, 6)} ${extra} ${pad(run.threadMsPerRequest, 9)}  ${cpu}`;
		};
		const measuredRows = (concurrency, run) => {
			lines.push(
				row(
					concurrency,
					run.health,
					"GET /health",
					`${pad("", 5)} ${pad("", 6)} ${pad("", 4)} ${pad("", 9)}`,
				),
			);
			lines.push(
				row(
					concurrency,
					run,
					run.label,
					`${pad(`${Math.round(run.ratio * 100)}%`, 5)} ${pad(run.p99Ratio, 6)} ${pad(run.d1QueriesOnWebhook, 4)} ${pad(run.drainedMs === undefined ? "" : round(run.drainedMs / 1000, 1), 9)}`,
				),
			);
		};
		for (const level of report.ingress) {
			for (const kind of ["recurring", "newResidents", "statuses"]) {
				measuredRows(level.concurrency, level[kind]);
			}
		}
		const deferred = report.ingressWorkDeferred;
		if (deferred) {
			lines.push(
				`Diagnostic (no target): messages stamped ${deferred.deferSeconds} s ahead, so their dialogue work runs after the run`,
			);
			measuredRows(deferred.concurrency, deferred.recurring);
			measuredRows(deferred.concurrency, deferred.newResidents);
		}
	}
	const d = report.dialogue;
	if (d) {
		lines.push("");
		lines.push(
			`Dialogue: ${d.completed}/${d.residents} Legalisir requests with 3 x ${d.fileBytes} B PDFs in ${d.wallSeconds} s = ${d.completedPerSecond} completed/s`,
		);
		lines.push(
			`  message -> bot's reply: p50 ${d.replyLatency.p50Ms} ms, p99 ${d.replyLatency.p99Ms} ms (first reply p50 ${d.firstReplyLatency.p50Ms}, p99 ${d.firstReplyLatency.p99Ms}); by step:`,
		);
		if (typeof d.meanRequestSeconds === "number") {
			lines.push(
				`  closed loop: a resident's replies add up to its request, ${d.meanRequestSeconds} s on average; the isolate's thread was busy ${d.cpu.threadBusyPct}% of the ${d.cpu.seconds} s (${d.cpu.isolateCpuMsPerRequest} ms x ${d.completed} requests)`,
			);
		}
		for (const [label, s] of Object.entries(d.replyLatencyByStep)) {
			lines.push(
				`    ${pad(label, 12, true)} p50 ${pad(s.p50Ms, 7)} ms  p99 ${pad(s.p99Ms, 7)} ms`,
			);
		}
		const c = d.check;
		lines.push(
			`  check via staff API: found ${c.requestsFound}, with 3 files of ${d.fileBytes} B and the right SHA-256 ${c.requestsWithThreeFiles}, Legalisir requests listed ${c.requestsListed}; lost ${c.lost}, duplicated ${c.duplicated}`,
		);
		if (c.failures.length) lines.push(`  failures: ${c.failures.join("; ")}`);
	}
	const cost = report.cost;
	if (cost && cost.completed > 0) {
		const p = cost.perRequest;
		const $ = cost.dollarsPer1000Requests;
		lines.push("");
		lines.push(
			`Cost per completed request (dialogue phase, /dev/metrics deltas / ${cost.completed})`,
		);
		lines.push(
			`  D1 rows read ${p.d1RowsRead}, written ${p.d1RowsWritten} (${p.d1Queries} queries); DO rows written ${p.doRowsWritten}, read ${p.doRowsRead} (${p.doStatements} statements); R2 class A ${p.r2ClassA}, class B ${p.r2ClassB}`,
		);
		lines.push(
			`  Workers requests ${p.workersRequests} (${p.webhooks} webhooks + ${p.staffCalls} staff calls); DO requests ${p.doRequests} (${p.doRpcs} RPCs + ${p.doAlarms} alarms, ${p.doAlarmsSource}); setAlarm calls ${p.doSetAlarmCalls ?? "not counted"}`,
		);
		if (p.cpuMs !== undefined) {
			lines.push(
				`  CPU: ${p.cpuMs} ms of the isolate's thread per request = at most $${round((p.cpuMs * PRICES.workersCpuMsPerMillion * 1000) / 1e6, 5)} per 1,000, not in the total (Workers bill CPU time; local D1, R2 and object storage run on that thread too, so this bounds the billed figure from above)`,
			);
		}
		lines.push(
			`  $ per 1,000 requests: Workers ${$.workersRequests}, D1 read ${$.d1RowsRead}, D1 written ${$.d1RowsWritten}, DO requests ${$.doRequests}, DO rows ${$.doRowsWritten}, DO rows read ${$.doRowsRead}, DO setAlarm rows ${$.doSetAlarmRows}, R2 A ${$.r2ClassA}, R2 B ${$.r2ClassB} = $${$.total} (prices of ${PRICES.readOn})`,
		);
		const meta = cost.metaStatusesEstimate;
		if (meta) {
			lines.push(
				`  not in that figure: ~${meta.statusWebhooksPerRequest} status webhooks per request from WhatsApp (sent, delivered, read for ${cost.outboundMessagesPerRequest} messages sent), ${meta.doRowsWrittenPerStatus} DO rows each: +$${meta.dollarsPer1000Requests} = $${meta.totalWithStatusesPer1000} per 1,000`,
			);
		}
	}
	if (report.profiles?.runs?.length) {
		lines.push("");
		lines.push(
			`Where the isolate's time goes (CPU profiles, ${report.profiles.concurrency} connections, ${report.profiles.seconds} s each; self time, % of samples)`,
		);
		for (const run of report.profiles.runs) {
			lines.push(`  ${run.label}: ${run.rps} req/s while profiled, idle ${run.profile.idlePct}%`);
			lines.push(
				`    ${run.profile.top
					.slice(0, 8)
					.map((t) => `${t.fn} ${t.pct}%`)
					.join("; ")}`,
			);
			if (run.profile.modules?.length) {
				lines.push(
					`    by module: ${run.profile.modules
						.slice(0, 8)
						.map((t) => `${t.fn} ${t.pct}%`)
						.join("; ")}`,
				);
			}
		}
	}
	const breakdown = report.doRowsBreakdown;
	if (breakdown) {
		lines.push("");
		lines.push(
			`DO rows written per request by statement (breakdown run, ${breakdown.completed} requests; ${breakdown.countedByStatementPerRequest} counted here, ${breakdown.doRowsWrittenPerRequest} by /dev/metrics)`,
		);
		const calls = breakdown.callsPerRequest;
		lines.push(
			`  per request: ${calls.receive} receive RPCs, ${calls.alarms} alarms, ${calls.setAlarm} setAlarm, ${calls.getAlarm} getAlarm, ${calls.deleteAlarm} deleteAlarm`,
		);
		const duration = breakdown.durationEstimate;
		if (duration) {
			lines.push(
				`  DO duration, not in the cost total: <= ${duration.gbSecondsPerRequest} GB-s per request = $${duration.dollarsPer1000Requests} per 1,000 (upper bound)`,
			);
		}
		for (const st of breakdown.statements.slice(0, 14)) {
			lines.push(
				`  ${pad(st.rowsWrittenPerRequest, 6)} rows in ${pad(st.runsPerRequest, 5)} runs  ${st.sql.slice(0, 110)}`,
			);
		}
	}
	const b = report.bigFile;
	if (b) {
		lines.push("");
		lines.push(
			`Big file: ${b.bytes} B PDF -> R2: "✅" after ${b.replySeconds} s (${b.throughputMiBps ?? "-"} MiB/s, ${b.threadMsPerMiB ?? "-"} ms of the isolate's thread per MiB); workerd RSS ${b.memory.workerdRssBeforeMiB} MiB before, peak ${b.memory.workerdPeakDuringMiB} MiB during (+${b.memory.workerdPeakIncreaseMiB}; sampled ${b.memory.workerdSampledPeakRssMiB}); staff download ${b.download?.bytes ?? "-"} B in ${b.download?.seconds ?? "-"} s, verified ${b.verified ?? false}${b.error ? `; error: ${b.error}` : ""}`,
		);
	}
	const bareBig = report.bareR2PutBigFile;
	if (bareBig) {
		lines.push(
			`Bare R2 put of the same size (diagnostic, fresh server): workerd RSS ${bareBig.memory.workerdRssBeforeMiB} MiB before, peak ${bareBig.memory.workerdPeakDuringMiB} MiB during (+${bareBig.memory.workerdPeakIncreaseMiB}), ${bareBig.threadMsPerMiB} ms of the isolate's thread per MiB, ${bareBig.throughputMiBps} MiB/s${bareBig.failures ? "; failed" : ""}`,
		);
	}
	const bare = report.bareR2Put;
	if (bare) {
		lines.push(
			`Bare R2 put (diagnostic: the transfer alone, ${bare.files} x ${bare.fileBytes} B, ${bare.concurrency} at once): ${bare.threadMsPerMiB} ms of the isolate's thread per MiB, ${bare.throughputMiBps} MiB/s${bare.failures ? `; ${bare.failures} failed` : ""}`,
		);
	}
	const step = report.fileStepAlone;
	if (step) {
		lines.push(
			`File step alone (diagnostic: ${step.files} residents' ${step.fileBytes} B PDF, one at a time, webhook to reply): ${step.threadMsPerStep} ms of the isolate's thread per step (${step.threadMsPerMiB} per MiB), reply p50 ${step.latency.p50Ms} ms; ${step.roundResidents} such steps need ${step.roundThreadSeconds} s of it; the same with a ${step.smallFile.fileBytes} B file: ${step.smallFile.threadMsPerStep} ms per step (the message work, the bytes aside)${step.refused + step.smallFile.refused ? `; ${step.refused + step.smallFile.refused} refused` : ""}`,
		);
	}
	const burst = report.bareR2Round;
	if (burst) {
		lines.push(
			`Bare R2 round (diagnostic: the dialogue's file round without the product, ${burst.files} x ${burst.fileBytes} B at once): put p50 ${burst.latency.p50Ms} ms, p99 ${burst.latency.p99Ms} ms, the last after ${burst.seconds} s; ${burst.threadMsPerMiB} ms of the isolate's thread per MiB${burst.failures ? `; ${burst.failures} failed` : ""}`,
		);
	}
	lines.push("");
	lines.push("Targets");
	for (const t of report.targets) {
		lines.push(`  ${pad(t.result, 12, true)} ${t.target}: ${t.value}`);
	}
	for (const note of report.notes) lines.push(`  note: ${note}`);
	lines.push("");
	console.log(lines.join("\n"));
}
