import { createMiddleware } from "hono/factory";
import { secretEquals, sha256Hex } from "../crypto";
import { settingsOf } from "../env";
import { Problem } from "../http/problem";
import { staffByTokenHash } from "./accounts/staff.queries";
import type { StaffEnv, StaffPrincipal, StaffRole } from "./types";

const BOOTSTRAP_ADMIN: StaffPrincipal = {
	id: "admin",
	name: "Bootstrap admin",
	role: "admin",
	kelurahan: null,
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

/** Resolves the bearer token to a principal (bootstrap admin or an unrevoked staff row), else 401. */
export const authenticate = createMiddleware<StaffEnv>(async (c, next) => {
	const header = c.req.header("authorization") ?? "";
	const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
	const token = match?.[1];
	if (token === undefined) throw unauthorized();
	const adminToken = settingsOf(c.env).get("ADMIN_TOKEN");
	if (await secretEquals(token, adminToken)) {
		c.set("staff", BOOTSTRAP_ADMIN);
		return next();
	}
	const row = await staffByTokenHash(c.env.DB, await hashToken(token));
	if (row === null) throw unauthorized();
	c.set("staff", row);
	return next();
});

/** Lets only the given roles through; others get 403. */
export function requireRole(...roles: StaffRole[]) {
	return createMiddleware<StaffEnv>(async (c, next) => {
		if (!roles.includes(c.get("staff").role)) {
			throw new Problem(
				403,
				"forbidden",
				"Forbidden",
				`This action needs the role ${roles.join(" or ")}.`,
			);
		}
		return next();
	});
}
