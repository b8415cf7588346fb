/**
 * The OpenAPI routes of the dead letters (admin only): residents' jobs that had all their tries,
 * and retrying one.
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { DEAD_LETTER_STATES } from "../../requests/dead-letters";
import { requireRole } from "../auth";
import {
	bearer,
	CursorQuery,
	conflict,
	errorResponses,
	idParam,
	LimitQuery,
	notFound,
} from "../schemas";

const DeadLetterQuerySchema = z.object({
	state: z
		.enum(DEAD_LETTER_STATES)
		.optional()
		.openapi({ example: "open", description: "Only dead letters in this state." }),
	limit: LimitQuery,
	cursor: CursorQuery,
});

const Millis = z.number().int();

const DeadLetterSchema = z
	.object({
		id: z.string().openapi({ example: "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b" }),
		kind: z.string().openapi({
			example: "submit",
			description:
				"The job: submit, resubmit, cancel, status, handoff, handoff_end, handoff_expire, handoff_reply, handoff_file, handoff_close, complaint, complaint_reply, notice, result, download or discard; `send`: a message to the resident that WhatsApp kept refusing (a retry sends it again); `notice_handover` or `result_handover`: a staff notice or finished document for the request that could not be handed to the resident's conversation for about an hour (12 tries over at least 50 minutes; the request's later notices wait behind it; a retry hands them over, in order).",
		}),
		requestId: z.string().nullable().openapi({
			example: "0d9a3c5e-4b1f-4c8e-9a57-2f1e6b7c8d90",
			description: "The request (for `submit`, the draft's future request id) it was for, if any.",
		}),
		error: z.string().openapi({
			example: "ConfigError: Setting OFFICE_CODE must be 2-10 capital letters or digits",
			description: "The last failure, with numbers and message ids masked.",
		}),
		attempts: z.number().int().openapi({ example: 12 }),
		firstAttemptAt: Millis.openapi({ example: 1795900000000 }),
		lastAttemptAt: Millis.openapi({ example: 1795903000000 }),
		state: z.enum(DEAD_LETTER_STATES).openapi({
			example: "open",
			description: "open: waiting for an admin; retried: queued again (failing again reopens it).",
		}),
		retriedAt: Millis.nullable().openapi({ example: null }),
	})
	.openapi("DeadLetter");

const DeadLetterListSchema = z
	.object({
		items: z.array(DeadLetterSchema),
		nextCursor: z.string().nullable().openapi({
			example: null,
			description: "Pass as `cursor` for the next page; null on the last page.",
		}),
	})
	.openapi("DeadLetterList");

export const list = createRoute({
	method: "get",
	path: "/dead-letters",
	operationId: "listDeadLetters",
	tags: ["Dead letters"],
	summary: "Residents' jobs that had all their tries (admin only)",
	description:
		"Submissions, notices, document sends and other work of a resident's conversation that failed past its attempt or age cap, newest failure first. The resident was told once that staff will follow up (not for `send`: a message WhatsApp kept refusing, after 12 tries over at least 50 minutes, or refused for good; nor for `notice_handover` and `result_handover`: a notice or document that never reached the resident's conversation, and is kept until retried). A letter is deleted once its conversation has been quiet 30 days after the job last failed (audited as `dead_letter.expired`; the job and the files only it needed go with it), 30 days after a retry that worked, or with an erasure of the resident (a hand-over's is not expired by the quiet conversation: it goes 30 days after a retry that worked, or with an erasure of the resident or of its request).",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: { query: DeadLetterQuerySchema },
	responses: {
		200: {
			description: "The dead letters.",
			content: { "application/json": { schema: DeadLetterListSchema } },
		},
		...errorResponses,
	},
});

export const retry = createRoute({
	method: "post",
	path: "/dead-letters/{id}/retry",
	operationId: "retryDeadLetter",
	tags: ["Dead letters"],
	summary: "Queue a dead letter's job again (admin only)",
	description:
		"Puts the job back in line in the resident's conversation, with fresh tries (for `send`, the message, sent again in its turn; for `notice_handover` and `result_handover`, the request's kept notices and documents are handed over again at once, in order, and by the cron if that fails). Idempotent: retrying a dead letter already queued again changes nothing. Audited as `dead_letter.retry`.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: { params: idParam({ example: "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b" }) },
	responses: {
		200: {
			description: "Queued again (now or by an earlier retry).",
			content: { "application/json": { schema: DeadLetterSchema } },
		},
		...errorResponses,
		...notFound,
		...conflict(
			"The conversation no longer holds the job (it finished after an earlier retry, or it expired a moment ago).",
		),
	},
});

export type ListRoute = typeof list;
export type RetryRoute = typeof retry;
