/**
 * In-process calls to the staff API on behalf of an already authenticated staff member: the
 * console (src/console/) signs staff in with a session cookie and then performs every read and
 * action through the API itself, so that roles, scoping, conflicts and audit stay the API's.
 *
 * The principal travels with the `Request` object in a WeakMap: only code inside the Worker can
 * put a request there, so nothing that arrives over the network can claim an identity this way.
 *
 * @module
 */

import type { StaffPrincipal } from "./types";

const delegated = new WeakMap<Request, StaffPrincipal>();

/** Marks `request` (built by the caller, never one from the network) as made by `principal`. */
export function delegate(request: Request, principal: StaffPrincipal): Request {
	delegated.set(request, principal);
	return request;
}

/** The principal a request was delegated for, if any. */
export function delegatedPrincipal(request: Request): StaffPrincipal | undefined {
	return delegated.get(request);
}
