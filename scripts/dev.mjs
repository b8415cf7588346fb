#!/usr/bin/env node
/**
 * `npm run dev`: the whole product on this machine, with nothing but npm.
 *
 * 1. creates .dev.vars from .dev.vars.example when it is missing (local-only secrets);
 * 2. applies the D1 migrations (schema, service catalog, areas) to the local database;
 * 3. starts `wrangler dev` on 127.0.0.1:8787 in the foreground (Ctrl-C stops it) with SANDBOX=true
 *    and the Graph API pointed at the worker's own fake (`/dev/graph`);
 * 4. once /health answers, prints where to go: the chat simulator, the staff console, the API
 *    docs, the admin token.
 *
 * No dependencies; wrangler runs from node_modules with this same Node.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readDotenv } from "./dotenv.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const HOST = "127.0.0.1";
const PORT = 8787;
const ORIGIN = `http://${HOST}:${PORT}`;
const GRAPH_API_BASE = `${ORIGIN}/dev/graph`;
const WRANGLER = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const env = {
	...process.env,
	WRANGLER_SEND_METRICS: "false",
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

if (!existsSync(WRANGLER)) {
	console.error("wrangler is not installed: run `npm ci` first.");
	process.exit(1);
}
if (!existsSync(".dev.vars")) {
	copyFileSync(".dev.vars.example", ".dev.vars");
	console.log("Created .dev.vars from .dev.vars.example (local-only values; never commit it).");
}
const vars = readDotenv(".dev.vars");
// .dev.vars wins over --var for the settings it names: warn when it would turn the sandbox off.
if (vars.SANDBOX !== undefined && vars.SANDBOX !== "true") {
	console.warn(`⚠ .dev.vars sets SANDBOX=${vars.SANDBOX}: the chat simulator will answer 404.`);
}
if (
	vars.GRAPH_API_BASE !== undefined &&
	vars.GRAPH_API_BASE.replace(/\/+$/, "") !== GRAPH_API_BASE
) {
	console.warn(
		`⚠ .dev.vars sets GRAPH_API_BASE=${vars.GRAPH_API_BASE}; the sandbox expects ${GRAPH_API_BASE}.`,
	);
}

console.log("Applying D1 migrations to the local database (schema, catalog, areas)...");
const migrate = spawnSync(
	process.execPath,
	[WRANGLER, "d1", "migrations", "apply", "DB", "--local"],
	{
		stdio: ["ignore", "inherit", "inherit"],
		env: { ...env, CI: "true" },
	},
);
if (migrate.status !== 0) {
	console.error("Local D1 migrations failed; see above.");
	process.exit(migrate.status ?? 1);
}

const child = spawn(
	process.execPath,
	[
		WRANGLER,
		"dev",
		"--ip",
		HOST,
		"--port",
		String(PORT),
		"--var",
		"SANDBOX:true",
		"--var",
		`GRAPH_API_BASE:${GRAPH_API_BASE}`,
		// The sandbox's business number (src/sandbox/wire.ts), when .dev.vars does not name one.
		"--var",
		"WHATSAPP_PHONE_NUMBER_ID:100000000000001",
	],
	{ stdio: "inherit", env },
);

// Ctrl-C reaches wrangler directly (same process group): wait for it to finish, then leave.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
	process.on(signal, () => {
		if (signal !== "SIGINT" && child.exitCode === null) child.kill(signal);
	});
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

async function waitForHealth() {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline && child.exitCode === null) {
		try {
			const response = await fetch(`${ORIGIN}/health`);
			if (response.ok) return true;
		} catch {
			// not listening yet
		}
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	return false;
}

if (await waitForHealth()) {
	let sandbox = false;
	try {
		sandbox = (await fetch(`${ORIGIN}/dev/chat`)).ok;
	} catch {
		sandbox = false;
	}
	const token = vars.ADMIN_TOKEN ?? "(ADMIN_TOKEN is not set in .dev.vars)";
	const lines = [
		"Disdukcapil WhatsApp is running locally (embedded D1, R2, Durable Objects; fake WhatsApp).",
		"",
		`  Chat simulator   ${ORIGIN}/dev/chat${sandbox ? "" : "   (404: sandbox is off, see .dev.vars)"}`,
		'                   say "Halo"; open more tabs to be more residents',
		`  Staff console    ${ORIGIN}/console`,
		"                   sign in with the admin token below (or a staff token)",
		`  Staff API docs   ${ORIGIN}/api/v1/docs`,
		`  Admin token      ${token}   (ADMIN_TOKEN in .dev.vars)`,
		"  Try it           curl -H 'Authorization: Bearer <admin token>' \\",
		`                     ${ORIGIN}/api/v1/requests`,
		"",
		"  Ctrl-C stops it. Local data lives in .wrangler/state.",
	];
	const rule = "─".repeat(78);
	console.log(`\n${rule}`);
	for (const line of lines) console.log(` ${line}`);
	console.log(`${rule}\n`);
}
