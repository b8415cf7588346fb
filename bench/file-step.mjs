/**
 * One file step's whole cost to the isolate's thread, measured with nothing else running:
 * residents are brought to the document step one by one, then each sends one PDF of the
 * dialogue's size, one at a time (the webhook, the step, the download streamed into R2 with its
 * SHA-256 checked, the reply, and whatever follows within half a second). Times the dialogue's
 * residents, it is what one round of its file steps needs of the one thread here before any
 * scheduling, if a step costs in the burst what it costs alone. With a small file it is the step's
 * own message work, the bytes aside. One connection, no queueing: a step among many may cost less
 * (per-event costs the load shares) or more (contention), so the report sets it beside the
 * dialogue's own CPU. It runs on the breakdown phase's server, whose storage calls are counted.
 */
import http from "node:http";
import { cpuSnapshot, isolateCpuMs } from "./processes.mjs";
import { FILE_ANSWER, fillDetails, Resident, says, textOf } from "./resident.mjs";
import { cfg, MiB, remainingMs, round, sleep, summarize } from "./settings.mjs";
import { bench } from "./state.mjs";
import { pdfDocument } from "./webhooks.mjs";

export async function fileStepAlone({ residents: k, bytes, first = 0 }) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const until = Date.now() + Math.min(90_000, remainingMs() - 20_000);
	const options = { agent, until };
	const residents = Array.from({ length: k }, (_, i) => {
		const r = new Resident(`62817${String(first + i + 1).padStart(7, "0")}`);
		r.file = bench.fake.addMedia({
			size: bytes,
			mimeType: "application/pdf",
			seed: 950_000 + first + i,
		});
		return r;
	});
	for (const r of residents) await fillDetails(r, options);
	// Let what the detail steps left (read marks, alarms) finish before the clock starts.
	await sleep(1_000);
	const before = cpuSnapshot(bench.dev);
	const latencies = [];
	let refused = 0;
	for (const r of residents) {
		const t = Date.now();
		const answer = await r.say("file", pdfDocument(r.file, "scan.pdf"), says(FILE_ANSWER), options);
		latencies.push(Date.now() - t);
		if (!textOf(answer).includes("✅")) refused++;
	}
	await sleep(500);
	const cpu = isolateCpuMs(before, cpuSnapshot(bench.dev));
	agent.destroy();
	const perStep = cpu.isolateCpuMs / k;
	return {
		files: k,
		fileBytes: bytes,
		refused,
		latency: summarize(latencies),
		threadMsPerStep: round(perStep, 1),
		threadMsPerMiB: round(perStep / (bytes / MiB), 1),
		roundResidents: cfg.residents,
		roundThreadSeconds: round((perStep * cfg.residents) / 1000, 2),
	};
}
