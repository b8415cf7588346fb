/**
 * Reads of request records for the staff API: the filtered, paginated queue and everything about
 * one request (its events, files, notes and whether its resident asked for a person).
 *
 * Every statement is fixed text with bound parameters: the WHERE of {@link listRequests} is put
 * together from a fixed list of conditions, never from input.
 *
 * @module
 */

import { conversationName } from "../channel/address";
import { fieldProblem } from "../http/problem";
import { normalizePhone } from "./phone";
import type { RequestStatus } from "./statuses";
import { DEFAULT_TIME_ZONE, parseTicket } from "./tickets";

/** Most rows one page of {@link listRequests} holds. */
export const MAX_PAGE_SIZE = 100;
/** Rows in a page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 20;

/** Which kind of search text `q` was read as; only this is audited for a NIK or phone. */
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
	/** A ticket, a NIK, a phone number or the start of a name: see {@link classifySearch}. */
	q?: string;
	/** Page size, 1 to {@link MAX_PAGE_SIZE}. */
	limit: number;
	/** The `nextCursor` of the previous page. */
	cursor?: string;
	/** The area a kelurahan operator is confined to, whatever else they ask. */
	scopeArea?: string | null;
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
}

/** One page of {@link listRequests}. */
export interface RequestPage {
	items: RequestSummary[];
	/** Pass back as `cursor` for the next page; null on the last page. */
	nextCursor: string | null;
}

/** A `requests` row with the names its codes stand for (from the catalog and area tables). */
export interface RequestRecord {
	id: string;
	ticket: string;
	channel: "whatsapp" | "kelurahan";
	business_id: string | null;
	resident_id: string | null;
	resident_phone: string | null;
	resident_name: string;
	nik: string;
	/** JSON array of NIK warnings. */
	nik_warnings: string;
	service_code: string;
	variant_code: string;
	area_code: string;
	status: RequestStatus;
	version: number;
	language: "id" | "en";
	submitted_by: string | null;
	created_at: number;
	updated_at: number;
	closed_at: number | null;
	/** Null only when the catalog no longer has the service (or variant, or area). */
	service_label_id: string | null;
	service_label_en: string | null;
	result_kind: "pdf" | "card" | null;
	variant_label_id: string | null;
	variant_label_en: string | null;
	area_name: string | null;
	kecamatan_code: string | null;
	kecamatan_name: string | null;
}

/** A status change of a request. */
export interface EventRow {
	id: string;
	at: number;
	actor: string;
	from_status: RequestStatus | null;
	to_status: RequestStatus;
	reason: string | null;
}

/** A file's metadata (the bytes are in R2 under `r2_key`). */
export interface AttachmentRow {
	id: string;
	request_id: string;
	doc_code: string;
	r2_key: string;
	mime_type: string;
	size: number;
	sha256: string;
	file_name: string | null;
	message_id: string | null;
	state: "active" | "superseded";
	created_at: number;
}

/** An internal note of staff on a request. */
export interface NoteRow {
	id: string;
	at: number;
	author: string;
	text: string;
}

/** A document the service (variant) asks for. */
export interface RequirementRow {
	doc_code: string;
	label_id: string;
	label_en: string;
	required: number;
}

/** A resident's open request for a person (`petugas`/`agent`). */
export interface HandoffRow {
	conversation: string;
	asked_at: number;
}

// ---- cursors ----------------------------------------------------------------------------------

