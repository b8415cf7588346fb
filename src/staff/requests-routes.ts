import { createRoute, z } from "@hono/zod-openapi";
import { conversationFor } from "../conversation/address";
import { Problem } from "../http/problem";
import {
	type AttachmentRow,
	classifySearch,
	DEFAULT_PAGE_SIZE,
	findRequest,
	listRequests,
	MAX_PAGE_SIZE,
	openHandoff,
	parseTimeBound,
	type RequestRecord,
	type RequirementRow,
	requestAttachments,
	requestEvents,
	requestNotes,
	serviceRequirements,
} from "../requests/staff-queries";
import { REQUEST_STATUSES } from "../requests/statuses";
import { audit } from "./audit";
import { actorOf, type StaffPrincipal } from "./auth";
import { visibleTo } from "./case-access";
import { createRouter } from "./router";
import { errorResponses, notFound } from "./schemas";

// ---- shared query parameters --------------------------------------------------------------------

/**
 * A `from` or `to` query parameter: epoch milliseconds, an ISO 8601 date-time with its zone, or
 * a date (the office's calendar day). `from` is inclusive, `to` exclusive; a date as `to`
 * includes that whole day.
 */
export function timeBoundQuery(bound: "from" | "to") {
	return z
		.string()
		.transform((text, ctx) => {
			const at = parseTimeBound(text.trim(), bound);
			if (at === null) {
				ctx.addIssue({
					code: "custom",
					message: "must be epoch milliseconds, an ISO 8601 date-time with zone, or a date",
				});
				return z.NEVER;
			}
			return at;
		})
		.optional()
		.openapi({
			type: "string",
			example: bound === "from" ? "2026-11-01" : "2026-11-30T17:00:00Z",
			description:
				bound === "from"
					? "At or after (inclusive): epoch ms, an ISO date-time with zone, or a date (the start of that day in the office's time zone)."
					: "Before (exclusive): epoch ms, an ISO date-time with zone, or a date (that whole day included).",
		});
}

/** The `limit` query parameter: 1 to 100 rows, 20 by default. */
export const LimitQuery = z.coerce
	.number()
	.int()
	.min(1)
	.max(MAX_PAGE_SIZE)
	.default(DEFAULT_PAGE_SIZE)
	.openapi({
		type: "integer",
		minimum: 1,
		maximum: MAX_PAGE_SIZE,
		default: DEFAULT_PAGE_SIZE,
		example: 20,
		description: "Rows per page.",
	});

/** The `cursor` query parameter: the `nextCursor` of the previous page. */
export const CursorQuery = z.string().min(1).max(400).optional().openapi({
	example: "MTc5NTkwMDAwMDAwMDo1ZjBjMWI5ZQ",
	description: "The `nextCursor` of the previous page; omit for the first page.",
});

const AreaCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, "must be an area code");

// ---- schemas ----------------------------------------------------------------------------------

const Millis = z.number().int();

const LabelsSchema = z
	.object({
		id: z.string().openapi({ example: "Kartu Keluarga (KK)" }),
		en: z.string().openapi({ example: "Family Card (KK)" }),
	})
	.openapi("Labels");

/** A request's status, as the API shows it. */
export const RequestStatusSchema = z
	.enum(REQUEST_STATUSES)
	.openapi("RequestStatus", { example: "submitted" });

