/**
 * The sandbox's state, kept in the app's own R2 bucket under `sandbox/` (no new binding or table,
 * and it survives across requests and restarts of `wrangler dev`):
 *
 * - `sandbox/chat/<phone>/<ms, 15 digits>-<seq, 6 digits>-<wamid>.json`: every message of one
 *   simulated chat, both ways, in order (the fake Graph API's outbox and the simulator's sends);
 * - `sandbox/read/<phone>/<wamid>`: resident messages the product marked as read;
 * - `sandbox/media/<id>`: media uploaded through the simulator or by the product, with its
 *   content type (httpMetadata) and hex SHA-256 (customMetadata), as Meta keeps them.
 */

import { toHex } from "../crypto";

const CHAT = "sandbox/chat/";
const READ = "sandbox/read/";
const MEDIA = "sandbox/media/";
const TMP = "sandbox/tmp/";

/** R2 multipart parts must be at least 5 MiB (except the last): the most an upload holds at once. */
const PART_BYTES = 5 * 1024 * 1024;

type Json = Record<string, unknown>;

/** One message of a simulated chat, as stored. */
export interface ChatRecord {
	/** The message's wamid. */
	id: string;
	/** `in`: the resident sent it (a webhook); `out`: the product sent it (a Graph API call). */
	direction: "in" | "out";
	/** Milliseconds since the epoch. */
	at: number;
	/** For `in`: the `messages[]` object of the webhook; for `out`: the body posted to Graph. */
	payload: Json;
}

/** A chat record with its position, for polling. */
export interface ChatEntry extends ChatRecord {
	cursor: string;
}

let sequence = 0;

/** Appends a message to `phone`'s chat; resolves to its cursor. */
export async function appendChat(
	bucket: R2Bucket,
	phone: string,
	record: ChatRecord,
): Promise<string> {
	sequence = (sequence + 1) % 1_000_000;
	const cursor = `${String(record.at).padStart(15, "0")}-${String(sequence).padStart(6, "0")}-${record.id}.json`;
	await bucket.put(`${CHAT}${phone}/${cursor}`, JSON.stringify(record), {
		httpMetadata: { contentType: "application/json" },
	});
	return cursor;
}

/** Removes one message from `phone`'s chat (a send the webhook refused never reached the bot). */
export async function removeChat(bucket: R2Bucket, phone: string, cursor: string): Promise<void> {
	await bucket.delete(`${CHAT}${phone}/${cursor}`);
}

/** Messages of `phone`'s chat after `cursor` (all of them without one), oldest first. */
export async function readChat(
	bucket: R2Bucket,
	phone: string,
	after: string | undefined,
	limit = 200,
): Promise<ChatEntry[]> {
	const prefix = `${CHAT}${phone}/`;
	const listed = await bucket.list({
		prefix,
		limit,
		...(after ? { startAfter: `${prefix}${after}` } : {}),
	});
	const entries = await Promise.all(
		listed.objects.map(async (object) => {
			const body = await bucket.get(object.key);
			if (body === null) return undefined;
			const record = await body.json<ChatRecord>();
			return { ...record, cursor: object.key.slice(prefix.length) };
		}),
	);
	return entries.filter((entry) => entry !== undefined);
}

/** Remembers that the product marked `messageId` (sent by `phone`) as read. */
export async function markRead(bucket: R2Bucket, phone: string, messageId: string): Promise<void> {
	await bucket.put(`${READ}${phone}/${messageId}`, "");
}

/** Ids of `phone`'s messages the product marked as read. */
export async function readIds(bucket: R2Bucket, phone: string): Promise<string[]> {
	const prefix = `${READ}${phone}/`;
	const ids: string[] = [];
	let cursor: string | undefined;
	do {
		const listed = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
		for (const object of listed.objects) ids.push(object.key.slice(prefix.length));
		cursor = listed.truncated ? listed.cursor : undefined;
	} while (cursor);
	return ids;
}

/** What the sandbox knows of a stored media object. */
export interface MediaInfo {
	id: string;
	mimeType: string;
	size: number;
	sha256Hex: string;
	sha256Base64: string;
	fileName?: string;
}

/** Thrown when an upload passes its size limit or is empty. */
export class MediaSizeError extends Error {}

