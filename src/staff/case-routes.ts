import { createRoute, z } from "@hono/zod-openapi";
import type { StaffNotice } from "../conversation/notices";
import { fieldProblem, Problem } from "../http/problem";
import { log } from "../log";
import { REQUEST_STATUSES, requiresReason } from "../requests/statuses";
import { transitionRequest } from "../requests/transitions";
import { auditStatement } from "./audit";
import { actorOf, requireRole, type StaffPrincipal } from "./auth";
import { type CaseRow, conversationName, conversationOf, loadCase } from "./case-access";
import { MAX_RESULT_BYTES, storeResultPdf } from "./result-upload";
import { createRouter } from "./router";
import { conflict, errorResponses, IdParamSchema, notFound, problemResponse } from "./schemas";

const bearer = [{ bearer: [] }];

const TransitionSchema = z
	.strictObject({
		to: z.enum(REQUEST_STATUSES).openapi({ example: "needs_revision" }),
		reason: z
			.string()
			.trim()
			.min(3)
			.max(500)
			.optional()
			.openapi({ example: "Foto KK buram, mohon foto ulang dengan terang." }),
		documents: z
			.array(z.string().min(1).max(60))
			.min(1)
			.max(20)
			.optional()
			.openapi({
				example: ["kk"],
				description: "For needs_revision: the document codes to send again.",
			}),
		version: z.number().int().min(1).optional().openapi({
			example: 1,
			description: "The version you saw; a request changed since answers 409.",
		}),
	})
	.openapi("Transition");

const TransitionResultSchema = z
	.object({
		id: z.string(),
		ticket: z.string(),
		from: z.enum(REQUEST_STATUSES),
		to: z.enum(REQUEST_STATUSES),
		version: z.number().int(),
		residentNotified: z.boolean().openapi({
			description:
				"False when the request has no WhatsApp resident, or the notice could not be queued.",
		}),
	})
	.openapi("TransitionResult");

const transition = createRoute({
	method: "post",
	path: "/requests/{id}/transitions",
	tags: ["Requests"],
	summary: "Move a request to another status (tells the resident)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: TransitionSchema } }, required: true },
	},
	responses: {
		200: {
			description: "Moved.",
			content: { "application/json": { schema: TransitionResultSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The move is not allowed from the current status, or the request changed meanwhile.",
		),
	},
});

const NoteSchema = z
	.strictObject({
		text: z
			.string()
			.trim()
			.min(1)
			.max(2000)
			.openapi({ example: "Sudah dicek ke SIAK, data cocok." }),
	})
	.openapi("NewNote");
const NoteResultSchema = z
	.object({ id: z.string(), at: z.number().int(), author: z.string(), text: z.string() })
	.openapi("Note");

const addNote = createRoute({
	method: "post",
	path: "/requests/{id}/notes",
	tags: ["Requests"],
	summary: "Add an internal note (never shown to the resident)",
	security: bearer,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: NoteSchema } }, required: true },
	},
	responses: {
		201: { description: "Added.", content: { "application/json": { schema: NoteResultSchema } } },
		...errorResponses,
		...notFound,
	},
});

const MessageSchema = z
	.strictObject({
		text: z
			.string()
			.trim()
			.min(1)
			.max(3000)
			.openapi({ example: "Mohon datang ke kantor hari Senin untuk perekaman." }),
	})
	.openapi("NewMessage");
const QueuedSchema = z.object({ queued: z.literal(true), noticeId: z.string() }).openapi("Queued");

