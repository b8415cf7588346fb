/**
 * The staff API's shared types: who is calling and Hono's environment for the staff routers.
 * Kept apart from the middleware and the routers so that neither imports the other.
 *
 * @module
 */

import type { RouteConfig, RouteHandler } from "@hono/zod-openapi";
import type { Env as HonoEnv } from "hono";
import { BOOTSTRAP_ACTOR } from "../requests/audit";

export const STAFF_ROLES = ["admin", "officer", "kelurahan"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Whoever called the staff API, as far as authorization cares. */
export interface StaffPrincipal {
	/** `bootstrap-admin` for the bootstrap token, else the staff row's id. */
	id: string;
	name: string;
	role: StaffRole;
	/** The home area of a kelurahan operator; null for other roles. */
	kelurahan: string | null;
	/**
	 * Every area (kelurahan/desa code) a kelurahan operator serves, a kecamatan of theirs expanded
	 * to its areas; empty for other roles (they are not confined to areas).
	 */
	areas: string[];
}

/** Whether `staff` may work on a request of this area: any area but for a kelurahan operator. */
export function servesArea(staff: StaffPrincipal, areaCode: string): boolean {
	return staff.role !== "kelurahan" || staff.areas.includes(areaCode);
}

/** Hono's environment for the staff API: who is calling, once authenticated. */
export interface StaffEnv extends HonoEnv {
	Bindings: Env;
	Variables: { staff: StaffPrincipal };
}

/** The handler of one OpenAPI route of the staff API, typed by the route's schemas. */
export type StaffHandler<R extends RouteConfig> = RouteHandler<R, StaffEnv>;

/** The principal id (and audit actor) of whoever uses the bootstrap `ADMIN_TOKEN`. */
export const BOOTSTRAP_ADMIN_ID = BOOTSTRAP_ACTOR;

/** The audit actor string for a principal: `bootstrap-admin`, else `staff:<id>`. */
export function actorOf(staff: StaffPrincipal): string {
	return staff.id === BOOTSTRAP_ADMIN_ID ? BOOTSTRAP_ADMIN_ID : `staff:${staff.id}`;
}
