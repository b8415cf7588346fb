import { findService, type SubjectKind } from "../../catalog/catalog";
import type { Turn } from "./turn";

/** A person's name as typed: letters first, then letters, marks, spaces and . , ' - */
export const NAME = /^[\p{L}][\p{L}\p{M} .,'-]{1,79}$/u;

/** Whom the draft's service is about when it is not the applicant, if anyone. */
export function subjectKind(turn: Turn): SubjectKind | undefined {
	return findService(turn.catalog, turn.state.draft?.service)?.subject;
}

/** True when the draft's service asks about a subject that is not answered yet. */
export function subjectMissing(turn: Turn): boolean {
	const draft = turn.state.draft;
	const kind = subjectKind(turn);
	if (draft === null || kind === undefined) return false;
	return kind === "child_nik" || kind === "deceased_nik"
		? draft.subjectNik === undefined
		: draft.subjectText === undefined;
}

/** The summary's line about the subject, when the service has one. */
export function subjectLine(turn: Turn): { label: string; value: string }[] {
	const kind = subjectKind(turn);
	const draft = turn.state.draft;
	if (kind === undefined || draft === null) return [];
	const value =
		kind === "child_nik" || kind === "deceased_nik" ? draft.subjectNik : draft.subjectText;
	return [{ label: turn.t.subject.field[kind], value: value ?? "-" }];
}
