/**
 * Phase 4: one big PDF from the fake Graph API into R2, workerd's peak RSS around it, then the
 * stored object's size and SHA-256 through the staff API's download (hashed as it streams).
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { request } from "./http.mjs";
import { cpuSnapshot, isolateCpuMs, watchPeakMemory } from "./processes.mjs";
import { fillDetails, finish, Resident, sendFile } from "./resident.mjs";
import { cfg, log, MiB, remainingMs, round } from "./settings.mjs";
import { staffHeaders, staffJson } from "./staff.mjs";
import { bench } from "./state.mjs";

export async function bigFilePhase(report, dev) {
	if (remainingMs() < 120_000) {
		report.notes.push("big file skipped: time budget");
		return;
	}
	const size = cfg.bigFileBytes;
	log(`big file: generating the ${size}-byte PDF's hash (streamed, 64 KiB at a time)`);
	const file = bench.fake.addMedia({ size, mimeType: "application/pdf", seed: 424242 });
	const r = new Resident("628150000001");
	const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
	const until = Date.now() + Math.min(300_000, remainingMs() - 30_000);
	const options = { agent, until, timeoutMs: Math.max(60_000, cfg.replyTimeout * 1000) };
	await fillDetails(r, options);

	const watch = watchPeakMemory(dev);
	const downloadsBefore = bench.fake.stats.downloadedBytes;
	const cpuBefore = cpuSnapshot(dev);
	const t0 = Date.now();
	let fileError = null;
	try {
		await sendFile(r, "big file", file, "big.pdf", {
			...options,
			timeoutMs: Math.min(240_000, until - Date.now()),
		});
	} catch (error) {
		fileError = error instanceof Error ? error.message : String(error);
	}
	const fileSeconds = (Date.now() - t0) / 1000;
	// The isolate's thread while the file went from the fake Graph API into R2 (local R2 runs on
	// that thread too): what each MiB a resident sends costs the thread everything else shares.
	const cpu = isolateCpuMs(cpuBefore, cpuSnapshot(dev));
	const memory = {
		...watch.stop(),
		benchProcessPeakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
	};

	const result = {
		bytes: size,
		replySeconds: round(fileSeconds, 2),
		throughputMiBps: fileError ? null : round(size / MiB / fileSeconds, 1),
		threadMsPerMiB: fileError ? null : round(cpu.isolateCpuMs / (size / MiB), 1),
		servedByFakeGraphBytes: bench.fake.stats.downloadedBytes - downloadsBefore,
		error: fileError,
		memory,
	};
	report.bigFile = result;
	if (fileError) {
		log(`big file: ${fileError}`);
		agent.destroy();
		return;
	}
	log(
		`big file: ✅ after ${fileSeconds.toFixed(1)} s; workerd peak ${memory.workerdPeakDuringMiB} MiB`,
	);

	// Submit it, then download it through the staff API, hashing the stream as it comes.
	try {
		const ticket = await finish(r, options);
		result.ticket = ticket;
		const list = await staffJson(`/api/v1/requests?q=${encodeURIComponent(ticket ?? "")}`, agent);
		const id = list.body?.items?.[0]?.id;
		const detail = await staffJson(`/api/v1/requests/${encodeURIComponent(id ?? "")}`, agent);
		const attachment = (detail.body?.documents ?? []).flatMap((d) => d.attachments ?? [])[0];
		result.attachment = attachment
			? { size: attachment.size, sha256: attachment.sha256, mimeType: attachment.mimeType }
			: null;
		const d0 = Date.now();
		const download = await request({
			path: attachment?.downloadUrl ?? "/missing",
			headers: staffHeaders(),
			agent,
			timeoutMs: 180_000,
			onResponse: async (res) => {
				const hash = createHash("sha256");
				let bytes = 0;
				for await (const chunk of res) {
					hash.update(chunk);
					bytes += chunk.length;
				}
				return { bytes, sha256: hash.digest("hex") };
			},
		});
		bench.staffCalls++;
		result.download = {
			status: download.status,
			bytes: download.result?.bytes ?? null,
			sha256: download.result?.sha256 ?? null,
			seconds: round((Date.now() - d0) / 1000, 2),
		};
		result.verified =
			download.status === 200 &&
			download.result?.bytes === size &&
			download.result?.sha256 === file.sha256Hex &&
			attachment?.sha256 === file.sha256Hex &&
			attachment?.size === size;
		result.expectedSha256 = file.sha256Hex;
	} catch (error) {
		result.error = error instanceof Error ? error.message : String(error);
	}
	agent.destroy();
	log(`big file: stored object verified through the staff API: ${result.verified}`);
}
