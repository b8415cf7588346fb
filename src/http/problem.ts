import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { log } from "../log";

/** One field that failed validation, as reported in a problem's `errors`. */
export interface FieldError {
	/** Dotted path of the field, e.g. `body.reason` or `query.limit`. */
	field: string;
	message: string;
}

/** RFC 9457 problem details, the only error shape this service answers with. */
export interface ProblemBody {
	type: string;
	title: string;
	status: number;
	detail?: string;
	errors?: FieldError[];
	[extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * An expected failure that the error handler turns into `application/problem+json`.
 * Throw it from any handler; never put personal data in `detail`.
 */
export class Problem extends Error {
	readonly status: ContentfulStatusCode;
	readonly slug: string;
	readonly title: string;
	readonly detail: string | undefined;
	readonly extensions: Record<string, unknown>;
	readonly headers: Record<string, string>;
	/** For the log only, never the answer (e.g. which setting is broken). */
	readonly internal: string | undefined;

	constructor(
		status: ContentfulStatusCode,
		slug: string,
		title: string,
		detail?: string,
		options: {
			extensions?: Record<string, unknown>;
			headers?: Record<string, string>;
			internal?: string;
		} = {},
	) {
		super(detail ?? title);
		this.name = "Problem";
		this.status = status;
		this.slug = slug;
		this.title = title;
		this.detail = detail;
		this.extensions = options.extensions ?? {};
		this.headers = options.headers ?? {};
		this.internal = options.internal;
	}

	toBody(): ProblemBody {
		return {
			type: problemType(this.slug),
			title: this.title,
			status: this.status,
			...(this.detail === undefined ? {} : { detail: this.detail }),
			...this.extensions,
		};
	}

	toResponse(): Response {
		return problemResponse(this.toBody(), this.headers);
	}
}

/** A stable URI for each kind of problem; clients branch on it, not on `title`. */
export function problemType(slug: string): string {
	return `urn:disdukcapil:problem:${slug}`;
}

export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status: body.status,
		headers: { "content-type": PROBLEM_CONTENT_TYPE, ...headers },
	});
}

/** 400 naming each failing field (`body.reason`, `query.limit`), as every validation error is. */
export function validationProblem(errors: FieldError[]): Problem {
	return new Problem(
		400,
		"validation",
		"Invalid request",
		errors.map((e) => `${e.field}: ${e.message}`).join("; "),
		{ extensions: { errors } },
	);
}

/** {@link validationProblem} for one field. */
export function fieldProblem(field: string, message: string): Problem {
	return validationProblem([{ field, message }]);
}

/** The app's answer for a path no route serves: a 404 problem naming the method and path. */
export const notFoundProblem: NotFoundHandler = (c) =>
	problemResponse({
		type: problemType("not-found"),
		title: "Not found",
		status: 404,
		detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`,
	});

/**
 * The app's error handler: a {@link Problem} answers as itself, Hono's `HTTPException` as a
 * problem of its status, and anything else as a logged 500.
 */
export const errorProblem: ErrorHandler = (error, c) => {
	if (error instanceof Problem) {
		if (error.status >= 500) {
			log.error("http.problem", { slug: error.slug, detail: error.internal ?? error.detail });
		}
		return error.toResponse();
	}
	if (error instanceof HTTPException) {
		return problemResponse({
			type: problemType("http"),
			title: error.message || "Request failed",
			status: error.status,
		});
	}
	// Unexpected: log the kind and where, never the request body (it may hold personal data).
	log.error("http.unhandled", {
		method: c.req.method,
		path: new URL(c.req.url).pathname,
		error: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
	});
	return problemResponse({
		type: problemType("internal"),
		title: "Internal error",
		status: 500,
		detail: "Something went wrong on our side; it has been logged.",
	});
};
