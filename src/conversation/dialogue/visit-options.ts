import { findService } from "../../catalog/catalog";
import { VISIT_REASONS } from "../texts/visit";
import { fitTitle, type Option } from "./choices";
import type { Turn } from "./turn";

/** The question of a home visit the draft has no answer to yet, in the order they are asked. */
export type VisitStep = "reason" | "address" | "contact";

/** The ids of the reason list's rows. */
const REASON_PREFIX = "visit:";

/** True when the draft's service is a home visit (the catalog's `services.home_visit`). */
export function isHomeVisit(turn: Turn): boolean {
	return findService(turn.catalog, turn.state.draft?.service)?.homeVisit === true;
}

/** The first home-visit question not answered yet; undefined when none is (or no visit). */
export function visitStepMissing(turn: Turn): VisitStep | undefined {
	if (!isHomeVisit(turn)) return undefined;
	const visit = turn.state.draft?.visit ?? {};
	if (visit.reason === undefined) return "reason";
	if (visit.address === undefined) return "address";
	if (visit.contact === undefined) return "contact";
	return undefined;
}

/** Who needs the visit and why, as list rows. */
export function visitReasonOptions(turn: Turn): Option[] {
	return VISIT_REASONS.map((code) => ({
		id: `${REASON_PREFIX}${code}`,
		title: fitTitle(turn.t.visit.reason[code]),
	}));
}

/** The reason code of a picked row. */
export function reasonOf(option: Option): string {
	return option.id.slice(REASON_PREFIX.length);
}

/** The summary's lines of a home visit, when the service is one. */
export function visitLines(turn: Turn): { label: string; value: string }[] {
	if (!isHomeVisit(turn)) return [];
	const visit = turn.state.draft?.visit ?? {};
	const v = turn.t.visit;
	const reason = VISIT_REASONS.find((code) => code === visit.reason);
	return [
		{ label: v.field.reason, value: reason ? v.reason[reason] : "-" },
		{ label: v.field.address, value: visit.address ?? "-" },
		{ label: v.field.contact, value: visit.contact ?? "-" },
	];
}
