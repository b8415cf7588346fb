/**
 * The staff's queue of requests: filtered, searched and keyset-paginated, newest first.
 *
 * Every statement is fixed text with bound parameters: the WHERE of {@link listRequests} is put
 * together from a fixed list of conditions, never from input.
 *
 * @module
 */

import { dayNumber, fromDayNumber } from "../standards/iso-date";
import { type Cursor, encodeCursor } from "./cursor";
import { normalizePhone } from "./phone";
import type { RequestStatus } from "./statuses";
import { parseTicket } from "./tickets";

/** Most rows one page of {@link listRequests} holds. */
export const MAX_PAGE_SIZE = 100;
/** Rows in a page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 20;

/** Which kind of search a list runs; only this is audited for a NIK, phone or name. */
export type SearchKind = "ticket" | "nik" | "phone" | "name";

/** Filters of the staff's request list. Times are epoch milliseconds of `created_at`. */
export interface RequestFilters {
	status?: RequestStatus;
	/** A service code (`services.code`). */
	service?: string;
	/** An area code (`areas.code`), such as "16.74.01.1001". */
	kelurahan?: string;
	/** Created at or after this instant. */
	from?: number;
	/** Created before this instant (exclusive, so consecutive ranges do not overlap). */
	to?: number;
	/** One exact column or a name prefix (see {@link classifySearch}); none lists everything. */
	search?: Search | null;
	/** Page size, 1 to {@link MAX_PAGE_SIZE}. */
	limit: number;
	/** Where the previous page ended (its `nextCursor`, decoded). */
	cursor?: Cursor;
	/** The areas a kelurahan operator is confined to, whatever else they ask. */
	scopeAreas?: string[] | null;
	/**
	 * Only open requests past their due date: the office-local date of today (`YYYY-MM-DD`).
	 * A request in needs_revision is not late: its clock stopped.
	 */
	overdueOn?: string;
	/** Due before this office-local date (exclusive). */
	dueBefore?: string;
	/** `created` (default): newest first; `due`: earliest due date first, none last. */
	sort?: "created" | "due";
}

/** One request in the staff's list. */
export interface RequestSummary {
	id: string;
	ticket: string;
	status: RequestStatus;
	service: string;
	variant: string;
	kelurahan: { code: string; name: string };
	residentName: string;
	createdAt: number;
	updatedAt: number;
	/** Office-local dates; null for requests filed before service standards. */
	queueDate: string | null;
	dueDate: string | null;
	channel: "whatsapp" | "kelurahan";
}

/** Whose WhatsApp chat a listed request came from; null for one filed without a chat. */
export type ListedChat = { businessId: string; residentId: string } | null;

/** One page of {@link listRequests}. */
export interface RequestPage {
	items: RequestSummary[];
	/** Each item's chat, in the items' order (never in an answer: the ids are personal). */
	chats: ListedChat[];
	/** Pass back as `cursor` for the next page; null on the last page. */
	nextCursor: string | null;
}

// ---- search text ------------------------------------------------------------------------------

/** How a search text is matched: one exact column, or a name prefix. */
export interface Search {
	kind: SearchKind;
	/** The value to bind: canonical ticket, 16 digits, normalized phone, or a LIKE pattern. */
	value: string;
}

const NIK_SEPARATORS = /[\s.-]/g;

/** A NIK as staff may type it (16 digits, spaces, dots or dashes between): the 16 digits, or null. */
export function nikSearchText(text: string): string | null {
	const compact = text.trim().replace(NIK_SEPARATORS, "");
	return /^[0-9]{16}$/.test(compact) ? compact : null;
}

/**
 * Reads a staff search text, so that it is matched through an index rather than a full scan:
 * a ticket code exactly; 16 digits (separators allowed) as a NIK; a phone number (mostly digits,
 * as `normalizePhone` accepts it) exactly as stored; anything else as the start of the resident's
 * name, case-insensitive, with `%` and `_` taken literally.
 *
 * @returns null for a blank text (no search).
 */
export function classifySearch(q: string): Search | null {
	const text = q.trim();
	if (text === "") return null;
	const ticket = parseTicket(text);
	if (ticket !== null) return { kind: "ticket", value: ticket };
	const nik = nikSearchText(text);
	if (nik !== null) return { kind: "nik", value: nik };
	const phone = normalizePhone(text);
	const digits = text.replace(/[^0-9]/g, "").length;
	if (phone !== null && digits * 2 > text.replace(/\s/g, "").length) {
		return { kind: "phone", value: phone };
	}
	return { kind: "name", value: `${text.replace(/[\\%_]/g, "\\$&")}%` };
}

// ---- the list ---------------------------------------------------------------------------------

/** Where a request without a due date sorts in `sort=due`: after every real one. */
const NO_DUE_DATE = "9999-12-31";

/**
 * The filter conditions the list may use, as fixed text, each in two forms. The second puts `+`
 * before the column, which keeps SQLite from using an index for it: when there is a search, its
 * (far more selective) index must drive the query, not the index that matches the ORDER BY.
 */
