/** Phase 5: CPU profiles of the worker's isolate through wrangler's inspector. */
import path from "node:path";
import { fresh, load, recurring, statuses } from "./ingress.mjs";
import { countAccepted, loadRun, settle } from "./load.mjs";
import { cfg, HOST, log, numberEnv, remainingMs, round } from "./settings.mjs";

/**
 * Self time per function of a DevTools CPU profile: the top entries, in ms and shares. `sourceOf`
 * names the source module of a bundled line (esbuild marks each module with a `// path` comment).
 */
export function summarizeProfile(profile, sourceOf, top = 12) {
	const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map();
	profile.samples.forEach((id, i) => {
		self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
	});
	const byFunction = new Map();
	// Self time by where it is spent: a source module, a package, or the runtime (native).
	const byModule = new Map();
	let total = 0;
	for (const [id, us] of self) {
		const frame = nodes.get(id)?.callFrame;
		const name = frame?.functionName || "(anonymous)";
		const module = frame?.url ? sourceOf(frame.scriptId, frame.lineNumber) : null;
		const where = frame?.url
			? (module ?? `${path.basename(frame.url)}:${frame.lineNumber + 1}`)
			: "native";
		const key = `${name} (${where})`;
		byFunction.set(key, (byFunction.get(key) ?? 0) + us);
		if (name !== "(idle)") {
			const place = frame?.url ? (module ?? path.basename(frame.url)) : `(native) ${name}`;
			const group = place.startsWith("src/") ? place : place.replace(/\/.*$/, "");
			byModule.set(group, (byModule.get(group) ?? 0) + us);
		}
		total += us;
	}
	const idle = byFunction.get("(idle) (native)") ?? 0;
	const share = ([fn, us]) => ({ fn, ms: round(us / 1000, 0), pct: round((us / total) * 100, 1) });
	return {
		sampledMs: round(total / 1000, 0),
		idlePct: round((idle / total) * 100, 1),
		top: [...byFunction]
			.filter(([key]) => key !== "(idle) (native)")
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(share),
		modules: [...byModule]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(share),
	};
}

/**
 * Runs `task` while the worker's isolate is CPU-profiled through wrangler's inspector (the
 * DevTools protocol; the inspector accepts 127.0.0.1 as Origin). Bundled lines are traced back to
 * their source modules through the script's text, fetched once the profile is taken.
 */
export async function withProfile(inspectorPort, task, top = 12) {
	if (typeof WebSocket !== "function") throw new Error("this Node has no WebSocket (Node 22 has)");
	const targets = await (await fetch(`http://${HOST}:${inspectorPort}/json`)).json();
	const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
	if (!url) throw new Error("no inspector target");
	const ws = new WebSocket(url, { headers: { origin: `http://${HOST}` } });
	const pending = new Map();
	let id = 0;
	ws.onmessage = (event) => {
		const message = JSON.parse(String(event.data));
		pending.get(message.id)?.(message);
		pending.delete(message.id);
	};
	await new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = () => reject(new Error("inspector connection refused"));
		setTimeout(() => reject(new Error("inspector connection timed out")), 10_000);
	});
	const send = (method, params = {}) =>
		new Promise((resolve, reject) => {
			id++;
			pending.set(id, resolve);
			ws.send(JSON.stringify({ id, method, params }));
			setTimeout(() => reject(new Error(`${method} timed out`)), 30_000);
		});
	try {
		await send("Profiler.enable");
		await send("Profiler.setSamplingInterval", { interval: 500 });
		await send("Profiler.start");
		const result = await task();
		const { profile } = (await send("Profiler.stop")).result;
		// Module markers of each script seen in the profile: line → `// src/...` above it.
		const markers = new Map();
		await send("Debugger.enable").catch(() => undefined);
		for (const scriptId of new Set(profile.nodes.map((n) => n.callFrame.scriptId))) {
			if (!scriptId || scriptId === "0") continue;
			const source = (await send("Debugger.getScriptSource", { scriptId }).catch(() => null))
				?.result?.scriptSource;
			if (typeof source !== "string") continue;
			const list = [];
			source.split("\n").forEach((line, index) => {
				const marker = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
				if (marker) list.push([index, marker[1].replace(/^node_modules\//, "")]);
			});
			markers.set(scriptId, list);
		}
		await send("Debugger.disable").catch(() => undefined);
		const sourceOf = (scriptId, line) => {
			let found = null;
			for (const [at, name] of markers.get(scriptId) ?? []) {
				if (at > line) break;
				found = name;
			}
			return found;
		};
		return { result, profile: summarizeProfile(profile, sourceOf, top) };
	} finally {
		ws.close();
	}
}

/**
 * Where the isolate's time goes: CPU profiles of short webhook runs at the top concurrency (after
 * the measured phases, since the profiler slows the isolate down).
 */
export async function profilePhase(report, dev) {
	const seconds = numberEnv("BENCH_PROFILE_SECONDS", 4);
	const concurrency = cfg.levels.at(-1);
	if (!seconds || concurrency === undefined || load.pool.length === 0) return;
	if (remainingMs() < 150_000) {
		report.notes.push("CPU profiles skipped: time budget");
		return;
	}
	report.profiles = { concurrency, seconds, runs: [] };
	for (const [label, next, drain] of [
		["webhook, recurring residents", recurring(), true],
		["webhook, new residents", fresh(), true],
		["status webhooks", statuses, false],
	]) {
		try {
			const { result, profile } = await withProfile(dev.inspectorPort, () =>
				loadRun({ concurrency, next, onDone: countAccepted, seconds }),
			);
			if (drain) await settle();
			report.profiles.runs.push({ label, rps: result.rps, profile });
			log(
				`profile ${label}: ${result.rps} req/s while profiled; idle ${profile.idlePct}%; top ${profile.top
					.slice(0, 3)
					.map((t) => `${t.fn} ${t.pct}%`)
					.join(", ")}`,
			);
		} catch (error) {
			report.notes.push(`CPU profile of ${label} failed: ${error?.message ?? error}`);
			return;
		}
	}
}
