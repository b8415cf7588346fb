/** The server under test: `wrangler dev` (workerd) on 127.0.0.1, started and stopped whole. */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, writeFileSync } from "node:fs";
import net from "node:net";
import { request } from "./http.mjs";
import { descendants } from "./processes.mjs";
import {
	BIG_FILE_LIMIT,
	HOST,
	log,
	NODE,
	PHONE_NUMBER_ID,
	root,
	sleep,
	WRANGLER,
	WRANGLER_ENV,
} from "./settings.mjs";

export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once("error", reject);
		server.listen(0, HOST, () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export class WranglerDev {
	constructor({ persistTo, envFile, graphBase, logFile, script }) {
		this.script = script;
		this.persistTo = persistTo;
		this.envFile = envFile;
		this.graphBase = graphBase;
		this.logFile = logFile;
		this.child = null;
		this.port = 0;
		this.exited = null;
	}

	async start() {
		this.port = await freePort();
		this.inspectorPort = await freePort();
		const inspectorPort = this.inspectorPort;
		const out = openSync(this.logFile, "a");
		this.child = spawn(
			NODE,
			[
				WRANGLER,
				"dev",
				...(this.script ? [this.script] : []),
				"--ip",
				HOST,
				"--port",
				String(this.port),
				"--inspector-port",
				String(inspectorPort),
				"--persist-to",
				this.persistTo,
				"--env-file",
				this.envFile,
				"--var",
				"SANDBOX:true",
				"--var",
				`GRAPH_API_BASE:${this.graphBase}`,
				"--show-interactive-dev-session=false",
			],
			// Its own process group, so that stopping it stops its workerd too.
			{ cwd: root, env: WRANGLER_ENV, stdio: ["ignore", out, out], detached: true },
		);
		closeSync(out);
		this.exited = new Promise((resolve) => this.child.once("exit", resolve));
		const until = Date.now() + 120_000;
		while (Date.now() < until) {
			if (this.child.exitCode !== null) break;
			const res = await request({ port: this.port, path: "/health", timeoutMs: 2000 });
			if (res.status === 200) return;
			await sleep(300);
		}
		throw new Error(`wrangler dev did not answer /health; see ${this.logFile}`);
	}

	processes() {
		return this.child?.pid ? descendants(this.child.pid) : [];
	}

	workerdPids() {
		return this.processes()
			.filter((p) => p.name === "workerd")
			.map((p) => p.pid);
	}

	async stop() {
		const child = this.child;
		if (child === null || child.exitCode !== null || child.signalCode !== null) return;
		const group = -child.pid;
		try {
			process.kill(group, "SIGTERM");
		} catch {
			return;
		}
		const gone = await Promise.race([this.exited.then(() => true), sleep(10_000)]);
		try {
			process.kill(group, "SIGKILL");
		} catch {
			// already gone
		}
		if (!gone) await Promise.race([this.exited, sleep(5_000)]);
		this.child = null;
	}

	/** Synchronous last resort (process exit). */
	kill() {
		try {
			if (this.child?.pid) process.kill(-this.child.pid, "SIGKILL");
		} catch {
			// already gone
		}
	}
}

export function wranglerSync(args, timeoutMs = 180_000) {
	const run = spawnSync(NODE, [WRANGLER, ...args], {
		cwd: root,
		env: WRANGLER_ENV,
		encoding: "utf8",
		timeout: timeoutMs,
	});
	if (run.status !== 0) {
		throw new Error(
			`wrangler ${args.slice(0, 3).join(" ")} failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`,
		);
	}
	return run.stdout;
}

/** The bench's env file: like .dev.vars.example, with fresh secrets (GRAPH_API_BASE, SANDBOX: --var). */
export function writeEnvFile(envFile, { appSecret, adminToken, accessToken }) {
	writeFileSync(
		envFile,
		[
			`WHATSAPP_APP_SECRET=${appSecret}`,
			`WHATSAPP_VERIFY_TOKEN=bench-verify-${randomBytes(8).toString("hex")}`,
			`WHATSAPP_ACCESS_TOKEN=${accessToken}`,
			// The office's own number: the one every bench webhook names (bench/webhooks.mjs).
			`WHATSAPP_PHONE_NUMBER_ID=${PHONE_NUMBER_ID}`,
			`ADMIN_TOKEN=${adminToken}`,
			"GRAPH_API_VERSION=v25.0",
			"OFFICE_CODE=PBM",
			"OFFICE_NAME=Disdukcapil Kota Prabumulih",
			"DEFAULT_LANGUAGE=id",
			"STATUS_TEMPLATE_NAME=status_update",
			"STATUS_TEMPLATE_LANGUAGE=id",
			"RETENTION_DAYS=90",
			"",
		].join("\n"),
	);
}

/** Applies the D1 migrations to the bench's local database and raises one limit; the note. */
export function prepareDatabase(persistTo) {
	log("applying the D1 migrations to the bench's local database");
	wranglerSync(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
	// The catalog is data: the Legalisir document may be up to 110 MiB in this database only,
	// for the 100 MiB file (it is 10 MiB in the seed). Applied before start: workerd owns the
	// SQLite file while it runs. The 1 MiB files of the dialogue are under either limit.
	wranglerSync([
		"d1",
		"execute",
		"DB",
		"--local",
		"--persist-to",
		persistTo,
		"--command",
		`UPDATE requirements SET max_bytes = ${BIG_FILE_LIMIT} WHERE service_code = 'legalisir'`,
	]);
	return `Legalisir max_bytes set to ${BIG_FILE_LIMIT} in the bench's local D1 (before start; the seed says 10 MiB)`;
}
