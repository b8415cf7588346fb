/**
 * The schemas of reading requests: the queue's filters and page, one request's detail, its files
 * and its transcript. Their names are the OpenAPI document's components.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { normalizePhone } from "../../requests/phone";
import { nikSearchText } from "../../requests/queue";
import { REQUEST_STATUSES } from "../../requests/statuses";
import { CursorQuery, idParam, LimitQuery, OfficeDateQuery, timeBoundQuery } from "../schemas";

const AreaCode = z.string().regex(/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/, "must be an area code");

const Millis = z.number().int();

/** An office-local date (the office's time zone). */
const OfficeDate = z.string().openapi({ description: "YYYY-MM-DD in the office's time zone." });

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
		queueDate: OfficeDate.nullable().openapi({ example: "2026-12-11" }),
		dueDate: OfficeDate.nullable().openapi({ example: "2026-12-14" }),
		channel: z.enum(["whatsapp", "kelurahan"]).openapi({ example: "whatsapp" }),
		daysLate: z.number().int().nullable().openapi({
			example: null,
			description:
				"Working days past the due date, for an open request that is late: at least 1 once the due date has passed (on a closed day right after it too), as `overdue` lists it.",
		}),
		whatsapp: z
			.object({
				windowOpenUntil: Millis.nullable().openapi({
					example: 1795986400000,
					description: "End of the 24-hour window for free text; null when closed.",
				}),
			})
			.nullable()
			.optional()
			.openapi({
				description:
					"Only with `include=window`: the resident's chat (null for a request filed without one).",
			}),
	})
	.openapi("RequestSummary");

export const RequestListSchema = z
	.object({
		items: z.array(RequestSummarySchema),
		nextCursor: z.string().nullable().openapi({ example: "MTc5NTkwMDAwMDAwMDowZDlhM2M1ZQ" }),
	})
	.openapi("RequestList");

/** The filters the list and the search share (`q`, `nik` and `phone` aside). */
const filterFields = {
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
	overdue: z
		.enum(["true", "false"], { error: "must be true or false" })
		.optional()
		.transform((flag) => (flag === undefined ? undefined : flag === "true"))
		.openapi({
			example: "true",
			description:
				"`true`: only open requests past their due date (not those in needs_revision: their clock is stopped).",
		}),
	dueBefore: OfficeDateQuery.openapi({
		example: "2026-12-15",
		description: "Only requests due before this office-local date (exclusive).",
	}),
	sort: z.enum(["created", "due"]).default("created").openapi({
		example: "due",
		description: "`created` (default): newest first; `due`: earliest due date first, none last.",
	}),
	limit: LimitQuery,
	cursor: CursorQuery,
	include: z.enum(["window"]).optional().openapi({
		example: "window",
		description:
			"`window`: each item's WhatsApp window too (one look at each resident's chat; not audited as a view).",
	}),
};

export const ListQuerySchema = z.object({
	...filterFields,
	q: z.string().max(100).optional().openapi({
		example: "PBM-261128-0042",
		description:
			"A ticket code or the start of the resident's name. A NIK or phone number is refused here (a URL ends up in access logs): search those with `POST /requests/search`.",
	}),
});

/** A NIK in a search body: 16 digits, separators allowed. */
const NikSearch = z
	.string()
	.max(40)
	.transform((text, ctx) => {
		const nik = nikSearchText(text);
		if (nik === null) {
			ctx.addIssue({ code: "custom", message: "must be 16 digits" });
			return z.NEVER;
		}
		return nik;
	})
	.openapi({ type: "string", example: "1674010101900001", description: "A NIK, matched exactly." });

/** A phone number in a search body, as a resident or an officer would write it. */
const PhoneSearch = z
	.string()
	.max(40)
	.transform((text, ctx) => {
		const phone = normalizePhone(text);
		if (phone === null) {
			ctx.addIssue({ code: "custom", message: "must be a phone number" });
			return z.NEVER;
		}
		return phone;
	})
	.openapi({
		type: "string",
		example: "0812-3456-7890",
		description: "A phone number (08..., +62..., 62...), matched exactly.",
	});

export const SearchBodySchema = z
	.strictObject({
		...filterFields,
		nik: NikSearch.optional(),
		phone: PhoneSearch.optional(),
		q: z.string().max(100).optional().openapi({
			example: "Siti",
			description:
				"A ticket code, a 16-digit NIK or a phone number (matched exactly), or the start of the resident's name.",
		}),
	})
	.refine((body) => [body.nik, body.phone, body.q].filter((v) => v !== undefined).length === 1, {
		message: "give exactly one of nik, phone or q",
		path: ["nik"],
	})
	.openapi("RequestSearch");

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
		optedOutSince: Millis.nullable().openapi({
			example: null,
			description:
				"When the resident said `berhenti`: nothing they did not ask for is sent, and notices wait for their next message. Null when they receive messages.",
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
		queueDate: OfficeDate.nullable().openapi({
			example: "2026-12-11",
			description: "The working day it queued for (after the service's daily quota).",
		}),
		queuePosition: z.number().int().nullable().openapi({ example: 12 }),
		dueDate: OfficeDate.nullable().openapi({
			example: "2026-12-14",
			description:
				"Queue date plus the service's time limit in working days, moved by the days spent in needs_revision.",
		}),
		daysLeft: z.number().int().nullable().openapi({
			example: 2,
			description: "Working days from today to the due date, for an open request not yet late.",
		}),
		daysLate: z.number().int().nullable().openapi({
			example: null,
			description:
				"Working days past the due date, for an open request that is late: at least 1 once the due date has passed (on a closed day right after it too), as `overdue` lists it.",
		}),
		resident: z.object({
			name: z.string().openapi({ example: "Siti Aminah" }),
			phone: z.string().nullable().openapi({ example: "6281234567890" }),
			nik: z.string().openapi({ example: "1674015203900001" }),
			nikWarnings: z.array(z.string()).openapi({ example: [] }),
			channel: z.enum(["whatsapp", "kelurahan"]).openapi({ example: "whatsapp" }),
			filedBy: z.string().nullable().openapi({
				example: null,
				description: "The staff id of who filed it for the resident; null for WhatsApp.",
			}),
			residentId: z.string().nullable().openapi({ example: "6281234567890" }),
		}),
		subject: z
			.object({
				kind: z.enum(["baby_name", "child_nik", "deceased_nik", "move_details"]).openapi({
					example: "deceased_nik",
				}),
				nik: z.string().nullable().openapi({ example: "1674010101500003" }),
				text: z.string().nullable().openapi({ example: null }),
			})
			.nullable()
			.openapi({
				description:
					"Whom the request is about when it is not the applicant (`resident`): the baby's name (akta kelahiran), the child's NIK (KIA), the deceased's NIK (akta kematian), or where to and who moves (surat pindah). Null when the applicant's own.",
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

export const TranscriptSchema = z
	.object({ messages: z.array(TranscriptEntrySchema) })
	.openapi("Transcript");

/** The `{id}` of a request: its id or its ticket code. */
export const RequestParamsSchema = idParam({
	example: "PBM-261128-0042",
	description: "The request's id or its ticket code.",
});

export const AttachmentParamsSchema = RequestParamsSchema.extend({
	attachmentId: z
		.string()
		.min(1)
		.max(300)
		.openapi({
			param: { name: "attachmentId", in: "path" },
			example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90:kk:wamid.HBgL",
		}),
});
