/**
 * A diagnostic entry for `npm run bench` (its "breakdown" phase, a separate `wrangler dev`): the
 * product's worker unchanged, with its Conversation's storage calls counted by SQL statement, so
 * that the Durable Object rows written per request can be traced to the statements (and so to the
 * code) that write them. Adds two routes: `GET /bench/do-breakdown`, and `POST /bench/r2-put`, the
 * bare transfer a resident's file takes (a download put into R2 as it comes, R2 checking Meta's
 * SHA-256), nothing else, to set the product's file path beside it. Never deployed.
 *
 * The counting hooks the SqlStorage and DurableObjectStorage prototypes from inside the first
 * object's constructor (before the product's constructor runs its migrations), and counts alarm
 * invocations and RPC calls by overriding them in a subclass.
 */
import worker, { Conversation as ProductConversation } from "../src/index.ts";

/** SQL text (whitespace collapsed) → cursors of its runs; rows are read when asked. */
const statements = new Map();
const calls = { alarms: 0, receive: 0, caseState: 0, setAlarm: 0, deleteAlarm: 0, getAlarm: 0 };
let hooked = false;

function normalize(query) {
	return String(query).replace(/\s+/g, " ").trim();
}

function hook(ctx) {
	if (hooked) return;
	hooked = true;
	const sqlProto = Object.getPrototypeOf(ctx.storage.sql);
	const exec = sqlProto.exec;
	sqlProto.exec = function countedExec(query, ...bindings) {
		const cursor = exec.call(this, query, ...bindings);
		const key = normalize(query);
		let entry = statements.get(key);
		if (entry === undefined) {
			entry = { runs: 0, cursors: [], rowsWritten: 0 };
			statements.set(key, entry);
		}
		entry.runs++;
		entry.cursors.push(cursor);
		return cursor;
	};
	const storageProto = Object.getPrototypeOf(ctx.storage);
	for (const name of ["setAlarm", "deleteAlarm", "getAlarm"]) {
		const original = storageProto[name];
		storageProto[name] = function countedAlarmCall(...args) {
			calls[name]++;
			return original.apply(this, args);
		};
	}
}

export class Conversation extends ProductConversation {
	constructor(ctx, env) {
		hook(ctx);
		super(ctx, env);
	}

	async alarm(...args) {
		calls.alarms++;
		return super.alarm(...args);
	}

	async receive(...args) {
		calls.receive++;
		return super.receive(...args);
	}

	async caseState(...args) {
		calls.caseState++;
		return super.caseState(...args);
	}
}

function breakdown() {
	const rows = [];
	for (const [sql, entry] of statements) {
		for (const cursor of entry.cursors.splice(0)) entry.rowsWritten += cursor.rowsWritten;
		rows.push({ sql, runs: entry.runs, rowsWritten: entry.rowsWritten });
	}
	rows.sort((a, b) => b.rowsWritten - a.rowsWritten);
	return { calls, statements: rows };
}

/** `{url, key, sha256}`: downloads `url` from the (fake) Graph API and puts it into R2 as it comes. */
async function r2Put(request, env) {
	const { url, key, sha256 } = await request.json();
	const download = await fetch(url, {
		headers: { authorization: `Bearer ${env.WHATSAPP_ACCESS_TOKEN}` },
	});
	const object = await env.FILES.put(key, download.body, { sha256 });
	return Response.json({ size: object?.size ?? null });
}

export default {
	fetch(request, env, ctx) {
		const { pathname } = new URL(request.url);
		if (pathname === "/bench/do-breakdown") return Response.json(breakdown());
		if (pathname === "/bench/r2-put" && request.method === "POST") return r2Put(request, env);
		return worker.fetch(request, env, ctx);
	},
	...(typeof worker.scheduled === "function"
		? { scheduled: (controller, env, ctx) => worker.scheduled(controller, env, ctx) }
		: {}),
};
