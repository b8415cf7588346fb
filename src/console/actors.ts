/**
 * Who did something, in words, for every screen that shows an actor (a request's history and
 * notes, a complaint's answers, a closed hand-off): the API records `staff:<id>`, `resident`,
 * `system` or `bootstrap-admin`, and staff read names.
 *
 * @module
 */

import type { Staff } from "./api-types";
import { type ConsoleContext, callApi, readApi } from "./context";
import { codeWord, type PageProps } from "./layout";

/** Staff members' names by id; only admins may read the staff list, so others get none. */
export async function staffNames(c: ConsoleContext): Promise<Map<string, string>> {
	if (c.get("staff").role !== "admin") return new Map();
	const read = await readApi<{ staff: Staff[] }>(await callApi(c, "GET", "/staff"));
	return new Map(read.ok ? read.data.staff.map((s) => [s.id, s.name]) : []);
}

/**
 * Who did something, in words: the resident, the system, the signed-in member themselves, or a
 * staff member by name when the page knows it (admins read the staff list), else "staff".
 */
export function actorWords(page: PageProps, actor: string, names: ReadonlyMap<string, string>) {
	const w = page.words;
	if (actor === "bootstrap-admin" || actor === "staff:bootstrap-admin") {
		return codeWord(w, "actor", "bootstrap-admin");
	}
	if (!actor.startsWith("staff:")) return codeWord(w, "actor", actor);
	const id = actor.slice("staff:".length);
	if (id === page.staff?.id) return `${page.staff.name} (${codeWord(w, "actor", "you")})`;
	return names.get(id) ?? codeWord(w, "actor", "staff");
}