const sendMessage = createRoute({
	method: "post",
	path: "/requests/{id}/messages",
	tags: ["Requests"],
	summary: "Write to the resident on WhatsApp (only inside the 24-hour window)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: MessageSchema } }, required: true },
	},
	responses: {
		202: {
			description: "Queued for sending.",
			content: { "application/json": { schema: QueuedSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The 24-hour window is closed (a template is needed), or the request has no WhatsApp resident.",
		),
	},
});

const ResultSchema = z
	.object({
		attachmentId: z.string(),
		size: z.number().int(),
		sha256: z.string(),
		queued: z.boolean(),
	})
	.openapi("ResultUpload");

const putResult = createRoute({
	method: "put",
	path: "/requests/{id}/result",
	tags: ["Requests"],
	summary: "Attach the finished document (PDF, at most 20 MB) and send it to the resident",
	description:
		"The body is the PDF itself (`Content-Type: application/pdf`, with `Content-Length`). It is streamed to storage, uploaded to WhatsApp and sent as a document whose caption names the ticket. Sending again is allowed.",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: {
			content: {
				"application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) },
			},
			required: true,
		},
	},
	responses: {
		201: {
			description: "Stored, and queued for the resident.",
			content: { "application/json": { schema: ResultSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The service gives a printed card: send a pick-up notice instead."),
		411: problemResponse("No Content-Length."),
		413: problemResponse(`Larger than ${MAX_RESULT_BYTES} bytes.`),
		415: problemResponse("Not a PDF."),
	},
});

const PickupSchema = z
	.strictObject({
		place: z.string().trim().min(3).max(200).openapi({ example: "Kantor Kelurahan Gunung Kemala" }),
		from: z
			.string()
			.trim()
			.min(3)
			.max(100)
			.openapi({ example: "Senin, 1 Desember 2026 pukul 09.00" }),
	})
	.openapi("Pickup");

const pickup = createRoute({
	method: "post",
	path: "/requests/{id}/pickup",
	tags: ["Requests"],
	summary: "Tell the resident where and from when to pick up a printed card (KTP-el, KIA)",
	security: bearer,
	middleware: [requireRole("admin", "officer")] as const,
	request: {
		params: IdParamSchema,
		body: { content: { "application/json": { schema: PickupSchema } }, required: true },
	},
	responses: {
		202: {
			description: "Queued for sending.",
			content: { "application/json": { schema: QueuedSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict("The service gives a PDF, not a card, or the request has no WhatsApp resident."),
	},
});

function noticeBase(row: CaseRow, noticeId: string) {
	return {
		noticeId,
		requestId: row.id,
		ticket: row.ticket,
		serviceCode: row.service_code,
		variantCode: row.variant_code,
	};
}

/** Queues a notice on the resident's object; retried a few times, since the change is committed. */
async function tell(env: Env, row: CaseRow, notice: StaffNotice): Promise<boolean> {
	const stub = conversationOf(env, row);
	if (stub === null) return false;
	for (let attempt = 1; attempt <= 3; attempt++) {
		try {
			await stub.notify(notice);
			return true;
		} catch (error) {
			log.error("staff.notify_failed", {
				requestId: row.id,
				attempt,
				error: error instanceof Error ? error.message : String(error),
			});
		}
	}
	return false;
}

async function requirementCodes(db: D1Database, row: CaseRow): Promise<string[]> {
	const { results } = await db
		.prepare("SELECT doc_code FROM requirements WHERE service_code = ? AND variant_code = ?")
		.bind(row.service_code, row.variant_code)
		.all<{ doc_code: string }>();
	return results.map((r) => r.doc_code);
}

/** The resident's Conversation object; 409 for a request not made over WhatsApp. */
function whatsappResident(env: Env, row: CaseRow) {
	const stub = conversationOf(env, row);
	if (stub === null) {
		throw new Problem(
			409,
			"no-whatsapp",
			"No WhatsApp resident",
			"This request was not made over WhatsApp.",
		);
	}
	return stub;
}

export const caseRoutes = createRouter()
	.openapi(transition, async (c) => {
		const staff: StaffPrincipal = c.get("staff");
		const body = c.req.valid("json");
		const row = await loadCase(c.env.DB, c.req.valid("param").id, staff);
		if (requiresReason(body.to) && body.reason === undefined) {
			throw fieldProblem("body.reason", `required when moving to ${body.to}`);
		}
		if (body.to === "needs_revision") {
			if (body.documents === undefined)
				throw fieldProblem("body.documents", "required when moving to needs_revision");
			const known = await requirementCodes(c.env.DB, row);
			const unknown = body.documents.filter((code) => !known.includes(code));
			if (unknown.length > 0) {
				throw fieldProblem(
					"body.documents",
					`not documents of this service: ${unknown.join(", ")} (known: ${known.join(", ")})`,
				);
			}
		} else if (body.documents !== undefined) {
			throw fieldProblem("body.documents", "only for needs_revision");
		}
		const eventId = crypto.randomUUID();
		const notice: StaffNotice = {
			...noticeBase(row, eventId),
			kind: "status",
			status: body.to,
			...(body.reason ? { reason: body.reason } : {}),
			...(body.documents ? { documents: body.documents } : {}),
		};
		const conversation = conversationName(row);
		const outcome = await transitionRequest(c.env.DB, {
			requestId: row.id,
			to: body.to,
			...(body.reason ? { reason: body.reason } : {}),
			...(body.documents ? { documents: body.documents } : {}),
			actor: actorOf(staff),
			...(body.version !== undefined ? { expectedVersion: body.version } : {}),
			eventId,
			...(conversation ? { notice: { id: eventId, conversation, payload: notice } } : {}),
		});
		if (!outcome.ok) {
			if (outcome.problem === "not_found")
				throw new Problem(404, "not-found", "Not found", "No such request.");
			if (outcome.problem === "illegal") {
				throw new Problem(
					409,
					"illegal-transition",
					"Move not allowed",
					`A request in ${outcome.from} cannot move to ${body.to}.`,
					{
						extensions: { from: outcome.from, to: body.to },
					},
				);
			}
			throw new Problem(
				409,
				"conflict",
				"Changed meanwhile",
				"The request changed since you loaded it; reload and try again.",
				{
					extensions: { from: outcome.from },
				},
			);
		}
		const notified = await tell(c.env, row, notice);
		// Queued by the object: the copy kept for redelivery is no longer needed.
		if (notified)
			await c.env.DB.prepare("DELETE FROM pending_notices WHERE id = ?").bind(eventId).run();
		return c.json(
			{
				id: row.id,
				ticket: row.ticket,
				from: outcome.from,
				to: outcome.to,
				version: outcome.version,
				residentNotified: notified,
			},
			200,
		);
	})
	.openapi(addNote, async (c) => {
		const staff = c.get("staff");
		const row = await loadCase(c.env.DB, c.req.valid("param").id, staff);
		const note = {
			id: crypto.randomUUID(),
			at: Date.now(),
			author: actorOf(staff),
			text: c.req.valid("json").text,
		};
		await c.env.DB.batch([
			c.env.DB.prepare(
				"INSERT INTO request_notes (id, request_id, at, author, text) VALUES (?, ?, ?, ?, ?)",
			).bind(note.id, row.id, note.at, note.author, note.text),
			auditStatement(
				c.env.DB,
				{
					actor: note.author,
					action: "request.note",
					requestId: row.id,
					detail: { noteId: note.id },
				},
				note.at,
			),
		]);
		return c.json(note, 201);
	})
	.openapi(sendMessage, async (c) => {
		const staff = c.get("staff");
		const row = await loadCase(c.env.DB, c.req.valid("param").id, staff);
		const state = await whatsappResident(c.env, row).caseState(row.id);
		if (!state.windowOpenUntil) {
			throw new Problem(
				409,
				"window-closed",
				"WhatsApp window closed",
				"The resident has not written in the last 24 hours: WhatsApp only allows an approved template now. Change the status (the template carries it), or wait for the resident to write.",
			);
		}
		const noticeId = crypto.randomUUID();
		const queued = await tell(c.env, row, {
			...noticeBase(row, noticeId),
			kind: "message",
			text: c.req.valid("json").text,
		});
		if (!queued)
			throw new Problem(503, "unavailable", "Try again", "The message could not be queued.");
		await c.env.DB.batch([
			auditStatement(c.env.DB, {
				actor: actorOf(staff),
				action: "request.message",
				requestId: row.id,
				detail: { noticeId },
			}),
		]);
		return c.json({ queued: true as const, noticeId }, 202);
	})
	.openapi(putResult, async (c) => {
		const staff = c.get("staff");
		const row = await loadCase(c.env.DB, c.req.valid("param").id, staff);
		if (row.result_kind === "card") {
			throw new Problem(
				409,
				"card-service",
				"Printed card",
				"This service gives a printed card: send a pick-up notice instead.",
			);
		}
		const attachmentId = crypto.randomUUID();
		const key = `results/${row.id}/${attachmentId}.pdf`;
		const stored = await storeResultPdf(c.env.FILES, key, c.req.raw, {
			requestId: row.id,
			uploadedBy: actorOf(staff),
		});
		const fileName = `${row.ticket}.pdf`;
		const now = Date.now();
		await c.env.DB.batch([
			c.env.DB.prepare(
				`INSERT INTO attachments (id, request_id, doc_code, r2_key, mime_type, size, sha256, file_name, message_id, state, created_at)
				 VALUES (?, ?, 'hasil', ?, 'application/pdf', ?, ?, ?, NULL, 'active', ?)`,
			).bind(attachmentId, row.id, key, stored.size, stored.sha256, fileName, now),
			auditStatement(c.env.DB, {
				actor: actorOf(staff),
				action: "result.upload",
				requestId: row.id,
				detail: { attachmentId, size: stored.size },
			}),
		]);
		let queued = false;
		const stub = conversationOf(c.env, row);
		if (stub !== null) {
			try {
				await stub.sendResult({
					sendId: attachmentId,
					requestId: row.id,
					ticket: row.ticket,
					key,
					size: stored.size,
					fileName,
				});
				queued = true;
			} catch (error) {
				log.error("staff.result_queue_failed", {
					requestId: row.id,
					error: error instanceof Error ? error.message : String(error),
				});
			}
		}
		return c.json({ attachmentId, size: stored.size, sha256: stored.sha256, queued }, 201);
	})
	.openapi(pickup, async (c) => {
		const staff = c.get("staff");
		const row = await loadCase(c.env.DB, c.req.valid("param").id, staff);
		if (row.result_kind !== "card") {
			throw new Problem(
				409,
				"pdf-service",
				"Not a card service",
				"This service gives a PDF: attach it with PUT /result.",
			);
		}
		whatsappResident(c.env, row);
		const body = c.req.valid("json");
		const noticeId = crypto.randomUUID();
		const queued = await tell(c.env, row, {
			...noticeBase(row, noticeId),
			kind: "pickup",
			place: body.place,
			from: body.from,
		});
		if (!queued)
			throw new Problem(503, "unavailable", "Try again", "The notice could not be queued.");
		await auditStatement(c.env.DB, {
			actor: actorOf(staff),
			action: "request.pickup",
			requestId: row.id,
			detail: { noticeId },
		}).run();
		return c.json({ queued: true as const, noticeId }, 202);
	});
