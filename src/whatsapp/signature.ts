import { toHex } from "../crypto";

/**
 * Meta signs each webhook POST with `X-Hub-Signature-256: sha256=<hex>`, an HMAC-SHA256 of the
 * exact body bytes keyed with the app secret. Verify those bytes as received: re-serialised JSON
 * differs (Meta escapes non-ASCII as \uXXXX) and would fail.
 */
const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/i;

const encoder = new TextEncoder();

/** The verifying key of the app secret last seen (every webhook is checked with the same one). */
let verifying: { secret: string; key: Promise<CryptoKey> } | undefined;

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
	if (usage === "verify" && verifying?.secret === secret) return verifying.key;
	const key = crypto.subtle.importKey(
		"raw",
		encoder.encode(secret),
		{ name: "HMAC", hash: "SHA-256" },
		false,
		[usage],
	);
	if (usage === "verify") {
		verifying = { secret, key };
		// A key that could not be made is not kept: the next webhook tries again.
		key.catch(() => {
			if (verifying?.key === key) verifying = undefined;
		});
	}
	return key;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(hex.length / 2);
	for (let i = 0; i < bytes.length; i++)
		bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}

/**
 * True when `header` is a well-formed `sha256=` signature of `body` under `secret`.
 * `crypto.subtle.verify` compares in constant time.
 */
export async function verifySignature(
	secret: string,
	body: BufferSource,
	header: string | null | undefined,
): Promise<boolean> {
	const match = header ? HEADER_PATTERN.exec(header.trim()) : null;
	const hex = match?.[1];
	if (hex === undefined) return false;
	const key = await hmacKey(secret, "verify");
	return crypto.subtle.verify("HMAC", key, hexToBytes(hex), body);
}

/** The header value Meta would send for `body`: used by the sandbox and tests. */
export async function signBody(secret: string, body: BufferSource | string): Promise<string> {
	const bytes = typeof body === "string" ? encoder.encode(body) : body;
	const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, "sign"), bytes);
	return `sha256=${toHex(mac)}`;
}
