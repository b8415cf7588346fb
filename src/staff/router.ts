import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import { type FieldError, validationProblem } from "../http/problem";
import type { StaffEnv } from "./types";

/** How a validation target is called in error messages (clients think of the body, not "json"). */
const TARGET_NAMES: Record<string, string> = { json: "body", form: "body", param: "path" };

/**
 * Turns a failed zod validation into a 400 problem naming each field, e.g. `body.reason`.
 * Installed on every staff router so no handler ever sees unvalidated input.
 */
export const validationHook: Hook<unknown, StaffEnv, string, unknown> = (result) => {
	if (result.success) return;
	const where = TARGET_NAMES[result.target] ?? result.target;
	const errors: FieldError[] = result.error.issues.map((issue) => {
		const path = issue.path.map(String).join(".");
		const keys = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "";
		return {
			field: [where, path, keys].filter((part) => part !== "").join("."),
			message:
				issue.code === "unrecognized_keys"
					? `unknown field(s): ${issue.keys.join(", ")}`
					: issue.message,
		};
	});
	throw validationProblem(errors);
};

/** A sub-router of the staff API: every route declared with a schema, validated by the hook. */
export function createRouter(): OpenAPIHono<StaffEnv> {
	return new OpenAPIHono<StaffEnv>({ defaultHook: validationHook });
}
