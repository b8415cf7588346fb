/**
 * The console's own answers for what no page handled: an error thrown on the way (a body over
 * its cap, a bug) and an address that does not exist, as pages in the staff's language with a
 * way back. The page's upload script reads JSON, so a JSON caller still gets problem+json.
 *
 * @module
 */

import type { ErrorHandler, NotFoundHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorProblem, type ProblemBody } from "../http/problem";
import {
	type ApiProblem,
	type ConsoleContext,
	type ConsoleEnv,
	pageProps,
	wantsJson,
} from "./context";
import { langOf, wordsOf } from "./i18n";
import { Layout, ProblemBox } from "./layout";
import { formPage } from "./paths";

/** The language cookie's name (routes.tsx sets it). */
export const LANG_COOKIE = "console_lang";

function errorPage(c: ConsoleContext, problem: ApiProblem) {
	// An error before the console's first middleware has no words set yet.
	if (c.var.words === undefined) {
		const lang = langOf(getCookie(c, LANG_COOKIE));
		c.set("lang", lang);
		c.set("words", wordsOf(lang));
	}
	const page = pageProps(c);
	// Back to the page the form was on (through sign-in when there is no session yet).
	const back = formPage(c.req.path);
	return c.html(
		<Layout {...page} title={page.words.error}>
			<ProblemBox words={page.words} problem={problem} />
			<p>
				<a href={back}>{page.words.back}</a>
			</p>
		</Layout>,
		problem.status,
	);
}

/**
 * Anything thrown below `/console`: logged and answered as the app's error handler does (its
 * problem for a JSON caller), or as a page with that problem's headline.
 */
export const consoleError: ErrorHandler<ConsoleEnv> = async (error, c) => {
	const res = await errorProblem(error, c);
	if (wantsJson(c)) return res;
	const body = await res.json<ProblemBody>();
	return errorPage(c, {
		status: body.status as ContentfulStatusCode,
		slug: /([\w-]+)$/.exec(body.type)?.[1] ?? "",
		title: body.title,
		detail: body.detail ?? "",
	});
};

/** An address below `/console` that no page serves. */
export const consoleNotFound: NotFoundHandler<ConsoleEnv> = (c) =>
	errorPage(c, { status: 404, slug: "not-found", title: "Not found", detail: "" });
