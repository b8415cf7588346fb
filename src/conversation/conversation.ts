import { DurableObject } from "cloudflare:workers";
import { type Catalog, findService, loadCatalog } from "../catalog/catalog";
import type {
	DeliveryStatus,
	InboundBatch,
	InboundContent,
	InboundMessage,
} from "../channel/events";
import type { OutboundMessage } from "../channel/messages";
import { settingsOf } from "../env";
import { deleteFiles } from "../files";
import { log, maskId } from "../log";
import { MeteredSql, meteredD1, meteredR2 } from "../metrics";
import { normalizePhone } from "../requests/phone";
import { residentRequestByTicket, residentRequests } from "../requests/queries";
import { resubmitDocuments } from "../requests/revision";
import { statusWords } from "../requests/statuses";
import { submitRequest } from "../requests/submit";
import { transitionRequest } from "../requests/transitions";
import { type GraphClient, graphClientFor } from "../whatsapp/graph-client";
import { GraphError } from "../whatsapp/graph-errors";
import { MessageLimitError } from "../whatsapp/outbound-messages";
import { backoffDelay } from "./backoff";
import {
	type DialogueEvent,
	type DialogueState,
	type DownloadJob,
	type Effect,
	initialState,
	nextTickAt,
	step,
} from "./dialogue";
import type { Draft, DraftFile } from "./dialogue-state";
import { storeMedia } from "./media-store";
import type { StaffNotice } from "./notices";
import { CONVERSATION_MIGRATIONS, KV_TABLE, PRE_RELEASE_TABLES } from "./schema";

/** What `receive` tells the webhook: how many messages were new. */
export interface ReceiveResult {
	accepted: number;
	duplicates: number;
	statuses: number;
}

/** What staff see of a conversation for one request. */
export interface CaseState {
	/** When the 24-hour window closes, if it is open now. */
	windowOpenUntil: number | null;
	/** Messages about the request waiting for the resident to write (window closed, no template). */
	waitingNotices: number;
	/** Messages about the request that could not be sent at all. */
	deadMessages: number;
}

/** One message of the staff's transcript of a request. */
export interface TranscriptEntry {
	direction: "in" | "out";
	at: number;
	messageId: string | null;
	kind: string;
	text: string | null;
	/** Outbound only: pending, sent, waiting or dead. */
	state: string | null;
	/** Outbound only: what WhatsApp last said (sent, delivered, read, failed). */
	delivery: string | null;
	error: string | null;
}

/** A document staff attached, to upload to WhatsApp and send. */
export interface ResultDelivery {
	sendId: string;
	requestId: string;
	ticket: string;
	key: string;
	size: number;
	fileName: string;
}

/** WhatsApp's customer-service window: free-form messages only within 24 h of the resident's last. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A message is handled once it is this old (by the resident's send time): Meta does not deliver in
 * order, so a message sent just before it can still overtake it. Late deliveries wait no longer.
 */
export const INBOX_HOLD_MS = 1000;
/** Sends are retried this many times before the message is kept as dead for staff. */
export const MAX_SEND_ATTEMPTS = 8;
/** Downloads are retried this many times before the resident is asked to send the file again. */
export const MAX_MEDIA_ATTEMPTS = 5;
/** One alarm run stops after this long and re-arms, so a busy conversation never starves. */
const ALARM_BUDGET_MS = 25_000;
const CATALOG_TTL_MS = 5 * 60_000;
let catalogCache: { catalog: Catalog; at: number } | undefined;
const DELIVERY_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

type JobKind =
	| "download"
	| "submit"
	| "status"
	| "handoff"
	| "discard"
	| "notice"
	| "result"
	| "resubmit"
	| "cancel";

type JobRow = {
	id: string;
	kind: JobKind;
	payload: string;
	attempts: number;
	next_at: number;
};

type OutboxRow = {
	seq: number;
	payload: string;
	state: string;
	attempts: number;
	next_at: number;
	notice: string | null;
};

/**
 * One resident's conversation with the office (name `<phone_number_id>:<resident id>`).
 *
 * `receive` only records (inbox, deduplicated by message id) and arms the alarm; `alarm` does the
 * work: each inbox message, then each job outcome, goes through the pure dialogue `step`, and the
 * new state, the inbox mark and the effects are written in one transaction. Effects are then
 * carried out from those tables (outbox, jobs), so a crash anywhere means a retry, not a loss.
 */