/** One request in a list: enough to pick it out of the queue. */
export const RequestSummarySchema = z
	.object({
		id: z.string().openapi({ example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90" }),
		ticket: z.string().openapi({ example: "PBM-261128-0042" }),
		status: RequestStatusSchema,
		service: z.string().openapi({ example: "ktp_el" }),
		variant: z.string().openapi({ example: "hilang" }),
		kelurahan: z.object({
			code: z.string().openapi({ example: "16.74.01.1001" }),
			name: z.string().openapi({ example: "Prabumulih" }),
		}),
		residentName: z.string().openapi({ example: "Siti Aminah" }),
		createdAt: Millis.openapi({ example: 1795900000000 }),
		updatedAt: Millis.openapi({ example: 1795903600000 }),
	})
	.openapi("RequestSummary");

const RequestListSchema = z
	.object({
		items: z.array(RequestSummarySchema),
		nextCursor: z.string().nullable().openapi({ example: "MTc5NTkwMDAwMDAwMDowZDlhM2M1ZQ" }),
	})
	.openapi("RequestList");

const ListQuerySchema = z.object({
	status: RequestStatusSchema.optional(),
	service: z
		.string()
		.min(1)
		.max(40)
		.optional()
		.openapi({ example: "ktp_el", description: "A service code." }),
	kelurahan: AreaCode.optional().openapi({
		example: "16.74.01.1001",
		description: "An area (kelurahan/desa) code.",
	}),
	from: timeBoundQuery("from"),
	to: timeBoundQuery("to"),
	q: z.string().max(100).optional().openapi({
		example: "PBM-261128-0042",
		description:
			"A ticket code, a 16-digit NIK or a phone number (matched exactly), or the start of the resident's name.",
	}),
	limit: LimitQuery,
	cursor: CursorQuery,
});

const AttachmentSchema = z
	.object({
		id: z.string().openapi({ example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90:kk:wamid.HBgL" }),
		state: z.enum(["active", "superseded"]).openapi({ example: "active" }),
		mimeType: z.string().openapi({ example: "image/jpeg" }),
		size: z.number().int().openapi({ example: 123456 }),
		sha256: z
			.string()
			.openapi({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }),
		fileName: z.string().nullable().openapi({ example: null }),
		createdAt: Millis.openapi({ example: 1795900000000 }),
		downloadUrl: z.string().openapi({
			example:
				"/api/v1/requests/0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90/attachments/0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90%3Akk%3Awamid.HBgL",
		}),
	})
	.openapi("Attachment");

const DocumentSchema = z
	.object({
		code: z.string().openapi({ example: "kk" }),
		label: LabelsSchema.nullable().openapi({
			description: "Null for a document that is not one of the service's requirements.",
		}),
		kind: z.enum(["requirement", "extra"]).openapi({
			example: "requirement",
			description: "`extra`: files sent under a code the service does not ask for.",
		}),
		required: z.boolean().openapi({ example: true }),
		state: z.enum(["received", "missing"]).openapi({
			example: "received",
			description: "`received` when the document has an active file.",
		}),
		attachments: z.array(AttachmentSchema),
	})
	.openapi("DocumentChecklistEntry");

const EventSchema = z
	.object({
		at: Millis.openapi({ example: 1795900000000 }),
		actor: z.string().openapi({ example: "resident" }),
		from: RequestStatusSchema.nullable().openapi({ example: null }),
		to: RequestStatusSchema,
		reason: z.string().nullable().openapi({ example: null }),
	})
	.openapi("RequestEvent");

const NoteSchema = z
	.object({
		id: z.string().openapi({ example: "3b4a1f0e-2c4d-4e5f-8a9b-0c1d2e3f4a5b" }),
		at: Millis.openapi({ example: 1795903600000 }),
		author: z.string().openapi({ example: "staff:5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11" }),
		text: z.string().openapi({ example: "Called the resident: the police letter comes tomorrow." }),
	})
	.openapi("RequestNote");

const WhatsAppStateSchema = z
	.object({
		windowOpenUntil: Millis.nullable().openapi({
			example: 1795986400000,
			description: "End of the 24-hour window for free text; null when closed or never open.",
		}),
		waitingNotices: z.number().int().openapi({
			example: 0,
			description: "Messages to the resident held until the window reopens.",
		}),
		deadMessages: z.number().int().openapi({
			example: 0,
			description: "Messages to the resident that could not be delivered.",
		}),
	})
	.openapi("WhatsAppState");

/** Everything staff see when they open a request. */
export const RequestDetailSchema = z
	.object({
		id: z.string().openapi({ example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90" }),
		ticket: z.string().openapi({ example: "PBM-261128-0042" }),
		status: RequestStatusSchema,
		version: z.number().int().openapi({
			example: 1,
			description: "Send it back with a change: 409 when the request moved meanwhile.",
		}),
		language: z.enum(["id", "en"]).openapi({ example: "id" }),
		createdAt: Millis.openapi({ example: 1795900000000 }),
		updatedAt: Millis.openapi({ example: 1795900000000 }),
		closedAt: Millis.nullable().openapi({ example: null }),
		resident: z.object({
			name: z.string().openapi({ example: "Siti Aminah" }),
			phone: z.string().nullable().openapi({ example: "6281234567890" }),
			nik: z.string().openapi({ example: "1674015203900001" }),
			nikWarnings: z.array(z.string()).openapi({ example: [] }),
			channel: z.enum(["whatsapp", "kelurahan"]).openapi({ example: "whatsapp" }),
			residentId: z.string().nullable().openapi({ example: "6281234567890" }),
		}),
		service: z.object({
			code: z.string().openapi({ example: "ktp_el" }),
			label: LabelsSchema.nullable(),
			variant: z.object({
				code: z.string().openapi({ example: "hilang" }),
				label: LabelsSchema.nullable(),
			}),
			resultKind: z.enum(["pdf", "card"]).nullable().openapi({ example: "card" }),
		}),
		kelurahan: z.object({
			code: z.string().openapi({ example: "16.74.01.1001" }),
			name: z.string().openapi({ example: "Prabumulih" }),
			kecamatan: z
				.object({
					code: z.string().openapi({ example: "16.74.01" }),
					name: z.string().openapi({ example: "Prabumulih Barat" }),
				})
				.nullable(),
		}),
		documents: z.array(DocumentSchema),
		events: z.array(EventSchema),
		notes: z.array(NoteSchema),
		whatsapp: WhatsAppStateSchema.nullable().openapi({
			description: "Null for a request submitted at the kelurahan.",
		}),
		flags: z.object({
			handoffAsked: z.boolean().openapi({
				example: false,
				description: "The resident asked for a person and nobody has resolved it yet.",
			}),
			noticesWaiting: z.boolean().openapi({ example: false }),
			deadMessages: z.boolean().openapi({ example: false }),
		}),
	})
	.openapi("RequestDetail");

const TranscriptEntrySchema = z
	.object({
		direction: z.enum(["in", "out"]).openapi({ example: "in" }),
		at: Millis.openapi({ example: 1795900000000 }),
		messageId: z.string().nullable().openapi({ example: "wamid.HBgLNjI4MTIzNDU2Nzg5MA" }),
		kind: z.string().openapi({ example: "text" }),
		text: z.string().nullable().openapi({ example: "status" }),
		state: z.string().nullable().openapi({ example: null }),
		delivery: z.string().nullable().openapi({ example: null }),
		error: z.string().nullable().openapi({ example: null }),
	})
	.openapi("TranscriptEntry");

const TranscriptSchema = z
	.object({ messages: z.array(TranscriptEntrySchema) })
	.openapi("Transcript");

const RequestParamsSchema = z.object({
	id: z
		.string()
		.min(1)
		.max(100)
		.openapi({
			param: { name: "id", in: "path" },
			example: "PBM-261128-0042",
			description: "The request's id or its ticket code.",
		}),
});

const AttachmentParamsSchema = RequestParamsSchema.extend({
	attachmentId: z
		.string()
		.min(1)
		.max(300)
		.openapi({
			param: { name: "attachmentId", in: "path" },
			example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90:kk:wamid.HBgL",
		}),
});

/** Errors of a route every role may use: invalid input, or no valid token. */
const anyRoleErrors = { 400: errorResponses[400], 401: errorResponses[401] } as const;

const BINARY = { schema: z.string().openapi({ type: "string", format: "binary" }) };

// ---- routes -----------------------------------------------------------------------------------

const listRoute = createRoute({
	method: "get",
	path: "/requests",
	tags: ["Requests"],
	summary: "List and search requests, newest first",
	description:
		"Keyset-paginated. A kelurahan operator only ever sees their own kelurahan's requests.",
	security: [{ bearer: [] }],
	request: { query: ListQuerySchema },
	responses: {
		200: {
			description: "One page of requests.",
			content: { "application/json": { schema: RequestListSchema } },
		},
		...anyRoleErrors,
	},
});

const detailRoute = createRoute({
	method: "get",
	path: "/requests/{id}",
	tags: ["Requests"],
	summary: "Open a request: resident, service, document checklist, history, notes, chat state",
	security: [{ bearer: [] }],
	request: { params: RequestParamsSchema },
	responses: {
		200: {
			description: "The request.",
			content: { "application/json": { schema: RequestDetailSchema } },
		},
		...anyRoleErrors,
		...notFound,
	},
});

const fileRoute = createRoute({
	method: "get",
	path: "/requests/{id}/attachments/{attachmentId}",
	tags: ["Requests"],
	summary: "Download one of a request's files (audited)",
	security: [{ bearer: [] }],
	request: { params: AttachmentParamsSchema },
	responses: {
		200: {
			description:
				"The file's bytes, as `Content-Disposition: attachment` named `<ticket>-<doc code>-<n>.<ext>`.",
			headers: {
				"Content-Disposition": {
					schema: { type: "string", example: 'attachment; filename="PBM-261128-0042-kk-1.jpg"' },
				},
				"Content-Length": { schema: { type: "integer", example: 123456 } },
				"Cache-Control": { schema: { type: "string", example: "private, no-store" } },
			},
			content: { "application/pdf": BINARY, "image/jpeg": BINARY, "image/png": BINARY },
		},
		...anyRoleErrors,
		...notFound,
	},
});

const transcriptRoute = createRoute({
	method: "get",
	path: "/requests/{id}/messages",
	tags: ["Requests"],
	summary: "The WhatsApp messages exchanged about a request",
	description: "Empty for a request submitted at the kelurahan.",
	security: [{ bearer: [] }],
	request: { params: RequestParamsSchema },
	responses: {
		200: {
			description: "Messages in and out, oldest first.",
			content: { "application/json": { schema: TranscriptSchema } },
		},
		...anyRoleErrors,
		...notFound,
	},
});

// ---- handlers' helpers ------------------------------------------------------------------------

/**
 * The request, if the caller may see it: a kelurahan operator only their own area's, and any
 * other request is answered exactly like a missing one.
 */
async function visibleRequest(
	db: D1Database,
	staff: StaffPrincipal,
	idOrTicket: string,
): Promise<RequestRecord> {
	return visibleTo(staff, await findRequest(db, idOrTicket));
}

/** The resident's Conversation object, for a request that came over WhatsApp. */
function conversationOf(env: Env, record: RequestRecord) {
	if (record.channel !== "whatsapp" || record.business_id === null || record.resident_id === null)
		return null;
	return conversationFor(env, record.business_id, record.resident_id);
}

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
function checklist(requirements: RequirementRow[], attachments: AttachmentRow[]) {
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
function downloadName(ticket: string, file: AttachmentRow, all: AttachmentRow[]): string {
	const sameDoc = all.filter((a) => a.doc_code === file.doc_code);
	const n = sameDoc.findIndex((a) => a.id === file.id) + 1;
	const fromName = /\.([A-Za-z0-9]{1,5})$/.exec(file.file_name ?? "")?.[1]?.toLowerCase();
	const ext = EXTENSIONS[file.mime_type] ?? fromName ?? "bin";
	const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, "_");
	return `${safe(ticket)}-${safe(file.doc_code)}-${n}.${ext}`;
}

/** What the list's audit row keeps: the filters, but of the search text only its kind. */
function listAuditDetail(query: z.output<typeof ListQuerySchema>, count: number) {
	const search = query.q === undefined ? null : classifySearch(query.q);
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
	if (search !== null) {
		detail.qKind = search.kind;
		// A ticket is not personal data; a NIK, phone number or name is never stored.
		if (search.kind === "ticket") detail.q = search.value;
	}
	return detail;
}

// ---- the router -------------------------------------------------------------------------------

/** Reading requests: the queue, one request, its files and its WhatsApp messages. All roles. */
export const requestsRoutes = createRouter()
	.openapi(listRoute, async (c) => {
		const query = c.req.valid("query");
		const staff = c.get("staff");
		const page = await listRequests(c.env.DB, {
			...query,
			scopeArea: staff.role === "kelurahan" ? staff.kelurahan : null,
		});
		await audit(c.env.DB, {
			actor: actorOf(staff),
			action: "requests.list",
			detail: listAuditDetail(query, page.items.length),
		});
		return c.json(page, 200);
	})
	.openapi(detailRoute, async (c) => {
		const staff = c.get("staff");
		const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
		const conversation = conversationOf(c.env, record);
		const [requirements, attachments, events, notes, handoff, chat] = await Promise.all([
			serviceRequirements(c.env.DB, record.service_code, record.variant_code),
			requestAttachments(c.env.DB, record.id),
			requestEvents(c.env.DB, record.id),
			requestNotes(c.env.DB, record.id),
			record.business_id !== null && record.resident_id !== null
				? openHandoff(c.env.DB, record.business_id, record.resident_id)
				: null,
			conversation === null ? null : conversation.caseState(record.id),
		]);
		await audit(c.env.DB, { actor: actorOf(staff), action: "request.view", requestId: record.id });
		const whatsapp =
			chat === null
				? null
				: {
						windowOpenUntil: chat.windowOpenUntil,
						waitingNotices: chat.waitingNotices,
						deadMessages: chat.deadMessages,
					};
		const label = (id: string | null, en: string | null) =>
			id === null || en === null ? null : { id, en };
		return c.json(
			{
				id: record.id,
				ticket: record.ticket,
				status: record.status,
				version: record.version,
				language: record.language,
				createdAt: record.created_at,
				updatedAt: record.updated_at,
				closedAt: record.closed_at,
				resident: {
					name: record.resident_name,
					phone: record.resident_phone,
					nik: record.nik,
					nikWarnings: JSON.parse(record.nik_warnings) as string[],
					channel: record.channel,
					residentId: record.resident_id,
				},
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
				documents: checklist(requirements, attachments),
				events: events.map((e) => ({
					at: e.at,
					actor: e.actor,
					from: e.from_status,
					to: e.to_status,
					reason: e.reason,
				})),
				notes: notes.map((n) => ({ id: n.id, at: n.at, author: n.author, text: n.text })),
				whatsapp,
				flags: {
					handoffAsked: handoff !== null,
					noticesWaiting: (whatsapp?.waitingNotices ?? 0) > 0,
					deadMessages: (whatsapp?.deadMessages ?? 0) > 0,
				},
			},
			200,
		);
	})
	.openapi(fileRoute, async (c) => {
		const staff = c.get("staff");
		const { id, attachmentId } = c.req.valid("param");
		const record = await visibleRequest(c.env.DB, staff, id);
		const attachments = await requestAttachments(c.env.DB, record.id);
		const file = attachments.find((a) => a.id === attachmentId);
		if (file === undefined) {
			throw new Problem(404, "not-found", "Not found", "No such file on this request.");
		}
		const object = await c.env.FILES.get(file.r2_key);
		if (object === null) {
			throw new Problem(
				404,
				"not-found",
				"Not found",
				"The file is no longer stored (deleted after its retention period, or never stored).",
			);
		}
		await audit(c.env.DB, {
			actor: actorOf(staff),
			action: "attachment.view",
			requestId: record.id,
			detail: { attachmentId: file.id, docCode: file.doc_code },
		});
		return new Response(object.body, {
			status: 200,
			headers: {
				"content-type": object.httpMetadata?.contentType ?? file.mime_type,
				"content-length": String(object.size),
				"content-disposition": `attachment; filename="${downloadName(record.ticket, file, attachments)}"`,
				"cache-control": "private, no-store",
				"x-content-type-options": "nosniff",
			},
		});
	})
	.openapi(transcriptRoute, async (c) => {
		const staff = c.get("staff");
		const record = await visibleRequest(c.env.DB, staff, c.req.valid("param").id);
		const conversation = conversationOf(c.env, record);
		const entries = conversation === null ? [] : await conversation.transcript(record.id);
		await audit(c.env.DB, {
			actor: actorOf(staff),
			action: "request.transcript",
			requestId: record.id,
			detail: { messages: entries.length },
		});
		const messages = entries.map((e) => ({
			direction: e.direction,
			at: e.at,
			messageId: e.messageId,
			kind: e.kind,
			text: e.text,
			state: e.state,
			delivery: e.delivery,
			error: e.error,
		}));
		return c.json({ messages }, 200);
	});
