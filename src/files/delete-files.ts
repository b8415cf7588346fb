/** R2 deletes take at most this many keys per call. */
const DELETE_BATCH = 1000;

/**
 * Deletes `keys` and everything under `prefixes` from the bucket (residents' files on a cancelled
 * draft or at the end of retention); returns how many keys were deleted. Deleting a missing key
 * is harmless, so a repeat after a crash is safe.
 */
export async function deleteFiles(
	bucket: R2Bucket,
	{ keys = [], prefixes = [] }: { keys?: string[]; prefixes?: string[] },
): Promise<number> {
	const all = new Set(keys);
	for (const prefix of prefixes) {
		let cursor: string | undefined;
		do {
			const listed = await bucket.list({ prefix, ...(cursor ? { cursor } : {}) });
			for (const object of listed.objects) all.add(object.key);
			cursor = listed.truncated ? listed.cursor : undefined;
		} while (cursor);
	}
	const list = [...all];
	for (let i = 0; i < list.length; i += DELETE_BATCH) {
		await bucket.delete(list.slice(i, i + DELETE_BATCH));
	}
	return list.length;
}

/**
 * Deletes every file of a request: the attachments D1 still lists and anything under the
 * request's prefixes (resent documents, the result PDF). Returns how many keys were deleted.
 */
export async function deleteRequestFiles(
	bucket: R2Bucket,
	requestId: string,
	attachmentKeys: string[],
): Promise<number> {
	return deleteFiles(bucket, {
		keys: attachmentKeys,
		prefixes: [`requests/${requestId}/`, `results/${requestId}/`],
	});
}
