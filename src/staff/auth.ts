import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { secretEquals, sha256Hex } from "../crypto";
import { ConfigError, settingsOf } from "../env";
import { Problem } from "../http/problem";
import { log } from "../log";
import { audit } from "../requests/audit";
import { activeAdminExists, staffByTokenHash } from "./accounts/staff.queries";
import { delegatedPrincipal } from "./delegation";
import {
	actorOf,
	BOOTSTRAP_ADMIN_ID,
	type StaffEnv,
	type StaffPrincipal,
	type StaffRole,
} from "./types";

const BOOTSTRAP_ADMIN: StaffPrincipal = {
	id: BOOTSTRAP_ADMIN_ID,
	name: "Bootstrap admin",
	role: "admin",
	kelurahan: null,
	areas: [],
};

/** Tokens are random and long, so a plain SHA-256 is enough to store them (no password stretching). */
export async function hashToken(token: string): Promise<string> {
	return sha256Hex(token);
}

/** A new staff token: 32 random bytes, base64url, with a prefix that makes leaks easy to spot. */
export function newToken(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	const base64 = btoa(String.fromCharCode(...bytes));
	return `dks_${base64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

const unauthorized = () =>
	new Problem(
		401,
		"unauthorized",
		"Unauthorized",
		"Send a valid staff token as `Authorization: Bearer <token>`.",
		{
			headers: { "www-authenticate": 'Bearer realm="staff"' },
		},
	);

/** The env objects whose missing bootstrap token was already reported (once per isolate). */
const reported = new WeakSet<object>();

/**
 * The bootstrap token, if usable. A malformed one disables only the bootstrap login (logged by
 * the settings, once): staff tokens keep working and no caller learns which setting is broken.
 */
function bootstrapToken(env: Env): string | undefined {
	try {
		return settingsOf(env).get("ADMIN_TOKEN");
	} catch (error) {
		if (error instanceof ConfigError) return undefined;
		throw error;
	}
}

/** Logs, once, that nobody can administer the service: no bootstrap token and no admin left. */
async function reportNoAdmin(env: Env): Promise<void> {
	if (reported.has(env) || (await activeAdminExists(env.DB))) return;
	reported.add(env);
	log.error("auth.no_admin", {
		detail: "ADMIN_TOKEN is missing or malformed and no staff admin has a valid token",
	});
}

/** The route pattern being served (`/api/v1/requests/:id`), never the ids in the path. */
export function routeOf(c: Context): string {
	return routePath(c, -1);
}

/**
 * Who a token's SHA-256 belongs to: the bootstrap admin (while `ADMIN_TOKEN` hashes to it) or an
 * unrevoked, unexpired staff row; null for anyone else. The console checks its sessions with it.
 */
export async function principalOfTokenHash(
	env: Env,
	tokenHash: string,
	now = Date.now(),
): Promise<StaffPrincipal | null> {
	const adminToken = bootstrapToken(env);
	if (adminToken !== undefined && (await secretEquals(tokenHash, await hashToken(adminToken)))) {
		return BOOTSTRAP_ADMIN;
	}
	const row = await staffByTokenHash(env.DB, tokenHash, now);
	if (row === null && adminToken === undefined) await reportNoAdmin(env);
	return row;
}

/**
 * Resolves the bearer token to a principal (bootstrap admin or an unrevoked, unexpired staff
 * row), else 401. What the bootstrap token does is audited with actor `bootstrap-admin`. A call
 * the console made in-process for a signed-in member carries its principal instead (delegation.ts).
 */
export const authenticate = createMiddleware<StaffEnv>(async (c, next) => {
	const onBehalf = delegatedPrincipal(c.req.raw);
	if (onBehalf !== undefined) {
		c.set("staff", onBehalf);
		return next();
	}
	const header = c.req.header("authorization") ?? "";
	const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
	const token = match?.[1];
	if (token === undefined) throw unauthorized();
	// Not audited per request (every audited action then names `bootstrap-admin` as its actor).
	const principal = await principalOfTokenHash(c.env, await hashToken(token));
	if (principal === null) throw unauthorized();
	c.set("staff", principal);
	return next();
});

/**
 * A refusal to a known caller that the audit log records as `denied` (see `staffApi`): a 403 for
 * the role, or the scoped 404 of a request that exists but is not the caller's to see.
 */
export class Denied extends Problem {
	/** The request that exists but was out of the caller's reach, for the audit row. */
	readonly requestId: string | null;
	constructor(problem: Problem, requestId: string | null = null) {
		super(problem.status, problem.slug, problem.title, problem.detail, {
			extensions: problem.extensions,
		});
		this.requestId = requestId;
	}
}

/** Lets only the given roles through; others get 403 (audited as `denied`). */
export function requireRole(...roles: StaffRole[]) {
	return createMiddleware<StaffEnv>(async (c, next) => {
		if (!roles.includes(c.get("staff").role)) {
			throw new Denied(
				new Problem(
					403,
					"forbidden",
					"Forbidden",
					`This action needs the role ${roles.join(" or ")}.`,
				),
			);
		}
		return next();
	});
}

/** Writes the `denied` audit row of a {@link Denied} answer: who, which route, what status. */
export async function auditDenied(c: Context<StaffEnv>, denied: Denied): Promise<void> {
	await audit(c.env.DB, {
		actor: actorOf(c.get("staff")),
		action: "denied",
		requestId: denied.requestId,
		detail: { method: c.req.method, route: routeOf(c), status: denied.status },
	});
}
