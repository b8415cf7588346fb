/**
 * The console's sessions in D1 (`console_sessions`): opened by signing in with a staff token,
 * closed by signing out, and only as good as the token they were opened with.
 *
 * @module
 */

import { sha256Hex, toHex } from "../crypto";
import { hashToken, principalOfTokenHash } from "../staff/auth";
import type { StaffPrincipal } from "../staff/types";

/** A session lasts one working day at most (and never beyond its token's life). */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Rows this long past their expiry are deleted by the next sign-in. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

/** A new session id: 32 random bytes, hex. Only its SHA-256 is stored. */
function newSessionId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	return toHex(bytes);
}

/**
 * Opens a session for whoever holds `token`, or answers null for a token that opens nothing.
 *
 * @returns The session id for the cookie and the principal it stands for.
 */
export async function openSession(
	env: Env,
	token: string,
	now = Date.now(),
): Promise<{ sessionId: string; principal: StaffPrincipal; expiresAt: number } | null> {
	const tokenHash = await hashToken(token);
	const principal = await principalOfTokenHash(env, tokenHash, now);
	if (principal === null) return null;
	const sessionId = newSessionId();
	const expiresAt = now + SESSION_TTL_MS;
	await env.DB.batch([
		env.DB.prepare("DELETE FROM console_sessions WHERE expires_at < ?").bind(now - KEEP_EXPIRED_MS),
		env.DB.prepare(
			"INSERT INTO console_sessions (id_hash, staff_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
		).bind(await sha256Hex(sessionId), principal.id, tokenHash, now, expiresAt),
	]);
	return { sessionId, principal, expiresAt };
}

/**
 * The principal of a session that still works: not signed out, not expired, and its token still
 * the member's current one (a revoked member, a rotated or expired token end the session).
 */
export async function sessionPrincipal(
	env: Env,
	sessionId: string,
	now = Date.now(),
): Promise<StaffPrincipal | null> {
	if (!/^[0-9a-f]{64}$/.test(sessionId)) return null;
	const row = await env.DB.prepare(
		"SELECT staff_id, token_hash FROM console_sessions WHERE id_hash = ? AND revoked_at IS NULL AND expires_at > ?",
	)
		.bind(await sha256Hex(sessionId), now)
		.first<{ staff_id: string; token_hash: string }>();
	if (row === null) return null;
	const principal = await principalOfTokenHash(env, row.token_hash, now);
	return principal !== null && principal.id === row.staff_id ? principal : null;
}

/** Signs a session out; idempotent. */
export async function closeSession(env: Env, sessionId: string, now = Date.now()): Promise<void> {
	if (!/^[0-9a-f]{64}$/.test(sessionId)) return;
	await env.DB.prepare(
		"UPDATE console_sessions SET revoked_at = ? WHERE id_hash = ? AND revoked_at IS NULL",
	)
		.bind(now, await sha256Hex(sessionId))
		.run();
}
