/**
 * The checks a resident's file passes on its way into storage: its type by magic bytes, its size
 * and length, and its SHA-256, as a stream stage that stops the transfer at the first failure.
 */
import { toHex } from "../crypto";

/**
 * What became of a file. `too_large` and `wrong_type` are final (tell the resident what is
 * accepted); `failed` says whether trying again later may help.
 */
export type MediaOutcome =
	| { ok: true; key: string; size: number; mimeType: string; sha256: string; fileName?: string }
	| { ok: false; reason: "too_large" | "wrong_type"; detail: string }
	| {
			ok: false;
			reason: "failed";
			retryable: boolean;
			retryAfterMs?: number;
			/** The channel refused the office's credentials: wait for them, not the file's fault. */
			unauthorized?: true;
			detail: string;
	  };

export type Refusal = Extract<MediaOutcome, { reason: "too_large" | "wrong_type" }>;
export type Failure = Extract<MediaOutcome, { reason: "failed" }>;
export type Stored = Extract<MediaOutcome, { ok: true }>;

/** The types recognisable by their first bytes (the scans residents send). */
export type SniffedMimeType = "image/jpeg" | "image/png" | "application/pdf";

const SIGNATURES: [SniffedMimeType, readonly number[]][] = [
	["image/jpeg", [0xff, 0xd8, 0xff]],
	["image/png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
	["application/pdf", [0x25, 0x50, 0x44, 0x46, 0x2d]], // "%PDF-"
];
const SNIFFABLE = new Set<string>(SIGNATURES.map(([type]) => type));
/** Bytes kept for sniffing: the longest signature. */
export const HEAD_BYTES = 8;

/** The type a file's first bytes (up to 8 are looked at) say it is, if one of JPEG, PNG or PDF. */
export function sniffMimeType(head: Uint8Array): SniffedMimeType | undefined {
	for (const [type, signature] of SIGNATURES) {
		if (head.length >= signature.length && signature.every((byte, i) => head[i] === byte)) {
			return type;
		}
	}
	return undefined;
}

/**
 * Why a file whose first bytes are `head` is refused as the `declared` type (undefined: it is
 * not). Types without a signature here (text/plain, Word...) pass on the declared type alone.
 */
export function typeRefusal(
	head: Uint8Array,
	declared: string,
	accepted: readonly string[],
): Refusal | undefined {
	const sniffed = sniffMimeType(head);
	if (sniffed === undefined) {
		return SNIFFABLE.has(declared) ? refuse("wrong_type", `content is not ${declared}`) : undefined;
	}
	if (sniffed !== declared || !accepted.includes(sniffed)) {
		return refuse("wrong_type", `content is ${sniffed}, declared ${declared}`);
	}
	return undefined;
}

export interface CheckRules {
	declared: string;
	accepted: string[];
	maxBytes: number;
	/** The response's length: more bytes than this can never be stored. */
	contentLength: number | undefined;
	/** The length the file must have at the end (the response's, else Meta's `file_size`). */
	expectedLength: number | undefined;
	/** Hex SHA-256s the bytes must have (Meta's and the webhook's, when given). */
	expectedSha256: string[];
}

/**
 * The checks on the way to R2, as a TransformStream: type by magic bytes, size, length and SHA-256.
 * A failed check errors the stream (so the upload fails) and is kept in `stopped`.
 *
 * R2 commits a fixed-length `put` as soon as it has every byte, even if the stream errors after
 * that, so the newest chunk is always held back until the next one arrives or every check at the
 * end has passed, and nothing is passed on before the type is known: an object that fails a
 * check is never written, rather than written and deleted.
 */
export class MediaCheck {
	readonly stream: TransformStream<Uint8Array, Uint8Array>;
	/** Why the stream was stopped on purpose; any other error is a failed transfer. */
	stopped: Refusal | Failure | undefined;
	size = 0;
	/** Hex SHA-256 of all the bytes, once the stream ended. */
	sha256: string | undefined;

	private readonly head = new Uint8Array(HEAD_BYTES);
	private headLength = 0;
	private typeChecked = false;
	/** Chunks not yet passed on: the head's (under 8 bytes) until the type check, then the newest. */
	private held: Uint8Array[] = [];
	private readonly hasher = new crypto.DigestStream("SHA-256");
	private readonly hashWriter = this.hasher.getWriter();

	constructor(private readonly rules: CheckRules) {
		// The digest rejects when the hash writer is aborted; nobody waits for it then.
		this.hasher.digest.catch(() => undefined);
		this.stream = new TransformStream<Uint8Array, Uint8Array>({
			transform: (chunk, controller) => this.transform(chunk, controller),
			flush: (controller) => this.flush(controller),
		});
	}

	/** Releases the hasher after a failure. */
	dispose(): void {
		this.held = [];
		this.hashWriter.abort().catch(() => undefined);
	}

	private async transform(
		chunk: Uint8Array,
		controller: TransformStreamDefaultController<Uint8Array>,
	): Promise<void> {
		if (!this.typeChecked) {
			// Only the head is copied: the first chunk may be shorter than a signature.
			const n = Math.min(HEAD_BYTES - this.headLength, chunk.byteLength);
			this.head.set(chunk.subarray(0, n), this.headLength);
			this.headLength += n;
			if (this.headLength === HEAD_BYTES) this.checkType();
		}
		this.size += chunk.byteLength;
		const { maxBytes, contentLength } = this.rules;
		if (this.size > maxBytes) {
			this.stop(refuse("too_large", `more than the limit of ${maxBytes} bytes`));
		}
		if (contentLength !== undefined && this.size > contentLength) {
			this.stop(failed(true, `more bytes than the announced ${contentLength}`));
		}
		await this.hashWriter.write(chunk);
		this.held.push(chunk);
		if (this.typeChecked) this.release(controller, this.held.length - 1);
	}

	private async flush(controller: TransformStreamDefaultController<Uint8Array>): Promise<void> {
		if (!this.typeChecked) this.checkType();
		if (this.size === 0) this.stop(refuse("wrong_type", "the file is empty"));
		const { expectedLength, expectedSha256 } = this.rules;
		if (expectedLength !== undefined && this.size !== expectedLength) {
			const what = this.size < expectedLength ? "cut short" : "longer than announced";
			this.stop(failed(true, `download ${what}: ${this.size} of ${expectedLength} bytes`));
		}
		await this.hashWriter.close();
		this.sha256 = toHex(await this.hasher.digest);
		if (expectedSha256.some((expected) => expected !== this.sha256)) {
			this.stop(failed(true, "SHA-256 of the download does not match Meta's"));
		}
		this.release(controller, this.held.length);
	}

	/** Passes on the first `count` held chunks. */
	private release(controller: TransformStreamDefaultController<Uint8Array>, count: number): void {
		for (const chunk of this.held.splice(0, count)) controller.enqueue(chunk);
	}

	private checkType(): void {
		this.typeChecked = true;
		const { declared, accepted } = this.rules;
		const refusal = typeRefusal(this.head.subarray(0, this.headLength), declared, accepted);
		if (refusal !== undefined) this.stop(refusal);
	}

	private stop(outcome: Refusal | Failure): never {
		this.stopped ??= outcome;
		throw new Error(outcome.detail);
	}
}

/** A final refusal: the resident must send another file. */
export function refuse(reason: Refusal["reason"], detail: string): Refusal {
	return { ok: false, reason, detail };
}

/** A failed transfer; `retryable` says whether trying again later may help. */
export function failed(
	retryable: boolean,
	detail: string,
	retryAfterMs?: number,
	unauthorized?: true,
): Failure {
	return {
		ok: false,
		reason: "failed",
		retryable,
		...(retryAfterMs === undefined ? {} : { retryAfterMs }),
		...(unauthorized ? { unauthorized } : {}),
		detail,
	};
}
