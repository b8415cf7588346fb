/**
 * How requests are shown to staff: the document checklist, download names and the detail body,
 * made from the rows of `requests/`.
 *
 * @module
 */

import type { z } from "@hono/zod-openapi";
import type { AttachmentRow, EventRow, NoteRow, RequirementRow } from "../../requests/details";
import type { Search } from "../../requests/queue";
import type { RequestRecord } from "../../requests/record";
import type { WithBounds } from "../time-bounds";
import type { ListQuerySchema, RequestDetailSchema } from "./requests.schemas";

function downloadUrl(requestId: string, attachmentId: string): string {
	return `/api/v1/requests/${encodeURIComponent(requestId)}/attachments/${encodeURIComponent(attachmentId)}`;
}

function toAttachment(row: AttachmentRow) {
	return {
		id: row.id,
		state: row.state,
		mimeType: row.mime_type,
		size: row.size,
		sha256: row.sha256,
		fileName: row.file_name,
		createdAt: row.created_at,
		downloadUrl: downloadUrl(row.request_id, row.id),
	};
}

/**
 * The document checklist: each requirement in order, received when it has an active file, then
 * the files sent under codes the service does not ask for (such as `lainnya`).
 */
export function checklist(requirements: RequirementRow[], attachments: AttachmentRow[]) {
	const filesOf = (code: string) => attachments.filter((a) => a.doc_code === code);
	const stateOf = (files: AttachmentRow[]) =>
		files.some((a) => a.state === "active") ? ("received" as const) : ("missing" as const);
	const listed = requirements.map((r) => {
		const files = filesOf(r.doc_code);
		return {
			code: r.doc_code,
			label: { id: r.label_id, en: r.label_en },
			kind: "requirement" as const,
			required: r.required === 1,
			state: stateOf(files),
			attachments: files.map(toAttachment),
		};
	});
	const known = new Set(requirements.map((r) => r.doc_code));
	const extraCodes = [...new Set(attachments.map((a) => a.doc_code))].filter((c) => !known.has(c));
	const extra = extraCodes.map((code) => {
		const files = filesOf(code);
		return {
			code,
			label: null,
			kind: "extra" as const,
			required: false,
			state: stateOf(files),
			attachments: files.map(toAttachment),
		};
	});
	return [...listed, ...extra];
}

const EXTENSIONS: Record<string, string> = {
	"application/pdf": "pdf",
	"image/jpeg": "jpg",
	"image/png": "png",
};

/** `<ticket>-<doc code>-<n>.<ext>`, n counting the document's files from 1 (oldest first). */
export function downloadName(ticket: string, file: AttachmentRow, all: AttachmentRow[]): string {
	const sameDoc = all.filter((a) => a.doc_code === file.doc_code);
	const n = sameDoc.findIndex((a) => a.id === file.id) + 1;
	const fromName = /\.([A-Za-z0-9]{1,5})$/.exec(file.file_name ?? "")?.[1]?.toLowerCase();
	const ext = EXTENSIONS[file.mime_type] ?? fromName ?? "bin";
	const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, "_");
	return `${safe(ticket)}-${safe(file.doc_code)}-${n}.${ext}`;
}

/** What the list's audit row keeps: the filters, but of the search text only its kind. */
export function listAuditDetail(
	query: WithBounds<Omit<z.output<typeof ListQuerySchema>, "q">>,
	search: Search | null,
	count: number,
) {
	const detail: Record<string, string | number | boolean | null> = {
		limit: query.limit,
		cursor: query.cursor !== undefined,
		results: count,
	};
	if (query.status !== undefined) detail.status = query.status;
	if (query.service !== undefined) detail.service = query.service;
	if (query.kelurahan !== undefined) detail.kelurahan = query.kelurahan;
	if (query.from !== undefined) detail.from = query.from;
	if (query.to !== undefined) detail.to = query.to;
	if (query.overdue !== undefined) detail.overdue = query.overdue;
	if (query.dueBefore !== undefined) detail.dueBefore = query.dueBefore;
	if (query.sort !== "created") detail.sort = query.sort;
	if (search !== null) {
		detail.qKind = search.kind;
		// A ticket is not personal data; a NIK, phone number or name is never stored.
		if (search.kind === "ticket") detail.q = search.value;
	}
	return detail;
}

/** What the resident's Conversation object says of the chat (null for a kelurahan request). */
interface ChatState {
	windowOpenUntil: number | null;
	waitingNotices: number;
	deadMessages: number;
}

/** The answer of opening a request, from its record and the rows about it. */
export function detailBody(
	record: RequestRecord,
	parts: {
		requirements: RequirementRow[];
		attachments: AttachmentRow[];
		events: EventRow[];
		notes: NoteRow[];
		handoffAsked: boolean;
		chat: ChatState | null;
		/** When the resident opted out of messages (`berhenti`), or null. */
		optedOutSince: number | null;
		/** Working days from today to the due date (negative: late); null when not counted. */
		daysToDue: number | null;
	},
): z.input<typeof RequestDetailSchema> {
	const { chat } = parts;
	const whatsapp =
		chat === null
			? null
			: {
					windowOpenUntil: chat.windowOpenUntil,
					waitingNotices: chat.waitingNotices,
					deadMessages: chat.deadMessages,
					optedOutSince: parts.optedOutSince,
				};
	const label = (id: string | null, en: string | null) =>
		id === null || en === null ? null : { id, en };
	return {
		id: record.id,
		ticket: record.ticket,
		status: record.status,
		version: record.version,
		language: record.language,
		createdAt: record.created_at,
		updatedAt: record.updated_at,
		closedAt: record.closed_at,
		queueDate: record.queue_date,
		queuePosition: record.queue_position,
		dueDate: record.due_date,
		daysLeft: parts.daysToDue !== null && parts.daysToDue >= 0 ? parts.daysToDue : null,
		daysLate: parts.daysToDue !== null && parts.daysToDue < 0 ? -parts.daysToDue : null,
		resident: {
			name: record.resident_name,
			phone: record.resident_phone,
			nik: record.nik,
			nikWarnings: JSON.parse(record.nik_warnings) as string[],
			channel: record.channel,
			filedBy: record.submitted_by,
			residentId: record.resident_id,
		},
		subject:
			record.subject_kind === null
				? null
				: { kind: record.subject_kind, nik: record.subject_nik, text: record.subject_text },
		service: {
			code: record.service_code,
			label: label(record.service_label_id, record.service_label_en),
			variant: {
				code: record.variant_code,
				label: label(record.variant_label_id, record.variant_label_en),
			},
			resultKind: record.result_kind,
		},
		kelurahan: {
			code: record.area_code,
			name: record.area_name ?? record.area_code,
			kecamatan:
				record.kecamatan_code === null || record.kecamatan_name === null
					? null
					: { code: record.kecamatan_code, name: record.kecamatan_name },
		},
		documents: checklist(parts.requirements, parts.attachments),
		events: parts.events.map((e) => ({
			at: e.at,
			actor: e.actor,
			from: e.from_status,
			to: e.to_status,
			reason: e.reason,
		})),
		notes: parts.notes.map((n) => ({ id: n.id, at: n.at, author: n.author, text: n.text })),
		whatsapp,
		flags: {
			handoffAsked: parts.handoffAsked,
			noticesWaiting: (whatsapp?.waitingNotices ?? 0) > 0,
			deadMessages: (whatsapp?.deadMessages ?? 0) > 0,
		},
	};
}
