/**
 * Where a console address leads back to: the page a form was posted from (a POST-only path has
 * no page of its own), and whether an address from a query is the console's own (no open
 * redirect). Used by the language switch and by signing in again after a session ended.
 *
 * @module
 */

import { CONSOLE } from "./layout";

/** POST-only paths and the page their form is on. */
const FORM_PAGES: [RegExp, (m: RegExpExecArray) => string][] = [
	[/^(\/console\/requests\/[^/]+)\/(?:transition|notes|message|pickup|result)$/, (m) => m[1] ?? ""],
	[/^(\/console\/complaints\/[^/]+)\/(?:reply|close)$/, (m) => m[1] ?? ""],
	[/^\/console\/complaint-settings$/, () => `${CONSOLE}/complaints`],
	[/^\/console\/handoffs\/[^/]+\/(?:reply|close)$/, () => `${CONSOLE}/handoffs`],
	[/^\/console\/staff\/[^/]+\/(?:rotate|revoke)$/, () => `${CONSOLE}/staff`],
	[/^\/console\/dead-letters\/[^/]+\/retry$/, () => `${CONSOLE}/dead-letters`],
	[/^(\/console\/file\/[^/]+)\/(?:documents\/[^/]+(?:\/remove)?|submit)$/, (m) => m[1] ?? ""],
	[/^\/console\/(?:search|sign-in|sign-out)$/, () => CONSOLE],
];

/** The page a form posted to `path` is on (the path itself when it has a page). */
export function formPage(path: string): string {
	for (const [pattern, page] of FORM_PAGES) {
		const m = pattern.exec(path);
		if (m !== null) return page(m);
	}
	return path;
}

/**
 * `path` (with its query) when it is an address of the console itself, else the queue: a
 * redirect to it never leaves the console.
 */
export function consoleAddress(path: string | undefined): string {
	return path !== undefined && /^\/console(?:\/[\w\-./%]*)?(?:\?[^#\\]*)?$/.test(path)
		? path
		: CONSOLE;
}
