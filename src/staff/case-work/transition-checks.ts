/**
 * What a transition asks of its body beyond the schema, and how a refused one is answered.
 *
 * @module
 */

import { fieldProblem, Problem } from "../../http/problem";
import { requirementCodes } from "../../requests/details";
import type { RequestRecord } from "../../requests/record";
import { type RequestStatus, requiresReason } from "../../requests/statuses";
import type { TransitionOutcome } from "../../requests/transitions";

/**
 * Checks a transition's body against the target status and the request's service: a reason
 * where the status needs one, and for needs_revision the documents, each one the service asks for.
 *
 * @throws Problem 400 naming the field.
 */
export async function checkTransitionBody(
	db: D1Database,
	record: RequestRecord,
	body: { to: RequestStatus; reason?: string | undefined; documents?: string[] | undefined },
): Promise<void> {
	if (requiresReason(body.to) && body.reason === undefined) {
		throw fieldProblem("body.reason", `required when moving to ${body.to}`);
	}
	if (body.to === "needs_revision") {
		if (body.documents === undefined)
			throw fieldProblem("body.documents", "required when moving to needs_revision");
		const known = await requirementCodes(db, record.service_code, record.variant_code);
		const unknown = body.documents.filter((code) => !known.includes(code));
		if (unknown.length > 0) {
			throw fieldProblem(
				"body.documents",
				`not documents of this service: ${unknown.join(", ")} (known: ${known.join(", ")})`,
			);
		}
	} else if (body.documents !== undefined) {
		throw fieldProblem("body.documents", "only for needs_revision");
	}
}

/** The problem answering a refused transition: 404, or 409 for a move not allowed or a race. */
export function refusedTransition(
	outcome: Extract<TransitionOutcome, { ok: false }>,
	to: RequestStatus,
): Problem {
	if (outcome.problem === "not_found")
		return new Problem(404, "not-found", "Not found", "No such request.");
	if (outcome.problem === "illegal") {
		return new Problem(
			409,
			"illegal-transition",
			"Move not allowed",
			`A request in ${outcome.from} cannot move to ${to}.`,
			{
				extensions: { from: outcome.from, to },
			},
		);
	}
	return new Problem(
		409,
		"conflict",
		"Changed meanwhile",
		"The request changed since you loaded it; reload and try again.",
		{
			extensions: { from: outcome.from },
		},
	);
}