/** A position in a list ordered by `(time DESC, id DESC)`. */
export interface Cursor {
	at: number;
	id: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The opaque cursor for the row at `(at, id)`: base64url of `at:id`. */
export function encodeCursor(at: number, id: string): string {
	const bytes = new TextEncoder().encode(`${at}:${id}`);
	return btoa(String.fromCharCode(...bytes))
		.replaceAll("+", "-")
		.replaceAll("/", "_")
		.replace(/=+$/, "");
}

/**
 * Reads a cursor made by {@link encodeCursor}.
 *
 * @throws Problem 400 naming `field` (`query.cursor` by default) when it is not one.
 */
export function decodeCursor(cursor: string, field = "query.cursor"): Cursor {
	const decoded = BASE64URL.test(cursor) ? base64urlText(cursor) : null;
	const match = decoded === null ? null : /^([0-9]{1,16}):(.{1,200})$/s.exec(decoded);
	const at = Number(match?.[1]);
	const id = match?.[2];
	if (id === undefined || !Number.isSafeInteger(at)) {
		throw fieldProblem(field, "is not a cursor this API gave out");
	}
	return { at, id };
}

function base64urlText(text: string): string | null {
	try {
		const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
		const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
		return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return null;
	}
}

// ---- search text ------------------------------------------------------------------------------

/** How a search text is matched: one exact column, or a name prefix. */
export interface Search {
	kind: SearchKind;
	/** The value to bind: canonical ticket, 16 digits, normalized phone, or a LIKE pattern. */
	value: string;
}

const NIK_SEPARATORS = /[\s.-]/g;

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
	const compact = text.replace(NIK_SEPARATORS, "");
	if (/^[0-9]{16}$/.test(compact)) return { kind: "nik", value: compact };
	const phone = normalizePhone(text);
	const digits = text.replace(/[^0-9]/g, "").length;
	if (phone !== null && digits * 2 > text.replace(/\s/g, "").length) {
		return { kind: "phone", value: phone };
	}
	return { kind: "name", value: `${text.replace(/[\\%_]/g, "\\$&")}%` };
}

// ---- the list ---------------------------------------------------------------------------------

/**
 * The filter conditions the list may use, as fixed text, each in two forms. The second puts `+`
 * before the column, which keeps SQLite from using an index for it: when there is a search, its
 * (far more selective) index must drive the query, not the index that matches the ORDER BY.
 */
const FILTERS = {
	status: ["r.status = ?", "+r.status = ?"],
	service: ["r.service_code = ?", "+r.service_code = ?"],
	kelurahan: ["r.area_code = ?", "+r.area_code = ?"],
	scopeArea: ["r.area_code = ?", "+r.area_code = ?"],
	from: ["r.created_at >= ?", "+r.created_at >= ?"],
	to: ["r.created_at < ?", "+r.created_at < ?"],
	cursor: ["(r.created_at, r.id) < (?, ?)", "(+r.created_at, +r.id) < (?, ?)"],
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
	};
}

/**
 * One page of requests, newest first (`created_at DESC, id DESC`), with keyset pagination.
 *
 * @throws RangeError when `limit` is out of range; Problem 400 (`query.cursor`) for a cursor that
 *   this function did not give out.
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
	if (filters.scopeArea != null) used.push(["scopeArea", filters.scopeArea]);
	if (filters.from !== undefined) used.push(["from", filters.from]);
	if (filters.to !== undefined) used.push(["to", filters.to]);
	if (filters.cursor !== undefined) {
		const cursor = decodeCursor(filters.cursor);
		used.push(["cursor", cursor.at, cursor.id]);
	}
	const search = filters.q === undefined ? null : classifySearch(filters.q);
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
				a.name AS area_name, r.resident_name, r.created_at, r.updated_at
			FROM requests r LEFT JOIN areas a ON a.code = r.area_code
			${where}
			ORDER BY r.created_at DESC, r.id DESC
			LIMIT ?`,
		)
		.bind(...params, limit + 1)
		.all<SummaryRow>();
	const page = results.slice(0, limit);
	const last = page.at(-1);
	return {
		items: page.map(toSummary),
		nextCursor:
			results.length > limit && last !== undefined ? encodeCursor(last.created_at, last.id) : null,
	};
}

// ---- one request ------------------------------------------------------------------------------

const RECORD_SELECT = `SELECT r.*,
		s.label_id AS service_label_id, s.label_en AS service_label_en, s.result_kind,
		v.label_id AS variant_label_id, v.label_en AS variant_label_en,
		a.name AS area_name, k.code AS kecamatan_code, k.name AS kecamatan_name
	FROM requests r
	LEFT JOIN services s ON s.code = r.service_code
	LEFT JOIN service_variants v ON v.service_code = r.service_code AND v.code = r.variant_code
	LEFT JOIN areas a ON a.code = r.area_code
	LEFT JOIN kecamatan k ON k.code = a.kecamatan_code`;

/**
 * A request by its id or its ticket code (tolerating lower case and spaces in a ticket), with the
 * names of its service, variant, area and kecamatan.
 *
 * @returns null when there is no such request.
 */
