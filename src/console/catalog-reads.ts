/**
 * The catalog as the console's forms and filters offer it: the services (`GET /services`) and
 * the areas (`GET /areas`), read through the staff API like everything else. One place, so the
 * queue's filter and the filing form cannot disagree on which areas a member works in.
 *
 * @module
 */

import { servesArea } from "../staff/types";
import type { Area, ServiceStandard } from "./api-types";
import { type ApiProblem, type ConsoleContext, callApi, readApi } from "./context";

type Read<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

/** Every service, with its variants. */
export async function readServices(c: ConsoleContext): Promise<Read<ServiceStandard[]>> {
	const read = await readApi<{ services: ServiceStandard[] }>(await callApi(c, "GET", "/services"));
	return read.ok ? { ok: true, data: read.data.services } : read;
}

/** Every area (the API lists them all to every role: to name an area, not to offer it). */
export async function readAreas(c: ConsoleContext): Promise<Read<Area[]>> {
	const read = await readApi<{ areas: Area[] }>(await callApi(c, "GET", "/areas"));
	return read.ok ? { ok: true, data: read.data.areas } : read;
}

/**
 * The areas the signed-in member works in, to offer: all of them to admins and officers, a
 * kelurahan operator's own only (the API would show or file nothing in the others).
 */
export function workedIn(c: ConsoleContext, areas: Area[]): Area[] {
	const staff = c.get("staff");
	return areas.filter((area) => servesArea(staff, area.code));
}
