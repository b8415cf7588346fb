#!/usr/bin/env node
import { spawnSync } from "node:child_process";
/**
 * `npm run bench`: the product's figures measured on this machine (issue 6, item 1).
 *
 * Runs the worker in workerd through `wrangler dev` (127.0.0.1 only, a throwaway --persist-to
 * directory, SANDBOX=true so /dev/metrics answers) against a fake Graph API (bench/
 * fake-graph-server.mjs), then:
 *  1. ingress: signed single-message webhooks at 1, 8 and 32 connections, from recurring residents
 *     (a pool of 50) and from new residents (each message a new Conversation object), each run
 *     preceded by the same server's GET /health (the floor) for the ratio;
 *  2. statuses: bursts of status webhooks, with the D1 queries on the acknowledgement path;
 *  3. dialogue: N residents at once file a Legalisir request with three 1 MiB PDFs, then a check
 *     through the staff API (0 lost, 0 duplicated), and the storage cost per completed request;
 *  4. big file: one 100 MiB PDF from the fake Graph API into R2, the workerd peak RSS around it,
 *     and the object's size and SHA-256 through the staff API's download (stream-hashed);
 *  5. profile: CPU profiles of the worker's isolate (through wrangler's inspector) during short
 *     webhook runs, to show where its time goes;
 *  6. breakdown: a few more requests against bench/sql-breakdown-entry.mjs (the same worker with
 *     its Durable Object storage calls counted by SQL statement), to show where rows come from;
 *     then bare R2 puts of the same downloads (no product code): 40 files four at a time; 20 file
 *     steps of the product one at a time (file-step.mjs: its thread time per step, times
 *     BENCH_RESIDENTS); and one round of BENCH_RESIDENTS files put bare all at once, the floor
 *     under the dialogue's file steps.
 * Prints a table, PASS/MISS per target, and writes bench/results.json.
 *
 * One module per part: settings.mjs (knobs, clock), server.mjs (wrangler dev), load.mjs (load runs
 * and the wait to settle), webhooks.mjs, resident.mjs, staff.mjs, ingress.mjs, dialogue.mjs (+
 * dialogue-check.mjs), big-file.mjs, profile.mjs, breakdown.mjs (+ file-step.mjs), cost.mjs,
 * targets.mjs, table.mjs.
 *
 * Every phase is bounded in time and count; the whole run stops at BENCH_MAX_SECONDS. Knobs
 * (environment): BENCH_RESIDENTS (200), BENCH_SECONDS per load run (5), BENCH_WARMUP_SECONDS (1),
 * BENCH_CONCURRENCY ("1,8,32"), BENCH_POOL (50), BENCH_FILE_BYTES (1 MiB), BENCH_BIG_FILE_BYTES
 * (100 MiB), BENCH_DIALOGUE_TIMEOUT_SECONDS (240), BENCH_ARRIVAL_SECONDS (0: the dialogue's
 * residents all start at once; more spreads their starts over that time, a diagnostic that the
 * report does not judge), BENCH_REPLY_TIMEOUT_SECONDS (60),
 * BENCH_SETTLE_SECONDS (90), BENCH_MAX_SECONDS (570), BENCH_BREAKDOWN_RESIDENTS (5),
 * BENCH_PROFILE_SECONDS (4), BENCH_PHASES ("ingress,dialogue,bigfile,profile,breakdown"),
 * BENCH_KEEP=1 to keep the temporary directory (wrangler's log, the local state), BENCH_STATE_DIR
 * (where that directory is made: /dev/shm when there is one, see settings.mjs),
 * BENCH_PROFILE_DIALOGUE=1 to CPU-profile the dialogue phase (a diagnostic: it slows the isolate).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bigFilePhase } from "./big-file.mjs";
import { breakdownPhase } from "./breakdown.mjs";
import { metaStatusesEstimate, PRICES } from "./cost.mjs";
import { dialoguePhase } from "./dialogue.mjs";
import { startFakeGraph } from "./fake-graph-server.mjs";
import { metrics } from "./http.mjs";
import { ingressPhase } from "./ingress.mjs";
import { machine } from "./processes.mjs";
import { profilePhase, withProfile } from "./profile.mjs";
import { prepareDatabase, WranglerDev, writeEnvFile } from "./server.mjs";
import {
	cfg,
	HOST,
	log,
	PHONE_NUMBER_ID,
	RESULTS,
	root,
	round,
	started,
	WRANGLER,
} from "./settings.mjs";
import { bench } from "./state.mjs";
import { printTable } from "./table.mjs";
import { targets } from "./targets.mjs";

async function main() {
	if (process.platform !== "linux") console.warn("Peak memory figures need Linux (/proc).");
	if (!existsSync(WRANGLER)) throw new Error("wrangler is not installed: run `npm ci` first.");
	const tmp = mkdtempSync(path.join(cfg.stateDir, "disdukcapil-bench-"));
	const persistTo = path.join(tmp, "state");
	const envFile = path.join(tmp, "bench.env");
	const logFile = path.join(tmp, "wrangler.log");
	bench.appSecret = randomBytes(24).toString("hex");
	bench.adminToken = `bench-admin-${randomBytes(16).toString("hex")}`;
	const accessToken = `bench-access-${randomBytes(16).toString("hex")}`;
	writeEnvFile(envFile, { appSecret: bench.appSecret, adminToken: bench.adminToken, accessToken });

	const report = {
		machine: machine(),
		settings: { ...cfg, phases: [...cfg.phases] },
		prices: PRICES,
		notes: [],
	};
	let dev = null;
	const cleanup = async () => {
		await dev?.stop();
		await bench.fake?.close();
		if (!cfg.keep) rmSync(tmp, { recursive: true, force: true });
	};
	const onSignal = (signal) => {
		log(`${signal}: stopping`);
		cleanup().finally(() => process.exit(130));
	};
	process.once("SIGINT", onSignal);
	process.once("SIGTERM", onSignal);
	process.once("SIGHUP", onSignal);
	process.once("exit", () => dev?.kill());

	try {
		log(`temporary directory ${tmp}`);
		report.notes.push(prepareDatabase(persistTo));
		bench.fake = await startFakeGraph({ token: accessToken, phoneNumberId: PHONE_NUMBER_ID });
		log(`fake Graph API on ${bench.fake.base}`);
		const startDev = async (script) => {
			await dev?.stop();
			dev = new WranglerDev({ persistTo, envFile, graphBase: bench.fake.base, logFile, script });
			log(`starting wrangler dev${script ? ` ${script}` : ""}`);
			await dev.start();
			bench.workerPort = dev.port;
			bench.dev = dev;
			bench.acceptedBeforeServer = bench.acceptedMessages;
			log(
				`wrangler dev on http://${HOST}:${bench.workerPort} (workerd ${dev.workerdPids().join(", ")}; inspector ${dev.inspectorPort})`,
			);
			await metrics();
		};
		await startDev();

		if (cfg.phases.has("ingress")) await ingressPhase(report);
		if (cfg.phases.has("dialogue") && process.env.BENCH_PROFILE_DIALOGUE === "1") {
			// Diagnostic: where the dialogue's time goes (the profiler slows it: not for the figures).
			const { profile } = await withProfile(dev.inspectorPort, () => dialoguePhase(report), 30);
			report.dialogueProfile = profile;
			log(`dialogue profile: idle ${profile.idlePct}%`);
			for (const t of profile.top) log(`  ${t.pct}% ${t.fn}`);
		} else if (cfg.phases.has("dialogue")) await dialoguePhase(report);
		if (cfg.phases.has("bigfile")) {
			// A fresh workerd: its peak memory is then the file's own, not a reuse of the heap the
			// dialogue's 200 residents left behind (which hid what local R2 holds of a file).
			await startDev();
			await bigFilePhase(report, dev);
		}
		if (cfg.phases.has("profile")) await profilePhase(report, dev);
		if (cfg.phases.has("breakdown")) await breakdownPhase(report, startDev);
		metaStatusesEstimate(report);
		report.fakeGraph = { ...bench.fake.stats };
	} catch (error) {
		report.error = error instanceof Error ? error.stack : String(error);
		console.error(`bench failed: ${report.error}`);
		try {
			const tail = readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
			console.error(`last lines of wrangler's log:\n${tail}`);
		} catch {
			// no log
		}
	} finally {
		report.totalSeconds = round((Date.now() - started) / 1000, 1);
		report.targets = targets(report);
		writeFileSync(RESULTS, `${JSON.stringify(report, null, "\t")}\n`);
		// As the repository's formatter writes JSON, so that `npm run lint` accepts the file.
		spawnSync(path.join(root, "node_modules", ".bin", "biome"), ["format", "--write", RESULTS], {
			cwd: root,
			stdio: "ignore",
			timeout: 30_000,
		});
		printTable(report);
		log(`wrote ${path.relative(root, RESULTS)}; stopping wrangler dev`);
		await cleanup();
	}
	if (report.error) process.exitCode = 1;
}

await main();
