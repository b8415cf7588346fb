/** The machine and the processes of `wrangler dev`: names, memory and CPU time from /proc. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { root, round } from "./settings.mjs";

// ---- the machine ----

export function machine() {
	const cpus = os.cpus();
	let osName = `${os.type()} ${os.release()}`;
	try {
		const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync("/etc/os-release", "utf8"));
		if (pretty) osName = `${pretty[1]} (kernel ${os.release()})`;
	} catch {
		// not Linux: keep os.type()
	}
	const version = (args) => {
		const run = spawnSync(args[0], args.slice(1), { encoding: "utf8", timeout: 30_000 });
		return (run.stdout || run.stderr || "").trim().split("\n")[0] || null;
	};
	let workerdPackage = null;
	try {
		workerdPackage = JSON.parse(
			readFileSync(path.join(root, "node_modules", "workerd", "package.json"), "utf8"),
		).version;
	} catch {
		// not installed where expected
	}
	return {
		cpuModel: cpus[0]?.model ?? "unknown",
		cpuCount: cpus.length,
		memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
		os: osName,
		arch: os.arch(),
		node: process.version,
		wrangler: JSON.parse(
			readFileSync(path.join(root, "node_modules", "wrangler", "package.json"), "utf8"),
		).version,
		workerd: version([path.join(root, "node_modules", ".bin", "workerd"), "--version"]),
		workerdPackage,
		date: new Date().toISOString(),
	};
}

// ---- processes: wrangler dev and its workerd ----

/** Children of every process, from /proc (Linux). */
export function processTree() {
	const children = new Map();
	const names = new Map();
	for (const entry of readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
			const close = stat.lastIndexOf(")");
			const name = stat.slice(stat.indexOf("(") + 1, close);
			const ppid = Number(stat.slice(close + 2).split(" ")[1]);
			names.set(Number(entry), name);
			if (!children.has(ppid)) children.set(ppid, []);
			children.get(ppid).push(Number(entry));
		} catch {
			// the process ended meanwhile
		}
	}
	return { children, names };
}

/** The processes started by `pid` (itself included), with their names. */
export function descendants(pid) {
	const { children, names } = processTree();
	const out = [];
	const stack = [pid];
	while (stack.length > 0) {
		const current = stack.pop();
		out.push({ pid: current, name: names.get(current) ?? "?" });
		for (const child of children.get(current) ?? []) stack.push(child);
	}
	return out;
}

/** VmRSS and VmHWM (peak) of a process in MiB, or null once it is gone. */
export function memoryOf(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, "utf8");
		const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
		return { rssMiB: round(kib("VmRSS") / 1024, 1), hwmMiB: round(kib("VmHWM") / 1024, 1) };
	} catch {
		return null;
	}
}

let clockTicks = 100;
try {
	clockTicks = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
} catch {
	// keep 100, Linux's usual value
}

/** utime + stime of a /proc stat file, in clock ticks (0 once the process is gone). */
export function ticksOf(file) {
	try {
		const stat = readFileSync(file, "utf8");
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		return Number(fields[11]) + Number(fields[12]);
	} catch {
		return 0;
	}
}

/** CPU time used so far by wrangler dev's processes (and each workerd thread) and by this one. */
export function cpuSnapshot(dev) {
	const processes = dev?.processes() ?? [];
	const threads = new Map();
	let workerd = 0;
	let wrangler = 0;
	for (const p of processes) {
		const ticks = ticksOf(`/proc/${p.pid}/stat`);
		if (p.name === "workerd") {
			workerd += ticks;
			try {
				for (const tid of readdirSync(`/proc/${p.pid}/task`)) {
					threads.set(`${p.pid}/${tid}`, ticksOf(`/proc/${p.pid}/task/${tid}/stat`));
				}
			} catch {
				// gone
			}
		} else wrangler += ticks;
	}
	const self = process.cpuUsage();
	return { at: performance.now(), workerd, wrangler, threads, benchUs: self.user + self.system };
}

/** Shares of one core (%) used between two snapshots. */
export function cpuBetween(a, b) {
	const seconds = (b.at - a.at) / 1000;
	const pct = (ticks) => round((ticks / clockTicks / seconds) * 100, 0);
	let busiest = 0;
	for (const [tid, ticks] of b.threads)
		busiest = Math.max(busiest, ticks - (a.threads.get(tid) ?? 0));
	return {
		workerdPct: pct(b.workerd - a.workerd),
		workerdBusiestThreadPct: pct(busiest),
		wranglerNodePct: pct(b.wrangler - a.wrangler),
		benchPct: round(((b.benchUs - a.benchUs) / 1e6 / seconds) * 100, 0),
	};
}

/**
 * CPU milliseconds between two snapshots: of the busiest workerd thread (the isolate that runs
 * the Worker and every Durable Object locally) and of all workerd threads.
 */
export function isolateCpuMs(a, b) {
	let busiest = 0;
	for (const [tid, ticks] of b.threads)
		busiest = Math.max(busiest, ticks - (a.threads.get(tid) ?? 0));
	const ms = (ticks) => round((ticks / clockTicks) * 1000, 0);
	return {
		seconds: round((b.at - a.at) / 1000, 1),
		isolateCpuMs: ms(busiest),
		workerdCpuMs: ms(b.workerd - a.workerd),
	};
}

/**
 * Watches the peak memory of `dev`'s processes while a task runs: resets each one's peak RSS
 * (VmHWM; Linux: writing 5 to clear_refs) and samples workerd's RSS every 100 ms. `stop()` gives
 * workerd's RSS before, its peak during and the growth, with each process's figures.
 */
export function watchPeakMemory(dev) {
	const processes = dev.processes();
	const reset = {};
	for (const p of processes) {
		try {
			writeFileSync(`/proc/${p.pid}/clear_refs`, "5");
			reset[p.pid] = true;
		} catch {
			reset[p.pid] = false;
		}
	}
	const before = processes.map((p) => ({ ...p, ...memoryOf(p.pid) }));
	let sampledPeakMiB = 0;
	const sampler = setInterval(() => {
		let sum = 0;
		for (const pid of dev.workerdPids()) sum += memoryOf(pid)?.rssMiB ?? 0;
		sampledPeakMiB = Math.max(sampledPeakMiB, sum);
	}, 100);
	return {
		stop() {
			clearInterval(sampler);
			const after = processes.map((p) => ({ ...p, ...memoryOf(p.pid) }));
			const sum = (list, key) =>
				round(
					list.filter((p) => p.name === "workerd").reduce((a, p) => a + (p[key] ?? 0), 0),
					1,
				);
			return {
				hwmReset: Object.values(reset).every(Boolean),
				workerdRssBeforeMiB: sum(before, "rssMiB"),
				workerdPeakDuringMiB: sum(after, "hwmMiB"),
				workerdPeakIncreaseMiB: round(sum(after, "hwmMiB") - sum(before, "rssMiB"), 1),
				workerdSampledPeakRssMiB: round(sampledPeakMiB, 1),
				processes: after.map((p, i) => ({
					pid: p.pid,
					name: p.name,
					rssBeforeMiB: before[i]?.rssMiB ?? null,
					peakDuringMiB: p.hwmMiB ?? null,
				})),
			};
		},
	};
}
