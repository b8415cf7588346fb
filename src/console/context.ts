/**
 * The console's Hono environment and its one door into the staff API: every read and action of a
 * page is a request to `/api/v1/...` made in-process under the signed-in member's identity
 * (src/staff/delegation.ts), so the console holds no business rule of its own.
 *
 * @module
 */

import type { Context, Env as HonoEnv, ExecutionContext as HonoExecutionContext } from "hono";
import type { BodyData, ParseBodyOptions } from "hono/utils/body";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { settingsOf } from "../env";
import { Problem } from "../http/problem";
import { delegate } from "../staff/delegation";
import type { StaffPrincipal } from "../staff/types";
import type { Lang, Words } from "./i18n";
import type { PageProps } from "./layout";
import { formPage } from "./paths";

/** Hands a request to the whole app in-process (the staff API's routes and middleware). */
export type Deliver = (
	request: Request,
	env: Env,
	ctx: HonoExecutionContext | undefined,
) => Response | Promise<Response>;

/** Hono's environment of the console's routes. */
export interface ConsoleEnv extends HonoEnv {
	Bindings: Env;
	Variables: {
		lang: Lang;
		words: Words;
		/** Set once the session cookie checked out. */
		staff: StaffPrincipal;
		/** The session id from the cookie (for signing out). */
		sessionId: string;
		deliver: Deliver;
	};
}

export type ConsoleContext = Context<ConsoleEnv>;

/** What an API call may carry: a JSON body, or a raw body with its headers. */
export interface ApiCall {
	json?: unknown;
	body?: BodyInit;
	headers?: Record<string, string>;
}

/** The execution context, when the runtime gave one (tests calling the app directly may not). */
function executionContextOf(c: ConsoleContext): HonoExecutionContext | undefined {
	try {
		return c.executionCtx;
	} catch {
		return undefined;
	}
}

/**
 * Calls the staff API as the signed-in member: `path` is below `/api/v1` (`/requests?status=...`).
 */
export async function callApi(
	c: ConsoleContext,
	method: string,
	path: string,
	call: ApiCall = {},
): Promise<Response> {
	const headers = new Headers(call.headers);
	let body = call.body;
	if (call.json !== undefined) {
		headers.set("content-type", "application/json");
		body = JSON.stringify(call.json);
	}
	const url = new URL(`/api/v1${path}`, c.req.url);
	const request = delegate(
		new Request(url, { method, headers, ...(body === undefined ? {} : { body }) }),
		c.get("staff"),
	);
	return c.get("deliver")(request, c.env, executionContextOf(c));
}

/**
 * The posted form's fields. A body that cannot be read as the form it says it is (a multipart
 * body without its boundary or parts) is the sender's mistake: 400, shown as the console's page.
 */
export async function formOf<O extends Partial<ParseBodyOptions>>(
	c: ConsoleContext,
	options?: O,
): Promise<BodyData<O>> {
	try {
		return await c.req.parseBody<O, BodyData<O>>(options);
	} catch (error) {
		if (error instanceof Problem) throw error;
		throw new Problem(
			400,
			"bad-form",
			"Form not readable",
			"The form's body could not be read; send it again from its page.",
		);
	}
}

/** The problem an API call answered with, as a page shows it. */
export interface ApiProblem {
	status: ContentfulStatusCode;
	/** Its kind: the slug of the API's `type` (`conflict`, `window-closed`), "" when none. */
	slug?: string;
	title: string;
	detail: string;
	/** The fields a 400 (or a 422's documents) named, as the API wrote them. */
	fields?: { field: string; message: string }[];
}

const PROBLEM_TYPE = /^urn:disdukcapil:problem:([\w-]+)$/;

/** Reads an API answer: the JSON body when it succeeded, else its problem. */
export async function readApi<T>(
	res: Response,
): Promise<{ ok: true; data: T } | { ok: false; problem: ApiProblem }> {
	if (res.ok) return { ok: true, data: await res.json<T>() };
	const body = await res
		.json<{
			type?: string;
			title?: string;
			detail?: string;
			errors?: { field: string; message: string }[];
		}>()
		.catch(() => ({}) as { type?: undefined; title?: string; detail?: string; errors?: undefined });
	const fields = (body.errors ?? []).map((e) => `${e.field}: ${e.message}`).join("; ");
	return {
		ok: false,
		problem: {
			status: res.status as ContentfulStatusCode,
			slug: PROBLEM_TYPE.exec(body.type ?? "")?.[1] ?? "",
			title: body.title ?? `HTTP ${res.status}`,
			detail: fields !== "" ? fields : (body.detail ?? ""),
			...(body.errors === undefined ? {} : { fields: body.errors }),
		},
	};
}

/**
 * Whether the caller reads JSON rather than pages: the draft page's upload script (a PUT, with
 * `Accept: application/json`).
 */
export function wantsJson(c: ConsoleContext): boolean {
	return c.req.method === "PUT" || (c.req.header("accept") ?? "").includes("application/json");
}

/** The props every page needs, from the context. */
export function pageProps(c: ConsoleContext): PageProps {
	return {
		words: c.get("words"),
		lang: c.get("lang"),
		staff: c.var.staff,
		// A page that answered a POST has no address of its own: the form's page stands for it.
		// A GET keeps its query (the queue's filters), so that switching language keeps them too.
		path:
			c.req.method === "GET" ? `${c.req.path}${new URL(c.req.url).search}` : formPage(c.req.path),
		tz: settingsOf(c.env).get("OFFICE_TIME_ZONE"),
	};
}
