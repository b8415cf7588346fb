/**
 * How a draft ends without a ticket of its own here (discarded, or filed and closed): apart from
 * the lifecycle so that the operator's path can end one too without an import cycle.
 *
 * @module
 */

import type { Turn } from "./turn";

/** Ends the draft without submitting it; its files are deleted. */
export function discardDraft(turn: Turn): void {
	const draft = turn.state.draft;
	if (draft !== null) {
		const keys = draft.files.flatMap((f) => (f.key ? [f.key] : []));
		if (keys.length > 0 || draft.files.length > 0) {
			turn.emit({ kind: "discard_files", keys, requestId: draft.requestId });
		}
	}
	closeDraft(turn);
}

/**
 * Forgets the draft (submitted or discarded) and goes idle, or back to the corrections staff
 * asked for when they still wait (a draft expiring beside them): nothing else would return there.
 */
export function closeDraft(turn: Turn): void {
	turn.state.draft = null;
	turn.state.remindedAt = null;
	const revision = turn.state.revision;
	if (revision) {
		revision.resume = { name: "idle" };
		turn.state.phase = { name: "revision", index: 0 };
		return;
	}
	turn.state.phase = { name: "idle" };
}
