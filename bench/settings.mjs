/**
 * The bench's settings (environment knobs, see run.mjs), fixed identifiers, the run's clock and
 * budget, and the number helpers every phase uses.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const WRANGLER = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
export const RESULTS = path.join(root, "bench", "results.json");
export const HOST = "127.0.0.1";
export const MiB = 1024 * 1024;
/** Wrangler needs Node 22; `npm run` has it (the `node` devDependency), a bare `node` may not. */
export const NODE =
	Number(process.versions.node.split(".")[0]) >= 22 ||
	!existsSync(path.join(root, "node_modules", ".bin", "node"))
		? process.execPath
		: path.join(root, "node_modules", ".bin", "node");
export const WRANGLER_ENV = {
	...process.env,
	WRANGLER_SEND_METRICS: "false",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	CI: "true",
};

export function numberEnv(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === "") return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0`);
	return value;
}

export const cfg = {
	residents: Math.floor(numberEnv("BENCH_RESIDENTS", 200)),
	seconds: numberEnv("BENCH_SECONDS", 5),
	warmup: numberEnv("BENCH_WARMUP_SECONDS", 1),
	levels: (process.env.BENCH_CONCURRENCY ?? "1,8,32")
		.split(",")
		.map((s) => Math.floor(Number(s.trim())))
		.filter((n) => n > 0),
	pool: Math.max(1, Math.floor(numberEnv("BENCH_POOL", 50))),
	fileBytes: Math.floor(numberEnv("BENCH_FILE_BYTES", MiB)),
	bigFileBytes: Math.floor(numberEnv("BENCH_BIG_FILE_BYTES", 100 * MiB)),
	dialogueTimeout: numberEnv("BENCH_DIALOGUE_TIMEOUT_SECONDS", 240),
	arrivalSeconds: numberEnv("BENCH_ARRIVAL_SECONDS", 0),
	replyTimeout: numberEnv("BENCH_REPLY_TIMEOUT_SECONDS", 60),
	settle: numberEnv("BENCH_SETTLE_SECONDS", 90),
	maxSeconds: numberEnv("BENCH_MAX_SECONDS", 570),
	phases: new Set(
		(process.env.BENCH_PHASES ?? "ingress,dialogue,bigfile,profile,breakdown")
			.split(",")
			.map((s) => s.trim()),
	),
	keep: process.env.BENCH_KEEP === "1",
	stateDir: stateDir(),
};

/**
 * Where wrangler's local state (SQLite files of D1 and the objects, R2's blobs) is kept: a RAM
 * disk when the machine has one, so that the figures are the product's work and not this
 * machine's disk (on this project's VM a new object's SQLite file waits on the disk: the thread
 * sits half idle while new residents queue). BENCH_STATE_DIR=/tmp measures on disk.
 */
function stateDir() {
	const chosen = process.env.BENCH_STATE_DIR;
	if (chosen !== undefined && chosen !== "") return path.resolve(chosen);
	return existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
}

/** The Legalisir document's limit in the bench's local D1 only, for the 100 MiB file (110 MiB). */
export const BIG_FILE_LIMIT = 115_343_360;
export const WABA_ID = "102290129340398";
export const PHONE_NUMBER_ID = "106540352242922";
export const DISPLAY_NUMBER = "15550783881";
export const NIK = "1674015203900001";
export const TICKET = /PBM-\d{6}-\d{4}/;

export const started = Date.now();
export const deadline = started + cfg.maxSeconds * 1000;
export const remainingMs = () => deadline - Date.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const log = (message) =>
	console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);

export function percentile(sorted, p) {
	if (sorted.length === 0) return null;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
	return sorted[index];
}

export function summarize(latencies) {
	const sorted = Float64Array.from(latencies).sort();
	const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
	return {
		count: sorted.length,
		p50Ms: round(percentile(sorted, 0.5)),
		p99Ms: round(percentile(sorted, 0.99)),
		maxMs: round(sorted.length ? sorted[sorted.length - 1] : null),
	};
}

export const round = (value, digits = 2) =>
	value === null || value === undefined || !Number.isFinite(value)
		? null
		: Math.round(value * 10 ** digits) / 10 ** digits;
