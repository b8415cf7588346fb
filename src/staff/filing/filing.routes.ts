/**
 * The OpenAPI routes of filing for a resident (issue 11): a draft in nobody's queue, its files
 * uploaded one per call, then the submission that queues it like a WhatsApp request, with
 * `channel: "kelurahan"` and the filing staff member. Admins, officers and kelurahan operators
 * (in their own areas).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import {
	bearer,
	conflict,
	errorResponses,
	idParam,
	notFound,
	phoneField,
	problemResponse,
} from "../schemas";

const LabelsSchema = z.object({ id: z.string(), en: z.string() });

const NewFilingSchema = z
	.strictObject({
		service: z.string().min(1).max(60).openapi({ example: "legalisir" }),
		variant: z.string().min(1).max(60).optional().openapi({
			example: "umum",
			description: "Required when the service has more than one variant.",
		}),
		resident: z.strictObject({
			nik: z.string().min(1).max(40).openapi({ example: "1674015203900001" }),
			name: z.string().trim().min(2).max(100).openapi({ example: "Siti Aminah" }),
			phone: phoneField("0812...", {
				example: "081234567890",
				description: "The resident's WhatsApp number, if they have one; stored as E.164 digits.",
			}),
		}),
		kelurahan: z
			.string()
			.regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, "must be an area code such as 16.74.01.1001")
			.openapi({ example: "16.74.01.1001" }),
		consent: z.boolean().optional().openapi({
			example: true,
			description:
				"The resident agreed that the operator files and holds their papers: must be true (422 otherwise).",
		}),
		language: z.enum(["id", "en"]).default("id").openapi({
			example: "id",
			description: "The resident's language for notices.",
		}),
	})
	.openapi("NewFiling");

const FiledFileSchema = z
	.object({
		id: z.string().openapi({ example: "0b9d2f7e-3c61-4f0e-9a51-2f2c1d9e7a10" }),
		docCode: z.string().openapi({ example: "dokumen_legalisir" }),
		mimeType: z.string().openapi({ example: "application/pdf" }),
		size: z.number().int().openapi({ example: 48213 }),
		sha256: z
			.string()
			.openapi({ example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }),
		createdAt: z.number().int(),
	})
	.openapi("FiledFile");

export const DraftSchema = z
	.object({
		id: z.string().openapi({ example: "6f1d2c1e-9a8b-4c3d-8e7f-1a2b3c4d5e6f" }),
		status: z.literal("draft"),
		service: z.string().openapi({ example: "legalisir" }),
		variant: z.string().openapi({ example: "umum" }),
		kelurahan: z.string().openapi({ example: "16.74.01.1001" }),
		filedBy: z.string().openapi({ example: "5f0c1b9e-8a43-4a55-9a39-5b0d7f6a2c11" }),
		createdAt: z.number().int(),
		documents: z.array(
			z.object({
				code: z.string().openapi({ example: "dokumen_legalisir" }),
				label: LabelsSchema,
				required: z.boolean(),
				acceptedTypes: z.array(z.string()).openapi({ example: ["application/pdf"] }),
				maxBytes: z.number().int(),
				files: z.array(FiledFileSchema),
			}),
		),
		missing: z.array(z.string()).openapi({
			example: ["dokumen_legalisir"],
			description: "Required documents without a file yet.",
		}),
	})
	.openapi("FilingDraft");

export const create = createRoute({
	method: "post",
	path: "/requests",
	operationId: "fileRequest",
	tags: ["Filing"],
	summary: "Start a request for a resident (a draft, in nobody's queue until submitted)",
	description:
		"For residents who cannot file themselves. A kelurahan operator may file only in their own areas (403 otherwise, nothing written). The NIK gets the same checks as in the WhatsApp dialogue.",
	security: bearer,
	request: {
		body: { content: { "application/json": { schema: NewFilingSchema } }, required: true },
	},
	responses: {
		201: { description: "The draft.", content: { "application/json": { schema: DraftSchema } } },
		...errorResponses,
		422: problemResponse("The resident's consent (`consent: true`) is missing."),
	},
});

export const getDraft = createRoute({
	method: "get",
	path: "/requests/{id}/draft",
	operationId: "getFilingDraft",
	tags: ["Filing"],
	summary: "Read a draft: its document checklist, the files uploaded so far and what is missing",
	description:
		"What a client shows between the uploads (the staff console's draft page). 409 with the `ticket` once it was submitted.",
	security: bearer,
	request: {
		params: idParam({
			example: "6f1d2c1e-9a8b-4c3d-8e7f-1a2b3c4d5e6f",
			description: "The draft's id.",
		}),
	},
	responses: {
		200: { description: "The draft.", content: { "application/json": { schema: DraftSchema } } },
		...errorResponses,
		...notFound,
		...conflict("The request was already submitted (`ticket` names it)."),
	},
});

const DocumentParams = idParam({
	example: "6f1d2c1e-9a8b-4c3d-8e7f-1a2b3c4d5e6f",
	description: "The draft's id.",
}).extend({
	docCode: z
		.string()
		.min(1)
		.max(60)
		.openapi({ param: { name: "docCode", in: "path" }, example: "dokumen_legalisir" }),
});

const DRAFT_GONE =
	"The request was already submitted (also while the file was uploading: then the file was not kept): its documents can no longer change here.";

export const putDocument = createRoute({
	method: "put",
	path: "/requests/{id}/documents/{docCode}",
	operationId: "uploadFiledDocument",
	tags: ["Filing"],
	summary:
		"Add one file to a draft's document, or a corrected paper of a filed request in needs_revision (raw bytes with their Content-Type)",
	description:
		"One file per call, streamed to storage with the checks of a WhatsApp upload: the type by its first bytes, the catalog's size limit for the document, SHA-256 recorded. Several files per document are allowed; the same bytes again (a retried upload) answer the file already stored, with 200.",
	security: bearer,
	request: {
		params: DocumentParams,
		body: {
			content: {
				"application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) },
				"image/jpeg": { schema: z.string().openapi({ type: "string", format: "binary" }) },
				"image/png": { schema: z.string().openapi({ type: "string", format: "binary" }) },
			},
			required: true,
		},
	},
	responses: {
		200: {
			description: "The same bytes were already stored for this document: that file.",
			content: { "application/json": { schema: FiledFileSchema } },
		},
		201: { description: "Stored.", content: { "application/json": { schema: FiledFileSchema } } },
		...errorResponses,
		...notFound,
		...conflict(DRAFT_GONE),
		411: problemResponse("No Content-Length."),
		413: problemResponse("Larger than the document's size limit."),
		415: problemResponse("A type the document does not accept, or content that is not its type."),
	},
});

export const deleteDocument = createRoute({
	method: "delete",
	path: "/requests/{id}/documents/{docCode}",
	operationId: "deleteFiledDocument",
	tags: ["Filing"],
	summary: "Remove a draft's file (`fileId`), or every file of the document",
	security: bearer,
	request: {
		params: DocumentParams,
		query: z.object({
			fileId: z.string().min(1).max(100).optional().openapi({
				example: "0b9d2f7e-3c61-4f0e-9a51-2f2c1d9e7a10",
				description: "The file to remove; without it, every file of the document.",
			}),
		}),
	},
	responses: {
		204: { description: "Removed (or already gone)." },
		...errorResponses,
		...notFound,
		...conflict(DRAFT_GONE),
	},
});

export const SubmittedSchema = z
	.object({
		id: z.string(),
		ticket: z.string().openapi({ example: "PBM-261202-0007" }),
		status: z.string().openapi({ example: "submitted" }),
		channel: z.literal("kelurahan"),
		filedBy: z.string().nullable(),
		queueDate: z.string().nullable().openapi({ example: "2026-12-02" }),
		dueDate: z.string().nullable().openapi({ example: "2026-12-04" }),
	})
	.openapi("FiledRequest");

export const submit = createRoute({
	method: "post",
	path: "/requests/{id}/submit",
	operationId: "submitFiledRequest",
	tags: ["Filing"],
	summary: "Submit a draft: it enters the queue with a ticket (idempotent)",
	description:
		"422 lists the required documents still missing. A repeated submit answers the same ticket with 200.",
	security: bearer,
	request: {
		params: idParam({
			example: "6f1d2c1e-9a8b-4c3d-8e7f-1a2b3c4d5e6f",
			description: "The draft's id.",
		}),
	},
	responses: {
		200: {
			description: "Already submitted: the same ticket.",
			content: { "application/json": { schema: SubmittedSchema } },
		},
		201: {
			description: "Submitted.",
			content: { "application/json": { schema: SubmittedSchema } },
		},
		...errorResponses,
		...notFound,
		422: problemResponse("Required documents are missing (`missing` names them)."),
	},
});

export type CreateRoute = typeof create;
export type GetDraftRoute = typeof getDraft;
export type PutDocumentRoute = typeof putDocument;
export type DeleteDocumentRoute = typeof deleteDocument;
export type SubmitRoute = typeof submit;
