/**
 * The shapes the console reads from the staff API's JSON answers: inferred from the API's own
 * schemas, so a change there shows here as a type error rather than a blank cell.
 *
 * @module
 */

import type { z } from "@hono/zod-openapi";
import type { StaffSchema } from "../staff/accounts/staff.routes";
import type * as areaRoutes from "../staff/areas/areas.routes";
import type * as complaintRoutes from "../staff/complaints/complaints.routes";
import type { DraftSchema, SubmittedSchema } from "../staff/filing/filing.routes";
import type * as handoffRoutes from "../staff/handoffs/handoffs.routes";
import type { SummarySchema } from "../staff/report-summary/report-summary.routes";
import type {
	RequestDetailSchema,
	RequestListSchema,
	TranscriptSchema,
} from "../staff/requests/requests.schemas";
import type * as skmRoutes from "../staff/skm/skm.routes";

export type RequestList = z.infer<typeof RequestListSchema>;
export type RequestSummary = RequestList["items"][number];
export type RequestDetail = z.infer<typeof RequestDetailSchema>;
export type Transcript = z.infer<typeof TranscriptSchema>;
export type Staff = z.infer<typeof StaffSchema>;
export type StaffWithToken = Staff & { token: string };
export type Summary = z.infer<typeof SummarySchema>;
export type FilingDraft = z.infer<typeof DraftSchema>;
export type FiledRequest = z.infer<typeof SubmittedSchema>;

/** One service as `GET /services` lists it (the fields the console uses). */
export interface ServiceStandard {
	code: string;
	label: { id: string; en: string };
	active: boolean;
	/** The variants a filing names (`GET /services` lists them). */
	variants: { code: string; label: { id: string; en: string } }[];
}

/** One row of `GET /audit`. */
export interface AuditEntry {
	id: string;
	at: number;
	actor: string;
	action: string;
	requestId: string | null;
	detail: Record<string, unknown>;
}

/** One row of `GET /dead-letters`. */
export interface AccountAlert {
	id: number;
	at: number;
	accountId: string;
	field: string;
	event: string;
	detail: Record<string, unknown>;
}

export interface DeadLetter {
	id: string;
	kind: string;
	requestId: string | null;
	error: string;
	attempts: number;
	state: string;
	firstAttemptAt: number;
	lastAttemptAt: number;
	retriedAt: number | null;
}

/** The JSON body a route answers with `status`, inferred from the route's own schema. */
type Answer<
	R extends { responses: Record<number, unknown> },
	S extends keyof R["responses"],
> = R["responses"][S] extends {
	content: { "application/json": { schema: infer T extends z.ZodType } };
}
	? z.infer<T>
	: never;

export type ComplaintList = Answer<typeof complaintRoutes.list, 200>;
export type ComplaintSummary = ComplaintList["complaints"][number];
export type Complaint = Answer<typeof complaintRoutes.detail, 200>;
export type ComplaintSettings = Answer<typeof complaintRoutes.settings, 200>;
export type QueuedReply = Answer<typeof complaintRoutes.reply, 202>;
export type HandoffList = Answer<typeof handoffRoutes.list, 200>;
export type Handoff = HandoffList["handoffs"][number];
export type HandoffMessages = Answer<typeof handoffRoutes.messages, 200>;
export type SkmReport = Answer<typeof skmRoutes.skmReport, 200>;
export type Area = Answer<typeof areaRoutes.list, 200>["areas"][number];