const FILTERS = {
	status: ["r.status = ?", "+r.status = ?"],
	service: ["r.service_code = ?", "+r.service_code = ?"],
	kelurahan: ["r.area_code = ?", "+r.area_code = ?"],
	scopeAreas: [
		"r.area_code IN (SELECT value FROM json_each(?))",
		"+r.area_code IN (SELECT value FROM json_each(?))",
	],
	from: ["r.created_at >= ?", "+r.created_at >= ?"],
	to: ["r.created_at < ?", "+r.created_at < ?"],
	cursor: ["(r.created_at, r.id) < (?, ?)", "(+r.created_at, +r.id) < (?, ?)"],
	overdueOn: [
		`r.due_date < ? AND r.status IN ('submitted', 'in_review', 'processing')`,
		`+r.due_date < ? AND +r.status IN ('submitted', 'in_review', 'processing')`,
	],
	dueBefore: ["r.due_date < ?", "+r.due_date < ?"],
	dueCursor: [
		`(coalesce(r.due_date, '${NO_DUE_DATE}'), r.id) > (?, ?)`,
		`(coalesce(+r.due_date, '${NO_DUE_DATE}'), +r.id) > (?, ?)`,
	],
} as const;

const ORDERS = {
	created: "r.created_at DESC, r.id DESC",
	due: `coalesce(r.due_date, '${NO_DUE_DATE}'), r.id`,
} as const;

/** The search conditions, one per {@link SearchKind}, each matched through its own index. */
const SEARCHES: Record<SearchKind, string> = {
	ticket: "r.ticket = ?",
	nik: "r.nik = ?",
	phone: "r.resident_phone = ?",
	// A bound pattern without a leading wildcard, and LIKE is case-insensitive like the NOCASE
	// index requests_by_name: SQLite reads it as a range on that index.
	name: "r.resident_name LIKE ? ESCAPE '\\'",
};

type FilterName = keyof typeof FILTERS;

interface SummaryRow {
	id: string;
	ticket: string;
	status: RequestStatus;
	service_code: string;
	variant_code: string;
	area_code: string;
	area_name: string | null;
	resident_name: string;
	created_at: number;
	updated_at: number;
	queue_date: string | null;
	due_date: string | null;
	channel: "whatsapp" | "kelurahan";
	business_id: string | null;
	resident_id: string | null;
}

function toSummary(row: SummaryRow): RequestSummary {
	return {
		id: row.id,
		ticket: row.ticket,
		status: row.status,
		service: row.service_code,
		variant: row.variant_code,
		kelurahan: { code: row.area_code, name: row.area_name ?? row.area_code },
		residentName: row.resident_name,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
		queueDate: row.queue_date,
		dueDate: row.due_date,
		channel: row.channel,
	};
}

/** The keyset cursor of the row a page ends on, in the page's order. */
function cursorOf(row: SummaryRow, sort: "created" | "due"): string {
	// A due date travels in the cursor as its day number (the cursor carries a number).
	return sort === "due"
		? encodeCursor(dayNumber(row.due_date ?? NO_DUE_DATE), row.id)
		: encodeCursor(row.created_at, row.id);
}

/**
 * One page of requests, newest first (`created_at DESC, id DESC`) or, with `sort: "due"`, earliest
 * due date first (`due_date, id`, those without one last), with keyset pagination.
 *
 * @throws RangeError when `limit` is out of range.
 */
export async function listRequests(db: D1Database, filters: RequestFilters): Promise<RequestPage> {
	const { limit } = filters;
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
		throw new RangeError(`listRequests: limit must be 1-${MAX_PAGE_SIZE}`);
	}
	const used: [FilterName, ...(string | number)[]][] = [];
	if (filters.status !== undefined) used.push(["status", filters.status]);
	if (filters.service !== undefined) used.push(["service", filters.service]);
	if (filters.kelurahan !== undefined) used.push(["kelurahan", filters.kelurahan]);
	if (filters.scopeAreas != null) used.push(["scopeAreas", JSON.stringify(filters.scopeAreas)]);
	if (filters.from !== undefined) used.push(["from", filters.from]);
	if (filters.to !== undefined) used.push(["to", filters.to]);
	if (filters.overdueOn !== undefined) used.push(["overdueOn", filters.overdueOn]);
	if (filters.dueBefore !== undefined) used.push(["dueBefore", filters.dueBefore]);
	const sort = filters.sort ?? "created";
	if (filters.cursor !== undefined) {
		if (sort === "due") {
			used.push(["dueCursor", fromDayNumber(filters.cursor.at), filters.cursor.id]);
		} else {
			used.push(["cursor", filters.cursor.at, filters.cursor.id]);
		}
	}
	const search = filters.search ?? null;
	const form = search === null ? 0 : 1;
	const conditions = [
		...(search === null ? [] : [SEARCHES[search.kind]]),
		...used.map(([name]) => FILTERS[name][form]),
	];
	const where = conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
	const params = [...(search === null ? [] : [search.value]), ...used.flatMap(([, ...v]) => v)];
	const { results } = await db
		.prepare(
			`SELECT r.id, r.ticket, r.status, r.service_code, r.variant_code, r.area_code,
				a.name AS area_name, r.resident_name, r.created_at, r.updated_at, r.queue_date, r.due_date,
				r.channel, r.business_id, r.resident_id
			FROM requests r LEFT JOIN areas a ON a.code = r.area_code
			${where}
			ORDER BY ${ORDERS[sort]}
			LIMIT ?`,
		)
		.bind(...params, limit + 1)
		.all<SummaryRow>();
	const page = results.slice(0, limit);
	const last = page.at(-1);
	return {
		items: page.map(toSummary),
		chats: page.map((row) =>
			row.business_id !== null && row.resident_id !== null
				? { businessId: row.business_id, residentId: row.resident_id }
				: null,
		),
		nextCursor: results.length > limit && last !== undefined ? cursorOf(last, sort) : null,
	};
}
