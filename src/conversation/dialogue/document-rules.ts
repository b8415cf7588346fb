import type { Requirement } from "../../catalog/catalog";
import type { Turn } from "./turn";

/** The id prefix of the "Add a page" button; the document's code follows it. */
export const ADD_PAGE = "doc:more:";

/**
 * Which documents are asked, in the catalog's order: a substitute (an SPTJM for a missing birth
 * letter) only when the resident said they have not got the document it stands in for, and
 * never when that document came after all.
 */
export function isAsked(turn: Turn, requirement: Requirement): boolean {
	const main = requirement.substituteFor;
	if (main === undefined) return true;
	const missing = turn.state.draft?.missing ?? [];
	return missing.includes(main) && turn.filesFor(main) === 0;
}

/** The document another one may stand in for. */
export function substituteOf(turn: Turn, requirement: Requirement): Requirement | undefined {
	return turn.requirements().find((r) => r.substituteFor === requirement.code);
}

/** The documents asked of this draft, for "Dokumen 2/4" and the summary. */
export function askedRequirements(turn: Turn): Requirement[] {
	return turn.requirements().filter((r) => isAsked(turn, r));
}