export async function findRequest(
	db: D1Database,
	idOrTicket: string,
): Promise<RequestRecord | null> {
	const ticket = parseTicket(idOrTicket);
	const statement =
		ticket === null
			? db.prepare(`${RECORD_SELECT} WHERE r.id = ?`).bind(idOrTicket)
			: db.prepare(`${RECORD_SELECT} WHERE r.ticket = ?`).bind(ticket);
	return statement.first<RequestRecord>();
}

/** A request's status changes, oldest first. */
export async function requestEvents(db: D1Database, requestId: string): Promise<EventRow[]> {
	const { results } = await db
		.prepare(
			`SELECT id, at, actor, from_status, to_status, reason FROM request_events
			WHERE request_id = ? ORDER BY at, id`,
		)
		.bind(requestId)
		.all<EventRow>();
	return results;
}

/** A request's files, superseded ones included, oldest first. */
export async function requestAttachments(
	db: D1Database,
	requestId: string,
): Promise<AttachmentRow[]> {
	const { results } = await db
		.prepare(
			`SELECT id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id,
				state, created_at
			FROM attachments WHERE request_id = ? ORDER BY created_at, id`,
		)
		.bind(requestId)
		.all<AttachmentRow>();
	return results;
}

/** Staff's internal notes on a request, oldest first. */
export async function requestNotes(db: D1Database, requestId: string): Promise<NoteRow[]> {
	const { results } = await db
		.prepare("SELECT id, at, author, text FROM request_notes WHERE request_id = ? ORDER BY at, id")
		.bind(requestId)
		.all<NoteRow>();
	return results;
}

/** The documents a service variant asks for, in the order residents are asked. */
export async function serviceRequirements(
	db: D1Database,
	serviceCode: string,
	variantCode: string,
): Promise<RequirementRow[]> {
	const { results } = await db
		.prepare(
			`SELECT doc_code, label_id, label_en, required FROM requirements
			WHERE service_code = ? AND variant_code = ? ORDER BY sort_order, doc_code`,
		)
		.bind(serviceCode, variantCode)
		.all<RequirementRow>();
	return results;
}

/** The resident's unresolved request for a person, or null. */
export async function openHandoff(
	db: D1Database,
	businessId: string,
	residentId: string,
): Promise<HandoffRow | null> {
	return db
		.prepare(
			"SELECT conversation, asked_at FROM handoffs WHERE conversation = ? AND resolved_at IS NULL",
		)
		.bind(conversationName(businessId, residentId))
		.first<HandoffRow>();
}

// ---- time bounds ------------------------------------------------------------------------------

const DATE_ONLY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DATE_TIME =
	/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,3})?)?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** How far ahead of UTC a time zone is at an instant, in milliseconds. */
function zoneOffset(at: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat("en-US", {
		timeZone,
		hourCycle: "h23",
		year: "numeric",
		month: "2-digit",
		day: "2-digit",
		hour: "2-digit",
		minute: "2-digit",
		second: "2-digit",
	}).formatToParts(at);
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(
		part("year"),
		part("month") - 1,
		part("day"),
		part("hour"),
		part("minute"),
		part("second"),
	);
	return wall - Math.floor(at / 1000) * 1000;
}

/**
 * Reads a time filter: epoch milliseconds, an ISO 8601 date-time with its zone (`Z` or
 * `+07:00`), or a calendar date, which means the office's day (`Asia/Jakarta` by default): its
 * start for `from`, and the start of the next day for `to` (an exclusive bound, so that
 * `to=2026-11-30` includes the 30th).
 *
 * @returns Epoch milliseconds, or null when the text is none of these.
 */
export function parseTimeBound(
	text: string,
	bound: "from" | "to",
	timeZone: string = DEFAULT_TIME_ZONE,
): number | null {
	if (/^[0-9]{1,15}$/.test(text)) return Number(text);
	if (DATE_TIME.test(text)) {
		const at = Date.parse(text);
		return Number.isNaN(at) ? null : at;
	}
	const date = DATE_ONLY.exec(text);
	if (date === null) return null;
	const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
	const utcMidnight = Date.UTC(year, month - 1, day);
	const check = new Date(utcMidnight);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
	const start = utcMidnight + (bound === "to" ? DAY_MS : 0);
	return start - zoneOffset(start, timeZone);
}
