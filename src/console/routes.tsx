/**
 * The staff console at `/console`: server-rendered pages (Hono JSX) over the staff API. Signing in
 * with a staff token opens a D1-backed session whose id travels only in an HttpOnly, Secure,
 * SameSite=Strict cookie; every form post is CSRF-checked (`hono/csrf`: same origin only); every
 * answer carries a strict Content-Security-Policy (`hono/secure-headers`: nothing inline, nothing
 * from elsewhere). Each page reads and acts through the API (context.ts), as the signed-in member.
 *
 * @module
 */

import { Hono, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { capBody } from "../http/body";
import { problemResponse, problemType } from "../http/problem";
import { audit } from "../requests/audit";
import { MAX_RESULT_BYTES } from "../staff/case-work/result-upload";
import { actorOf } from "../staff/types";
import { adminRoutes } from "./admin-routes";
import { complaintRoutes } from "./complaint-routes";
import consoleJs from "./console.client.js";
import consoleCss from "./console.css";
import { type ConsoleEnv, type Deliver, formOf, pageProps, wantsJson } from "./context";
import { consoleError, consoleNotFound, LANG_COOKIE } from "./error-pages";
import filingJs from "./filing.client.js";
import filingCss from "./filing.css";
import { capUpload, filingRoutes, UPLOAD_PATH } from "./filing-routes";
import { handoffRoutes } from "./handoff-routes";
import { langOf, wordsOf } from "./i18n";
import { CONSOLE, Layout, type PageProps } from "./layout";
import { operationsRoutes } from "./operations-routes";
import { consoleAddress, formPage } from "./paths";
import { queueRoutes } from "./queue-routes";
import { reportRoutes } from "./report-routes";
import { requestRoutes } from "./request-routes";
import { closeSession, openSession, sessionPrincipal } from "./sessions";
import { skmRoutes } from "./skm-routes";

/** The session cookie: `__Host-` pins it to this origin, path `/`, Secure, no Domain. */
export const SESSION_COOKIE = "__Host-console_session";

/** The console's Content-Security-Policy: this origin only, nothing inline, no framing. */
const CSP = {
	defaultSrc: ["'none'"],
	scriptSrc: ["'self'"],
	styleSrc: ["'self'"],
	imgSrc: ["'self'"],
	connectSrc: ["'self'"],
	formAction: ["'self'"],
	baseUri: ["'none'"],
	frameAncestors: ["'none'"],
};

const CSS = "text/css; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
/** The console's own files (bundled as text modules): its stylesheets and scripts. */
const ASSETS: Record<string, { body: string; type: string }> = {
	"console.css": { body: consoleCss, type: CSS },
	"console.js": { body: consoleJs, type: JS },
	"filing.css": { body: filingCss, type: CSS },
	"filing.js": { body: filingJs, type: JS },
};

/** Pages change with every action and may hold personal data: never cached, never referred. */
const noStore: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	await next();
	if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
};

/** Lets a signed-in member through; anyone else goes to the sign-in page. */
const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	const sessionId = getCookie(c, SESSION_COOKIE);
	const staff = sessionId === undefined ? null : await sessionPrincipal(c.env, sessionId);
	if (sessionId === undefined || staff === null) {
		if (sessionId !== undefined) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
		// The draft page's script uploads by PUT and reads JSON: a redirect to a page would look
		// like an answer to it, so it is told in words instead (and its page stays).
		if (wantsJson(c)) {
			const w = c.get("words");
			return problemResponse({
				type: problemType("session-ended"),
				title: w.sessionEnded,
				status: 401,
				detail: w.sessionEndedUpload,
			});
		}
		// Back to the page after signing in again: a form's page for a post (what was typed in
		// it is lost with the session, the page is not).
		const url = new URL(c.req.url);
		const next = c.req.method === "GET" ? `${url.pathname}${url.search}` : formPage(url.pathname);
		const query = next === CONSOLE ? "" : `?${new URLSearchParams({ next })}`;
		return c.redirect(`${CONSOLE}/sign-in${query}`, 303);
	}
	c.set("staff", staff);
	c.set("sessionId", sessionId);
	return next();
};

