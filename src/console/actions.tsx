/**
 * What every console form does with the staff API's answer: success goes back to a page (303,
 * so a reload does not post again), a problem (a 409 when someone else got there first, a 422,
 * a 403) is shown as a page of its own, headlined by its kind, with a link to reload.
 *
 * @module
 */

import {
	type ApiCall,
	type ApiProblem,
	type ConsoleContext,
	callApi,
	pageProps,
	readApi,
} from "./context";
import { Layout, ProblemBox } from "./layout";

/** The form's text fields as strings (a file or a missing field: absent). */
export function texts(form: Record<string, unknown>, ...names: string[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const name of names) {
		const value = form[name];
		if (typeof value === "string" && value.trim() !== "") out[name] = value.trim();
	}
	return out;
}

/**
 * A form that sends the resident something carries a key made when the page was drawn: posted
 * twice (a double click, a resubmitted page) it reaches the API with the same
 * `Idempotency-Key`, and the resident gets it once.
 */
export function OnceKey(props: { value?: string | undefined }) {
	return <input type="hidden" name="once" value={props.value ?? crypto.randomUUID()} />;
}

/**
 * What was typed into a form whose action failed, to draw it again: the form's name, its text
 * fields (its once-key among them, so that posting it again is still the same action) and ticked
 * documents.
 */
export interface Kept {
	form: string;
	fields: Record<string, string>;
	documents?: string[];
	problem: ApiProblem;
}

/** The kept text of `field` when `form` is the one that failed. */
export function keptText(kept: Kept | undefined, form: string, field: string): string | undefined {
	return kept?.form === form ? kept.fields[field] : undefined;
}

/** The `Idempotency-Key` header of a form with a {@link OnceKey} (none without one). */
export function onceHeader(form: Record<string, unknown>): Record<string, string> {
	const key = form.once;
	return typeof key === "string" && /^[0-9a-f-]{36}$/.test(key) ? { "idempotency-key": key } : {};
}

/** Where an action goes back to, and how its page is titled in the navigation. */
export interface ActionPage {
	/** The console page to go back to (success adds `done`, the problem page links it). */
	back: string;
	/** Success's `done` query value: which notice the page shows (`1` unless said). */
	done?: string;
	/**
	 * Success's `done` value from the API's answer instead (e.g. `untold` when nobody could be
	 * told over WhatsApp yet), when the page says something of its own for it.
	 */
	doneOf?: (answer: unknown) => string;
	current: string;
	/**
	 * Draws the page the form was on again, with the problem above the form and what was typed
	 * kept; without it, a page with only the problem and a link back.
	 */
	again?: (problem: ApiProblem) => Response | Promise<Response>;
}

/** Performs one API action and answers the browser (see the module's comment). */
export async function act(
	c: ConsoleContext,
	method: string,
	apiPath: string,
	call: ApiCall,
	to: ActionPage,
) {
	const res = await callApi(c, method, apiPath, call);
	if (res.ok) {
		const answer = to.doneOf ? await res.json().catch(() => null) : null;
		const done = to.doneOf?.(answer) ?? to.done ?? "1";
		return c.redirect(`${to.back}${to.back.includes("?") ? "&" : "?"}done=${done}`, 303);
	}
	const read = await readApi<unknown>(res);
	if (read.ok) return c.redirect(to.back, 303);
	if (to.again) return to.again(read.problem);
	const page = pageProps(c);
	return c.html(
		<Layout {...page} title={page.words.error} current={to.current}>
			<ProblemBox words={page.words} problem={read.problem} reload={to.back} />
		</Layout>,
		read.problem.status,
	);
}

/**
 * A file the API streamed, passed on for the browser to show (image or PDF viewer) rather than
 * download: its disposition turned inline, never cached, never sniffed. A refusal stays bare.
 */
export function streamInline(res: Response): Response {
	if (!res.ok) return new Response(null, { status: res.status === 404 ? 404 : 403 });
	const headers = new Headers(res.headers);
	const disposition = headers.get("content-disposition");
	if (disposition !== null)
		headers.set("content-disposition", disposition.replace(/^attachment/, "inline"));
	headers.set("cache-control", "private, no-store");
	headers.set("x-content-type-options", "nosniff");
	return new Response(res.body, { status: 200, headers });
}