function hexToBase64(hex: string): string {
	let binary = "";
	for (let i = 0; i < hex.length; i += 2) {
		binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
	}
	return btoa(binary);
}

function infoOf(object: R2Object, id: string): MediaInfo | undefined {
	const sha256Hex = object.customMetadata?.sha256;
	if (sha256Hex === undefined) return undefined;
	const fileName = object.customMetadata?.fileName;
	return {
		id,
		mimeType: object.httpMetadata?.contentType ?? "application/octet-stream",
		size: object.size,
		sha256Hex,
		sha256Base64: hexToBase64(sha256Hex),
		...(fileName ? { fileName } : {}),
	};
}

/**
 * Stores a media stream of any length under `sandbox/media/<id>`, hashing it on the way and
 * holding at most one 5 MiB part in memory. The hash is known only at the end, and R2 metadata
 * cannot be changed afterwards, so the bytes go to `sandbox/tmp/` first and are then streamed
 * into their final object (R2 checks them against the hash on that second write).
 */
export async function storeMedia(
	bucket: R2Bucket,
	id: string,
	body: ReadableStream<Uint8Array>,
	options: { mimeType: string; fileName?: string; maxBytes: number },
): Promise<MediaInfo> {
	const tmpKey = `${TMP}${id}`;
	const hasher = new crypto.DigestStream("SHA-256");
	const digest = hasher.getWriter();
	let size = 0;
	const upload = await bucket.createMultipartUpload(tmpKey);
	try {
		const parts: R2UploadedPart[] = [];
		let part = new Uint8Array(PART_BYTES);
		let filled = 0;
		const reader = body.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > options.maxBytes) {
				await reader.cancel().catch(() => undefined);
				throw new MediaSizeError(`the file is larger than ${options.maxBytes} bytes`);
			}
			await digest.write(value);
			for (let offset = 0; offset < value.byteLength; ) {
				const n = Math.min(PART_BYTES - filled, value.byteLength - offset);
				part.set(value.subarray(offset, offset + n), filled);
				filled += n;
				offset += n;
				if (filled === PART_BYTES) {
					parts.push(await upload.uploadPart(parts.length + 1, part));
					part = new Uint8Array(PART_BYTES);
					filled = 0;
				}
			}
		}
		if (size === 0) throw new MediaSizeError("the file is empty");
		if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, part.slice(0, filled)));
		await upload.complete(parts);
	} catch (error) {
		await upload.abort().catch(() => undefined);
		await digest.abort(error).catch(() => undefined);
		throw error;
	}
	await digest.close();
	const sha256Hex = toHex(await hasher.digest);

	const staged = await bucket.get(tmpKey);
	if (staged === null) throw new Error("staged media vanished");
	const stored = await bucket.put(`${MEDIA}${id}`, staged.body, {
		httpMetadata: { contentType: options.mimeType },
		customMetadata: {
			sha256: sha256Hex,
			...(options.fileName ? { fileName: options.fileName } : {}),
		},
		sha256: sha256Hex,
	});
	await bucket.delete(tmpKey);
	if (stored === null) throw new Error("R2 did not store the media");
	return {
		id,
		mimeType: options.mimeType,
		size,
		sha256Hex,
		sha256Base64: hexToBase64(sha256Hex),
		...(options.fileName ? { fileName: options.fileName } : {}),
	};
}

/** A stored media's description, or undefined when there is no such media. */
export async function mediaInfo(bucket: R2Bucket, id: string): Promise<MediaInfo | undefined> {
	const object = await bucket.head(`${MEDIA}${id}`);
	return object === null ? undefined : infoOf(object, id);
}

/** A stored media with its body (a stream: hand it on, never read it whole). */
export async function mediaBody(
	bucket: R2Bucket,
	id: string,
): Promise<{ info: MediaInfo; body: ReadableStream } | undefined> {
	const object = await bucket.get(`${MEDIA}${id}`);
	if (object === null) return undefined;
	const info = infoOf(object, id);
	if (info === undefined) {
		await object.body.cancel();
		return undefined;
	}
	return { info, body: object.body };
}

/** Deletes a stored media; false when there was none. */
export async function deleteMedia(bucket: R2Bucket, id: string): Promise<boolean> {
	const key = `${MEDIA}${id}`;
	if ((await bucket.head(key)) === null) return false;
	await bucket.delete(key);
	return true;
}
