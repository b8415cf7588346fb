/**
 * The requests of a period as CSV (RFC 4180), streamed: a UTF-8 byte order mark (so that Excel
 * reads UTF-8), a header line, then one line a request, oldest first, read from D1 one page at a
 * time as the client reads the body, so a year of requests never sits in memory.
 *
 * @module
 */

import { officeDate, wallClock } from "../standards/office-clock";
import { KEYSET_PAGE_SIZE, type KeysetRow, keysetPages } from "./keyset";

/** The field separators offered: `;` is what Excel expects with Indonesian regional settings. */
export const CSV_DELIMITERS = [",", ";"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Columns every export has. */
export const CSV_COLUMNS = [
	"ticket",
	"service",
	"variant",
	"kelurahan_code",
	"kelurahan",
	"channel",
	"status",
	"created_at",
	"queue_date",
	"due_date",
	"closed_at",
	"within_limit",
] as const;

/** Columns added for an admin who asks for personal data. */
export const PERSONAL_COLUMNS = ["nik", "name", "phone"] as const;

/** What an export covers. */
export interface ExportQuery {
	/** Epoch ms, inclusive: requests created at or after. */
	from: number;
	/** Epoch ms, exclusive. */
	to: number;
	delimiter: CsvDelimiter;
	/** Adds {@link PERSONAL_COLUMNS}; the caller checks that the staff member may see them. */
	personal: boolean;
	timeZone: string;
}

interface ExportRow extends KeysetRow {
	ticket: string;
	service_code: string;
	variant_code: string;
	area_code: string;
	area_name: string | null;
	channel: string;
	status: string;
	queue_date: string | null;
	due_date: string | null;
	closed_at: number | null;
	nik: string;
	resident_name: string;
	resident_phone: string | null;
}

/** The UTF-8 byte order mark. */
const BOM = "\uFEFF";
/** RFC 4180's line break. */
const CRLF = "\r\n";

/**
 * One field, quoted when RFC 4180 requires it (it holds the delimiter, a quote, CR or LF; quotes
 * doubled inside). A text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
 * `@`, a tab or CR) is prefixed with `'`, so an exported name can never be a formula.
 */
export function csvField(value: string, delimiter: CsvDelimiter): string {
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	const needsQuotes =
		safe.includes(delimiter) || safe.includes('"') || safe.includes("\n") || safe.includes("\r");
	return needsQuotes ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Office-local `YYYY-MM-DD HH:MM`, as a spreadsheet reads a date and time. */
function localTime(at: number, timeZone: string): string {
	const clock = wallClock(at, timeZone);
	const hours = String(Math.floor(clock.minutes / 60)).padStart(2, "0");
	const minutes = String(clock.minutes % 60).padStart(2, "0");
	return `${clock.date} ${hours}:${minutes}`;
}

/** `yes` done on or before the due date, `no` after it; empty when not completed or no due date. */
function withinLimit(row: ExportRow, timeZone: string): string {
	if (row.status !== "completed" || row.closed_at === null || row.due_date === null) return "";
	return officeDate(row.closed_at, timeZone) <= row.due_date ? "yes" : "no";
}

function line(fields: readonly string[], delimiter: CsvDelimiter): string {
	return fields.map((field) => csvField(field, delimiter)).join(delimiter) + CRLF;
}

function rowFields(row: ExportRow, query: ExportQuery): string[] {
	const fields = [
		row.ticket,
		row.service_code,
		row.variant_code,
		row.area_code,
		row.area_name ?? "",
		row.channel,
		row.status,
		localTime(row.key_at, query.timeZone),
		row.queue_date ?? "",
		row.due_date ?? "",
		row.closed_at === null ? "" : localTime(row.closed_at, query.timeZone),
		withinLimit(row, query.timeZone),
	];
	if (query.personal) {
		fields.push(digitsAsText(row.nik), row.resident_name, digitsAsText(row.resident_phone ?? ""));
	}
	return fields;
}

/**
 * A NIK or phone number as text a spreadsheet keeps: Excel reads a bare run of digits as a number
 * and keeps 15 significant digits, so 1674015203900011 would be saved back as 1674015203900010.
 * The same leading `'` as {@link csvField}'s guard against formulas marks it as text (never a
 * formula, as `="..."` would be); an empty value stays empty.
 */
function digitsAsText(value: string): string {
	return value === "" ? value : `'${value}`;
}

/**
 * The export as a byte stream. Nothing is read before the client pulls: each pull reads one page
 * of requests from D1 and enqueues its lines; a cancelled download stops the reading.
 *
 * @param pageSize - Requests read per pull.
 */
export function requestsCsv(
	db: D1Database,
	query: ExportQuery,
	pageSize = KEYSET_PAGE_SIZE,
): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	// Personal columns are read only when they are exported.
	const personal = query.personal ? ", r.nik, r.resident_name, r.resident_phone" : "";
	const pages = keysetPages<ExportRow>(
		db,
		{
			select: `SELECT r.id AS key_id, r.created_at AS key_at, r.ticket, r.service_code,
			r.variant_code, r.area_code, a.name AS area_name, r.channel, r.status, r.queue_date,
			r.due_date, r.closed_at${personal}
			FROM requests r LEFT JOIN areas a ON a.code = r.area_code`,
			where: ["r.created_at >= ?", "r.created_at < ?"],
			binds: [query.from, query.to],
			at: "r.created_at",
			id: "r.id",
		},
		pageSize,
	);
	const header = [...CSV_COLUMNS, ...(query.personal ? PERSONAL_COLUMNS : [])];
	return new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(encoder.encode(BOM + line(header, query.delimiter)));
		},
		async pull(controller) {
			const next = await pages.next();
			if (next.done) {
				controller.close();
				return;
			}
			const text = next.value.map((row) => line(rowFields(row, query), query.delimiter)).join("");
			controller.enqueue(encoder.encode(text));
		},
		async cancel() {
			await pages.return(undefined);
		},
	});
}