function SignInPage(props: PageProps & { failed: boolean; next: string }) {
	const w = props.words;
	return (
		<Layout {...props} title={w.signIn}>
			{props.failed && (
				<p class="problem" role="alert">
					{w.wrongToken}
				</p>
			)}
			<form method="post" action={`${CONSOLE}/sign-in`} class="card">
				<p>{w.signInHelp}</p>
				{props.next !== CONSOLE && <input type="hidden" name="next" value={props.next} />}
				<label>
					{w.token}
					<input
						type="password"
						name="token"
						autocomplete="off"
						required
						minlength={16}
						maxlength={200}
						data-testid="token"
					/>
				</label>
				<p>
					<button type="submit">{w.signIn}</button>
				</p>
			</form>
		</Layout>
	);
}

/**
 * Everything under `/console`. `deliver` is the app's own `fetch`: the pages call the staff API
 * through it, in-process.
 */
export function consoleRoutes(deliver: Deliver): Hono<ConsoleEnv> {
	const app = new Hono<ConsoleEnv>();
	app.use(
		"*",
		secureHeaders({
			contentSecurityPolicy: CSP,
			referrerPolicy: "no-referrer",
			crossOriginEmbedderPolicy: false,
		}),
	);
	app.use("*", async (c, next) => {
		const lang = langOf(getCookie(c, LANG_COOKIE));
		c.set("lang", lang);
		c.set("words", wordsOf(lang));
		c.set("deliver", deliver);
		await next();
	});
	// Same-origin form posts only (Origin, else Sec-Fetch-Site); the cookie's SameSite=Strict too.
	app.use("*", csrf());
	// A form is a few KiB; only the result PDF and a filed document are larger (the API caps
	// them again, a document at its own limit).
	app.use("*", async (c, next) => {
		if (c.req.method === "GET" || c.req.method === "HEAD") return next();
		if (UPLOAD_PATH.test(c.req.path)) return capUpload(c, next);
		const upload = c.req.path.endsWith("/result");
		return capBody(upload ? MAX_RESULT_BYTES + 64 * 1024 : 64 * 1024)(c, next);
	});
	app.use("*", noStore);

	app.get("/assets/:name", (c, next) => {
		const asset = ASSETS[c.req.param("name")];
		if (asset === undefined) return next();
		return c.body(asset.body, 200, {
			"content-type": asset.type,
			"cache-control": "public, max-age=3600",
		});
	});

	// The language is a preference, not a secret: a plain cookie, then back to the page.
	app.get("/lang/:lang{id|en}", (c) => {
		setCookie(c, LANG_COOKIE, c.req.param("lang"), {
			path: CONSOLE,
			sameSite: "Lax",
			secure: true,
			maxAge: 365 * 86400,
		});
		// Only a path of the console itself (no open redirect).
		return c.redirect(consoleAddress(c.req.query("back")), 303);
	});

	app.get("/sign-in", (c) =>
		c.html(
			<SignInPage {...pageProps(c)} failed={false} next={consoleAddress(c.req.query("next"))} />,
		),
	);

	app.post("/sign-in", async (c) => {
		const form = await formOf(c);
		const token = typeof form.token === "string" ? form.token.trim() : "";
		const next = consoleAddress(typeof form.next === "string" ? form.next : undefined);
		const session = token === "" ? null : await openSession(c.env, token);
		if (session === null) {
			return c.html(<SignInPage {...pageProps(c)} failed={true} next={next} />, 401);
		}
		setCookie(c, SESSION_COOKIE, session.sessionId, {
			path: "/",
			secure: true,
			httpOnly: true,
			sameSite: "Strict",
			expires: new Date(session.expiresAt),
		});
		await audit(c.env.DB, { actor: actorOf(session.principal), action: "console.sign_in" });
		return c.redirect(next, 303);
	});

	app.use("*", requireSession);

	app.post("/sign-out", async (c) => {
		await closeSession(c.env, c.get("sessionId"));
		deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
		await audit(c.env.DB, { actor: actorOf(c.get("staff")), action: "console.sign_out" });
		return c.redirect(`${CONSOLE}/sign-in`, 303);
	});

	app.route("/", queueRoutes);
	app.route("/", requestRoutes);
	app.route("/", adminRoutes);
	app.route("/", operationsRoutes);
	app.route("/", reportRoutes);
	app.route("/", complaintRoutes);
	app.route("/", handoffRoutes);
	app.route("/", skmRoutes);
	app.route("/", filingRoutes);
	// A sub-app's notFound is not used once mounted: the last route is the console's 404 page.
	app.all("*", consoleNotFound);
	app.onError(consoleError);
	return app;
}