export class Conversation extends DurableObject<Env> {
	private readonly sql: MeteredSql;
	/** Storage bindings, counted for the benchmarks' cost figures. */
	private readonly db: D1Database;
	private readonly files: R2Bucket;
	/** Alarm runs, chained: a manual run (tests, or a future admin action) never overlaps another. */
	private draining: Promise<void> = Promise.resolve();

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.sql = new MeteredSql(ctx.storage.sql);
		this.db = meteredD1(env.DB);
		this.files = meteredR2(env.FILES);
		// Synchronous SQL only: blockConcurrencyWhile must never wait on I/O.
		void ctx.blockConcurrencyWhile(async () => this.migrate());
	}

	private migrate(): void {
		const sql = this.ctx.storage.sql;
		const preRelease = sql
			.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
			.toArray().length;
		if (preRelease > 0) {
			for (const table of PRE_RELEASE_TABLES) sql.exec(`DROP TABLE IF EXISTS ${table}`);
		}
		sql.exec(KV_TABLE);
		const applied = Number(this.recall("schema_version") ?? "0");
		CONVERSATION_MIGRATIONS.forEach((statement, index) => {
			const version = index + 1;
			if (version <= applied) return;
			this.ctx.storage.transactionSync(() => {
				sql.exec(statement);
				this.remember("schema_version", String(version));
			});
		});
	}

	// ---- ingress ---------------------------------------------------------------------------

	/**
	 * Records a resident's share of a webhook delivery and arms the alarm that will handle it.
	 * Idempotent: a message id seen before is ignored, so Meta's redeliveries are harmless.
	 * Resolves only once the rows are durable (the output gate holds the reply until then).
	 */
	async receive(batch: InboundBatch): Promise<ReceiveResult> {
		const now = Date.now();
		let accepted = 0;
		let resend = false;
		this.ctx.storage.transactionSync(() => {
			this.remember("channel", batch.channel);
			this.remember("business_id", batch.businessId);
			this.remember("resident_id", batch.residentId);
			if (batch.profileName !== undefined) this.remember("profile_name", batch.profileName);
			batch.messages.forEach((message, position) => {
				if (this.recordMessage(message, now, position)) accepted++;
			});
			for (const status of batch.statuses) {
				if (this.recordStatus(status, now)) resend = true;
			}
		});
		if (accepted > 0 || resend) {
			const due = batch.messages.map((m) => m.sentAt + INBOX_HOLD_MS);
			await this.armAlarm(due.length > 0 ? Math.max(now, Math.min(...due)) : now);
		}
		this.sql.settle();
		return {
			accepted,
			duplicates: batch.messages.length - accepted,
			statuses: batch.statuses.length,
		};
	}

	private remember(key: string, value: string): void {
		this.sql.exec(
			// Unchanged values write nothing: most deliveries repeat the same identity.
			"INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE kv.value IS NOT excluded.value",
			key,
			value,
		);
	}

	private recall(key: string): string | undefined {
		return this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0]
			?.value;
	}

	private recordMessage(message: InboundMessage, now: number, position: number): boolean {
		const cursor = this.sql.exec(
			`INSERT INTO inbox (message_id, sent_at, received_at, arrival, event) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (message_id) DO NOTHING`,
			message.id,
			message.sentAt,
			now,
			now * 1000 + position,
			JSON.stringify(message.content),
		);
		return cursor.rowsWritten > 0;
	}

	/**
	 * Keeps every status (with its errors) and moves the outbox row's delivery state forward only
	 * (statuses arrive out of order). True when a message must be re-sent: a 131047 failure.
	 */
	private recordStatus(status: DeliveryStatus, now: number): boolean {
		const inserted = this.sql.exec(
			`INSERT INTO delivery_statuses (message_id, state, at, errors, received_at)
			 VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, state) DO NOTHING`,
			status.messageId,
			status.state,
			status.at,
			JSON.stringify(status.errors),
			now,
		).rowsWritten;
		if (inserted === 0) return false;
		const rank = DELIVERY_RANK[status.state] ?? 0;
		this.sql.exec(
			`UPDATE outbox SET delivery = ? WHERE wamid = ?
			 AND coalesce((CASE delivery WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 END), 0) < ?`,
			status.state,
			status.messageId,
			rank,
		);
		if (status.state !== "failed") return false;
		const codes = status.errors.map((error) => error.code);
		log.warn("conversation.delivery_failed", {
			resident: maskId(this.recall("resident_id") ?? ""),
			codes: codes.join(","),
		});
		if (!codes.includes(131047)) return false;
		// The window had closed after all: keep the message for when it reopens, and nudge by template.
		const updated = this.sql.exec(
			"UPDATE outbox SET state = 'waiting', last_error = 'window closed (131047)' WHERE wamid = ?",
			status.messageId,
		).rowsWritten;
		if (updated > 0) this.remember("nudge_due", "1");
		return updated > 0;
	}

	private async armAlarm(at: number): Promise<void> {
		const current = await this.ctx.storage.getAlarm();
		if (current === null || current > at) await this.ctx.storage.setAlarm(at);
	}

	// ---- the staff's side ------------------------------------------------------------------

	/** What staff see of this conversation for one request: the window and undelivered notices. */
	async caseState(requestId: string): Promise<CaseState> {
		const lastInbound = this.state().lastInboundAt;
		const until = lastInbound === null ? null : lastInbound + WINDOW_MS;
		const count = (state: string) =>
			this.sql
				.exec<{ n: number }>(
					"SELECT count(*) AS n FROM outbox WHERE request_id = ? AND state = ?",
					requestId,
					state,
				)
				.one().n;
		return {
			windowOpenUntil: until !== null && until > Date.now() ? until : null,
			waitingNotices: count("waiting"),
			deadMessages: count("dead"),
		};
	}

	/** The WhatsApp exchange about one request, oldest first, as staff read it. */
	async transcript(requestId: string): Promise<TranscriptEntry[]> {
		const inbound = this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE request_id = ?",
				requestId,
			)
			.toArray()
			.map((row): TranscriptEntry => {
				const content = JSON.parse(row.event) as InboundContent;
				return {
					direction: "in",
					at: row.sent_at,
					messageId: row.message_id,
					kind: content.kind === "media" ? content.media : content.kind,
					text: describeInbound(content),
					state: null,
					delivery: null,
					error: null,
				};
			});
		const outbound = this.sql
			.exec<{
				payload: string;
				created_at: number;
				sent_at: number | null;
				wamid: string | null;
				state: string;
				delivery: string | null;
				last_error: string | null;
			}>(
				"SELECT payload, created_at, sent_at, wamid, state, delivery, last_error FROM outbox WHERE request_id = ? ORDER BY seq",
				requestId,
			)
			.toArray()
			.map((row): TranscriptEntry => {
				const message = JSON.parse(row.payload) as OutboundMessage;
				return {
					direction: "out",
					at: row.sent_at ?? row.created_at,
					messageId: row.wamid,
					kind: message.type,
					text: describeOutbound(message),
					state: row.state,
					delivery: row.delivery,
					error: row.last_error,
				};
			});
		return [...inbound, ...outbound].sort((a, b) => a.at - b.at);
	}

	/**
	 * A notice from staff about a request (status change, message, pick-up): goes through the
	 * dialogue (which words it in the resident's language) and the outbox (window, template).
	 * Idempotent on `noticeId`.
	 */
	async notify(notice: StaffNotice): Promise<void> {
		await this.queueFromOutside(`notice:${notice.noticeId}`, "notice", notice);
	}

	/** Sends a finished document (already in R2) to the resident; idempotent on `sendId`. */
	async sendResult(result: ResultDelivery): Promise<void> {
		await this.queueFromOutside(`result:${result.sendId}`, "result", result);
	}

	/**
	 * Retention: forgets what was said about a purged request. Message ids stay (they keep
	 * deduplicating redeliveries); texts, file names and captions are erased.
	 */
	async forgetRequest(requestId: string): Promise<void> {
		this.ctx.storage.transactionSync(() => {
			this.sql.exec(
				`UPDATE inbox SET event = '{"kind":"unsupported","detail":"purged"}' WHERE request_id = ?`,
				requestId,
			);
			this.sql.exec(
				`UPDATE outbox SET payload = '{"type":"text","body":"(purged)"}', notice = NULL,
				 state = CASE WHEN state IN ('pending', 'waiting') THEN 'dead' ELSE state END
				 WHERE request_id = ?`,
				requestId,
			);
		});
		this.sql.settle();
	}

	// ---- the work --------------------------------------------------------------------------

	/**
	 * Drains the inbox in order, running jobs first (a message waits for the download before it).
	 * Alarms run at least once and may repeat after a crash: every step commits its state, its
	 * input's mark and its effects together, so a repeat picks up exactly where it stopped.
	 */
	override async alarm(): Promise<void> {
		const run = this.draining.then(() => this.drain()).finally(() => this.sql.settle());
		this.draining = run.catch(() => undefined);
		return run;
	}

	private async drain(): Promise<void> {
		const started = Date.now();
		while (Date.now() - started < ALARM_BUDGET_MS) {
			if (!(await this.advance())) break;
		}
		await this.flushOutbox();
		await this.schedule();
	}

	/** Does one unit of work; false when nothing is due. */
	private async advance(): Promise<boolean> {
		const now = Date.now();
		const job = this.sql
			.exec<JobRow>("SELECT id, kind, payload, attempts, next_at FROM jobs ORDER BY seq LIMIT 1")
			.toArray()[0];
		if (job !== undefined) {
			if (job.next_at > now) return false;
			await this.runJob(job);
			await this.flushOutbox();
			return true;
		}
		const message = this.sql
			.exec<{ message_id: string; sent_at: number; event: string }>(
				"SELECT message_id, sent_at, event FROM inbox WHERE processed_at IS NULL ORDER BY sent_at, arrival, message_id LIMIT 1",
			)
			.toArray()[0];
		if (message !== undefined) {
			// Too fresh: a message sent just before it may still be on its way (Meta does not order).
			if (message.sent_at + INBOX_HOLD_MS > now) return false;
			const content = JSON.parse(message.event) as InboundContent;
			const effects = await this.commit(
				{ type: "message", message: { id: message.message_id, sentAt: message.sent_at, content } },
				{ inboxId: message.message_id },
			);
			for (const effect of effects) {
				if (effect.kind === "mark_read") await this.markRead(effect.messageId);
			}
			await this.flushOutbox();
			return true;
		}
		const tick = nextTickAt(this.state());
		if (tick !== null && tick <= now) {
			await this.apply({ type: "tick", now });
			await this.flushOutbox();
			return true;
		}
		return false;
	}

	private state(): DialogueState {
		const saved = this.recall("state");
		if (saved !== undefined) return JSON.parse(saved) as DialogueState;
		return initialState(settingsOf(this.env).get("DEFAULT_LANGUAGE"));
	}

	/** The catalog, shared by every object of the isolate and re-read every few minutes. */
	private async catalog(): Promise<Catalog> {
		const now = Date.now();
		if (catalogCache === undefined || now - catalogCache.at > CATALOG_TTL_MS) {
			catalogCache = { catalog: await loadCatalog(this.db), at: now };
		}
		return catalogCache.catalog;
	}

	/** {@link commit}, for inputs whose effects all go through the outbox and jobs. */
	private async apply(
		event: DialogueEvent,
		consumed: { inboxId?: string; jobId?: string } = {},
	): Promise<void> {
		await this.commit(event, consumed);
	}

	/**
	 * Runs one event through the dialogue and commits, in one transaction: the new state, the
	 * input consumed (inbox row or job) and the effects queued (outbox rows and jobs). Returns the
	 * effects, for the caller to carry out those that need no durable row (mark as read).
	 */
	private async commit(
		event: DialogueEvent,
		consumed: { inboxId?: string; jobId?: string } = {},
	): Promise<Effect[]> {
		const catalog = await this.catalog();
		const settings = settingsOf(this.env);
		const now = Date.now();
		const before = this.state();
		const { state, effects } = step(before, event, {
			catalog,
			officeName: settings.get("OFFICE_NAME"),
			now,
			newRequestId: crypto.randomUUID(),
		});
		// The request this exchange belongs to, for the staff's transcript.
		const requestId =
			(event.type === "staff_notice" ? event.notice.requestId : undefined) ??
			("requestId" in event ? event.requestId : undefined) ??
			before.revision?.requestId ??
			before.draft?.requestId ??
			state.revision?.requestId ??
			state.draft?.requestId ??
			null;
		this.ctx.storage.transactionSync(() => {
			this.remember("state", JSON.stringify(state));
			if (consumed.inboxId !== undefined) {
				this.sql.exec(
					"UPDATE inbox SET processed_at = ?, request_id = ? WHERE message_id = ?",
					now,
					requestId,
					consumed.inboxId,
				);
				// The resident wrote: the window is open again for anything that was waiting.
				this.sql.exec(
					"UPDATE outbox SET state = 'pending', next_at = ? WHERE state = 'waiting'",
					now,
				);
			}
			if (consumed.jobId !== undefined)
				this.sql.exec("DELETE FROM jobs WHERE id = ?", consumed.jobId);
			for (const effect of effects) this.enqueue(effect, now, requestId);
		});
		return effects;
	}

	/** Queues a job after the others; false when a job with this id is already there. */
	private queueJob(id: string, kind: JobKind, payload: unknown, now: number): boolean {
		return (
			this.sql.exec(
				`INSERT INTO jobs (id, seq, kind, payload, next_at, created_at)
				 VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM jobs), ?, ?, ?, ?)
				 ON CONFLICT (id) DO NOTHING`,
				id,
				kind,
				JSON.stringify(payload),
				now,
				now,
			).rowsWritten > 0
		);
	}

	/** A job asked for by staff (RPC): queued once per id, and the alarm armed for it. */
	private async queueFromOutside(id: string, kind: JobKind, payload: unknown): Promise<void> {
		const now = Date.now();
		if (this.queueJob(id, kind, payload, now)) await this.armAlarm(now);
	}

	private enqueue(effect: Effect, now: number, requestId: string | null): void {
		const job = (id: string, kind: JobKind, payload: unknown) =>
			this.queueJob(id, kind, payload, now);
		switch (effect.kind) {
			case "send":
				this.sql.exec(
					"INSERT INTO outbox (payload, next_at, created_at, request_id, notice) VALUES (?, ?, ?, ?, ?)",
					JSON.stringify(effect.message),
					now,
					now,
					requestId,
					effect.notice ?? null,
				);
				return;
			case "mark_read":
				// Carried out by the caller once committed, best effort: blue ticks are not worth a row.
				return;
			case "download":
				return void job(`download:${effect.job.messageId}`, "download", effect.job);
			case "submit":
				return void job(`submit:${effect.draft.requestId}`, "submit", {
					draft: effect.draft,
					lang: effect.lang,
					at: effect.at,
				});
			case "status_query":
				return void job(`status:${crypto.randomUUID()}`, "status", {
					ticket: effect.ticket ?? null,
				});
			case "handoff":
				return void job(`handoff:${now}`, "handoff", { at: now });
			case "discard_files":
				return void job(`discard:${crypto.randomUUID()}`, "discard", {
					keys: effect.keys,
					requestId: effect.requestId,
				});
			case "cancel_request":
				return void job(`cancel:${effect.ticket}:${now}`, "cancel", { ticket: effect.ticket });
			case "resubmit":
				return void job(`resubmit:${effect.requestId}:${effect.at}`, "resubmit", {
					requestId: effect.requestId,
					files: effect.files,
					at: effect.at,
				});
		}
	}

	private identity(): { businessId: string; residentId: string } {
		return {
			businessId: this.recall("business_id") ?? "",
			residentId: this.recall("resident_id") ?? "",
		};
	}

	private graph(): GraphClient {
		return graphClientFor(settingsOf(this.env), this.identity().businessId);
	}

	private async markRead(messageId: string): Promise<void> {
		try {
			await this.graph().markRead(messageId);
		} catch (error) {
			log.info("conversation.mark_read_failed", {
				error: error instanceof Error ? error.message : String(error),
			});
		}
	}

	// ---- jobs --------------------------------------------------------------------------------

	private async runJob(job: JobRow): Promise<void> {
		try {
			switch (job.kind) {
				case "download":
					return await this.runDownload(job, JSON.parse(job.payload) as DownloadJob);
				case "submit":
					return await this.runSubmit(
						job,
						JSON.parse(job.payload) as { draft: Draft; lang: "id" | "en"; at: number },
					);
				case "status":
					return await this.runStatus(job, JSON.parse(job.payload) as { ticket: string | null });
				case "handoff":
					return await this.runHandoff(job, JSON.parse(job.payload) as { at: number });
				case "notice":
					return await this.apply(
						{ type: "staff_notice", notice: JSON.parse(job.payload) as StaffNotice },
						{ jobId: job.id },
					);
				case "result":
					return await this.runResult(job, JSON.parse(job.payload) as ResultDelivery);
				case "cancel":
					return await this.runCancel(job, JSON.parse(job.payload) as { ticket: string });
				case "resubmit":
					return await this.runResubmit(
						job,
						JSON.parse(job.payload) as { requestId: string; files: DraftFile[]; at: number },
					);
				case "discard":
					return await this.runDiscard(
						job,
						JSON.parse(job.payload) as { keys: string[]; requestId: string },
					);
			}
		} catch (error) {
			// D1, R2 or settings trouble: retry later; the inbox waits behind this job.
			this.retryJob(job, error, undefined);
		}
	}

	private retryJob(job: JobRow, error: unknown, retryAfterMs: number | undefined): void {
		const attempts = job.attempts + 1;
		const delay = backoffDelay(attempts, { ...(retryAfterMs ? { retryAfterMs } : {}) });
		const message = error instanceof Error ? error.message : String(error);
		log.warn("conversation.job_retry", { kind: job.kind, attempts, delay, error: message });
		this.sql.exec(
			"UPDATE jobs SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?",
			attempts,
			Date.now() + delay,
			message.slice(0, 500),
			job.id,
		);
	}

	private async runDownload(job: JobRow, download: DownloadJob): Promise<void> {
		const outcome = await storeMedia(this.graph(), this.files, download);
		if (outcome.ok) {
			return this.apply(
				{
					type: "media_stored",
					messageId: download.messageId,
					key: outcome.key,
					size: outcome.size,
					mimeType: outcome.mimeType,
					sha256: outcome.sha256,
					...(outcome.fileName ? { fileName: outcome.fileName } : {}),
				},
				{ jobId: job.id },
			);
		}
		if (outcome.reason !== "failed") {
			return this.apply(
				{ type: "media_refused", messageId: download.messageId, reason: outcome.reason },
				{ jobId: job.id },
			);
		}
		if (outcome.retryable && job.attempts + 1 < MAX_MEDIA_ATTEMPTS) {
			return this.retryJob(job, new Error(outcome.detail), outcome.retryAfterMs);
		}
		log.warn("conversation.media_gave_up", { attempts: job.attempts + 1, detail: outcome.detail });
		return this.apply({ type: "media_failed", messageId: download.messageId }, { jobId: job.id });
	}

	private async runSubmit(
		job: JobRow,
		payload: { draft: Draft; lang: "id" | "en"; at: number },
	): Promise<void> {
		const { draft, lang } = payload;
		const { businessId, residentId } = this.identity();
		const settings = settingsOf(this.env);
		if (!draft.service || !draft.variant || !draft.nik || !draft.name || !draft.area) {
			throw new Error("submit job with an incomplete draft");
		}
		const phone = /^\d+$/.test(residentId) ? normalizePhone(residentId) : null;
		const { ticket } = await submitRequest(this.db, settings.get("OFFICE_CODE"), {
			id: draft.requestId,
			channel: "whatsapp",
			businessId,
			residentId,
			...(phone ? { residentPhone: phone } : {}),
			residentName: draft.name,
			nik: draft.nik,
			nikWarnings: draft.nikWarnings,
			serviceCode: draft.service,
			variantCode: draft.variant,
			areaCode: draft.area,
			language: lang,
			attachments: draft.files.flatMap((file) =>
				file.status === "stored" &&
				file.key &&
				file.size !== undefined &&
				file.mimeType &&
				file.sha256
					? [
							{
								docCode: file.docCode,
								key: file.key,
								mimeType: file.mimeType,
								size: file.size,
								sha256: file.sha256,
								messageId: file.messageId,
								...(file.fileName ? { fileName: file.fileName } : {}),
							},
						]
					: [],
			),
			submittedAt: payload.at,
		});
		log.info("conversation.submitted", { ticket });
		return this.apply({ type: "submitted", requestId: draft.requestId, ticket }, { jobId: job.id });
	}

	private async runStatus(job: JobRow, payload: { ticket: string | null }): Promise<void> {
		const { businessId, residentId } = this.identity();
		const lang = this.state().lang;
		const catalog = await this.catalog();
		const rows = payload.ticket
			? [await residentRequestByTicket(this.db, businessId, residentId, payload.ticket)].filter(
					(row) => row !== null,
				)
			: await residentRequests(this.db, businessId, residentId, 5);
		const lines = rows.map((row) => ({
			ticket: row.ticket,
			service: findService(catalog, row.serviceCode)?.label[lang] ?? row.serviceCode,
			status: statusWords(row.status, lang),
		}));
		return this.apply(
			{ type: "status_report", lines, ...(payload.ticket ? { ticket: payload.ticket } : {}) },
			{ jobId: job.id },
		);
	}

	private async runHandoff(job: JobRow, payload: { at: number }): Promise<void> {
		const { businessId, residentId } = this.identity();
		await this.db
			.prepare(
				`INSERT INTO handoffs (conversation, business_id, resident_id, asked_at) VALUES (?, ?, ?, ?)
			 ON CONFLICT (conversation) DO UPDATE SET asked_at = excluded.asked_at, resolved_at = NULL, resolved_by = NULL`,
			)
			.bind(`${businessId}:${residentId}`, businessId, residentId, payload.at)
			.run();
		this.sql.exec("DELETE FROM jobs WHERE id = ?", job.id);
	}

	private async runDiscard(
		job: JobRow,
		payload: { keys: string[]; requestId: string },
	): Promise<void> {
		await deleteFiles(this.files, {
			keys: payload.keys,
			// Also whatever a download stored that the draft never recorded.
			prefixes: payload.requestId !== "" ? [`requests/${payload.requestId}/`] : [],
		});
		this.sql.exec("DELETE FROM jobs WHERE id = ?", job.id);
	}

	private async runResult(job: JobRow, result: ResultDelivery): Promise<void> {
		const object = await this.files.get(result.key);
		if (object === null) {
			log.error("conversation.result_missing", { requestId: result.requestId });
			this.sql.exec("DELETE FROM jobs WHERE id = ?", job.id);
			return;
		}
		let mediaId: string;
		try {
			mediaId = await this.graph().uploadMedia({
				body: object.body,
				size: object.size,
				mimeType: "application/pdf",
				fileName: result.fileName,
			});
		} catch (error) {
			if (error instanceof GraphError && error.kind === "permanent" && job.attempts >= 3) {
				log.error("conversation.result_upload_refused", {
					requestId: result.requestId,
					error: error.message,
				});
				this.sql.exec("DELETE FROM jobs WHERE id = ?", job.id);
				return;
			}
			return this.retryJob(
				job,
				error,
				error instanceof GraphError ? error.retryAfterMs : undefined,
			);
		}
		const lang = this.state().lang;
		const caption =
			lang === "id"
				? `Dokumen permohonan ${result.ticket}. Cetak di kertas A4 putih.`
				: `Document for request ${result.ticket}. Print it on plain white A4 paper.`;
		const now = Date.now();
		this.ctx.storage.transactionSync(() => {
			this.sql.exec(
				"INSERT INTO outbox (payload, next_at, created_at, request_id, notice) VALUES (?, ?, ?, ?, ?)",
				JSON.stringify({
					type: "document",
					mediaId,
					fileName: result.fileName,
					caption,
				} satisfies OutboundMessage),
				now,
				now,
				result.requestId,
				`${result.ticket}: ${lang === "id" ? "Dokumen selesai" : "Document ready"}`,
			);
			this.sql.exec("DELETE FROM jobs WHERE id = ?", job.id);
		});
	}

	/** The resident cancels their own request: only theirs, and only before processing. */
	private async runCancel(job: JobRow, payload: { ticket: string }): Promise<void> {
		const { businessId, residentId } = this.identity();
		const request = await residentRequestByTicket(this.db, businessId, residentId, payload.ticket);
		if (request === null) {
			return this.apply(
				{ type: "cancel_result", ticket: payload.ticket, outcome: "not_found" },
				{ jobId: job.id },
			);
		}
		const outcome = await transitionRequest(this.db, {
			requestId: request.id,
			to: "cancelled",
			actor: "resident",
			by: "resident",
		});
		if (!outcome.ok && outcome.problem === "conflict") {
			return this.retryJob(job, new Error("request changed meanwhile"), undefined);
		}
		return this.apply(
			outcome.ok
				? { type: "cancel_result", ticket: request.ticket, outcome: "cancelled" }
				: {
						type: "cancel_result",
						ticket: request.ticket,
						outcome: "too_late",
						status: outcome.from ?? request.status,
					},
			{ jobId: job.id },
		);
	}

	private async runResubmit(
		job: JobRow,
		payload: { requestId: string; files: DraftFile[]; at: number },
	): Promise<void> {
		await resubmitDocuments(this.db, {
			requestId: payload.requestId,
			at: payload.at,
			files: payload.files.flatMap((file) =>
				file.key && file.size !== undefined && file.mimeType && file.sha256
					? [
							{
								docCode: file.docCode,
								key: file.key,
								mimeType: file.mimeType,
								size: file.size,
								sha256: file.sha256,
								messageId: file.messageId,
								...(file.fileName ? { fileName: file.fileName } : {}),
							},
						]
					: [],
			),
		});
		return this.apply({ type: "resubmitted", requestId: payload.requestId }, { jobId: job.id });
	}

	// ---- the outbox --------------------------------------------------------------------------

	/**
	 * Sends due messages in order. A throttled or failing message holds back the ones after it
	 * (residents must read replies in order); a permanently refused one is kept as dead.
	 */
	private async flushOutbox(): Promise<void> {
		const settings = settingsOf(this.env);
		const { residentId } = this.identity();
		const graph = this.graph();
		const rows = this.sql
			.exec<OutboxRow>(
				"SELECT seq, payload, state, attempts, next_at, notice FROM outbox WHERE state = 'pending' ORDER BY seq",
			)
			.toArray();
		const lastInbound = this.state().lastInboundAt;
		for (const row of rows) {
			const now = Date.now();
			if (row.next_at > now) break;
			const windowOpen = lastInbound !== null && now - lastInbound < WINDOW_MS;
			const message = JSON.parse(row.payload) as OutboundMessage;
			if (!windowOpen && message.type !== "template") {
				this.sql.exec("UPDATE outbox SET state = 'waiting' WHERE seq = ?", row.seq);
				this.remember("nudge_due", "1");
				continue;
			}
			try {
				const wamid = await graph.send(residentId, message);
				this.sql.exec(
					"UPDATE outbox SET state = 'sent', sent_at = ?, wamid = ?, attempts = attempts + 1, last_error = NULL WHERE seq = ?",
					now,
					wamid,
					row.seq,
				);
			} catch (error) {
				if (!this.onSendError(row, error)) break;
			}
		}
		await this.nudgeIfDue(
			settings.get("STATUS_TEMPLATE_NAME"),
			settings.get("STATUS_TEMPLATE_LANGUAGE"),
		);
	}

	/** Records a failed send; true when later messages may still go out. */
	private onSendError(row: OutboxRow, error: unknown): boolean {
		const reason = error instanceof Error ? error.message.slice(0, 500) : String(error);
		if (error instanceof MessageLimitError) {
			log.error("conversation.message_breaks_limits", { seq: row.seq, error: reason });
			this.sql.exec(
				"UPDATE outbox SET state = 'dead', last_error = ? WHERE seq = ?",
				reason,
				row.seq,
			);
			return true;
		}
		if (error instanceof GraphError) {
			if (error.kind === "window_closed") {
				this.sql.exec(
					"UPDATE outbox SET state = 'waiting', last_error = ? WHERE seq = ?",
					reason,
					row.seq,
				);
				this.remember("nudge_due", "1");
				return true;
			}
			if (error.kind === "throttled" || error.kind === "retryable") {
				const attempts = row.attempts + 1;
				if (attempts >= MAX_SEND_ATTEMPTS) {
					log.error("conversation.send_gave_up", { seq: row.seq, attempts, error: reason });
					this.sql.exec(
						"UPDATE outbox SET state = 'dead', attempts = ?, last_error = ? WHERE seq = ?",
						attempts,
						reason,
						row.seq,
					);
					return true;
				}
				const delay = backoffDelay(attempts, {
					...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
				});
				this.sql.exec(
					"UPDATE outbox SET attempts = ?, next_at = ?, last_error = ? WHERE seq = ?",
					attempts,
					Date.now() + delay,
					reason,
					row.seq,
				);
				return false;
			}
		}
		log.error("conversation.send_refused", { seq: row.seq, error: reason });
		this.sql.exec(
			"UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE seq = ?",
			reason,
			row.seq,
		);
		return true;
	}

	/**
	 * Outside the 24-hour window only a template may be sent: one nudge per closed window, so
	 * the resident writes back and the waiting messages go out. Without a template they wait.
	 */
	private async nudgeIfDue(template: string | undefined, language: string): Promise<void> {
		if (this.recall("nudge_due") !== "1") return;
		if (template === undefined) return;
		const waiting = this.sql
			.exec<{ notice: string | null; request_id: string | null }>(
				"SELECT notice, request_id FROM outbox WHERE state = 'waiting' ORDER BY seq DESC LIMIT 1",
			)
			.toArray()[0];
		if (waiting === undefined) {
			this.remember("nudge_due", "0");
			return;
		}
		const settings = settingsOf(this.env);
		const lang = this.state().lang;
		const summary =
			waiting.notice ??
			(lang === "id"
				? "Ada pesan untuk Anda. Balas pesan ini untuk membacanya."
				: "There is a message for you. Reply to this message to read it.");
		const now = Date.now();
		this.ctx.storage.transactionSync(() => {
			this.sql.exec(
				"INSERT INTO outbox (payload, next_at, created_at, request_id) VALUES (?, ?, ?, ?)",
				JSON.stringify({
					type: "template",
					name: template,
					language,
					bodyParams: [settings.get("OFFICE_NAME"), summary],
				} satisfies OutboundMessage),
				now,
				now,
				waiting.request_id,
			);
			this.remember("nudge_due", "0");
		});
		await this.flushOutbox();
	}

	private async schedule(): Promise<void> {
		const times: number[] = [];
		const job = this.sql
			.exec<{ next_at: number }>("SELECT next_at FROM jobs ORDER BY seq LIMIT 1")
			.toArray()[0];
		if (job) times.push(job.next_at);
		else {
			const earliest = this.sql
				.exec<{ sent_at: number }>(
					"SELECT sent_at FROM inbox WHERE processed_at IS NULL ORDER BY sent_at, arrival, message_id LIMIT 1",
				)
				.toArray()[0];
			if (earliest !== undefined) times.push(earliest.sent_at + INBOX_HOLD_MS);
		}
		const outbox = this.sql
			.exec<{ next_at: number }>(
				"SELECT next_at FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT 1",
			)
			.toArray()[0];
		// Sends go out in order: only the first pending message's time matters.
		if (outbox !== undefined) times.push(outbox.next_at);
		const tick = nextTickAt(this.state());
		if (tick !== null) times.push(tick);
		if (times.length === 0) await this.ctx.storage.deleteAlarm();
		else await this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(...times)));
	}
}

function describeInbound(content: InboundContent): string | null {
	switch (content.kind) {
		case "text":
			return content.text;
		case "choice":
			return content.title;
		case "media":
			return [content.fileName, content.caption].filter(Boolean).join(" - ") || content.mimeType;
		case "reaction":
			return content.emoji ?? null;
		case "unsupported":
			return content.detail;
		default:
			return null;
	}
}

function describeOutbound(message: OutboundMessage): string | null {
	switch (message.type) {
		case "text":
		case "buttons":
		case "list":
			return message.body;
		case "document":
		case "image":
			return message.caption ?? message.fileName ?? null;
		case "template":
			return `${message.name}: ${message.bodyParams?.join(" | ") ?? ""}`;
	}
}
