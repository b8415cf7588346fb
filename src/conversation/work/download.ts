/** A resident's file moved into storage: the download's I/O, ending in the dialogue's event. */
import type { DialogueEvent, DownloadJob } from "../dialogue";
import { storeMedia } from "../media-store";
import type { JobFailure } from "../store/jobs";
import type { Work } from "./context";

/**
 * Moves the file into storage (idempotent: its key is fixed by the message, and a file already
 * stored whole is found, not fetched again) and returns what the dialogue hears: stored or
 * refused; or, when the channel or storage failed, the failure, for the caller to retry.
 */
export async function downloadOutcome(
	work: Work,
	download: DownloadJob,
): Promise<{ event: DialogueEvent } | { failure: JobFailure }> {
	const outcome = await storeMedia(work.channel(), work.files, download);
	const { messageId } = download;
	if (outcome.ok) {
		return {
			event: {
				type: "media_stored",
				messageId,
				key: outcome.key,
				size: outcome.size,
				mimeType: outcome.mimeType,
				sha256: outcome.sha256,
				...(outcome.fileName ? { fileName: outcome.fileName } : {}),
			},
		};
	}
	if (outcome.reason !== "failed") {
		return { event: { type: "media_refused", messageId, reason: outcome.reason } };
	}
	return { failure: outcome };
}
