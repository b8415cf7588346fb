import {
	type Catalog,
	findArea,
	findService,
	findVariant,
	type Lang,
	type Requirement,
} from "../catalog/catalog";
import type { InboundMessage } from "../channel/events";
import type { OutboundMessage } from "../channel/messages";
import { parseNik } from "../requests/nik";
import { type RequestStatus, statusWords } from "../requests/statuses";
import { parseTicket } from "../requests/tickets";
import {
	fitTitle,
	normalizeWord,
	numbered,
	type Option,
	PAGE_NEXT,
	PAGE_PREVIOUS,
	pageRows,
	pick,
} from "./choices";
import type { DraftFile } from "./dialogue-state";
import {
	type DialogueState,
	type Draft,
	EARLY_DOC_CODE,
	initialState,
	type Phase,
} from "./dialogue-state";
import type { StaffNotice } from "./notices";
import { textsFor } from "./texts";

export type { DialogueState };
export { initialState };

/** Something that happened to the conversation: a message, or the outcome of an effect. */
export type DialogueEvent =
	| { type: "message"; message: InboundMessage }
	| {
			type: "media_stored";
			messageId: string;
			key: string;
			size: number;
			mimeType: string;
			sha256: string;
			fileName?: string;
	  }
	| { type: "media_refused"; messageId: string; reason: "too_large" | "wrong_type" }
	| { type: "media_failed"; messageId: string }
	| { type: "submitted"; requestId: string; ticket: string }
	| {
			type: "status_report";
			lines: { ticket: string; service: string; status: string }[];
			ticket?: string;
	  }
	| { type: "tick"; now: number }
	| { type: "staff_notice"; notice: StaffNotice }
	| { type: "resubmitted"; requestId: string }
	| {
			type: "cancel_result";
			ticket: string;
			outcome: "cancelled" | "not_found" | "too_late";
			status?: RequestStatus;
	  };

/** A file to fetch from the channel into storage (the shell's media store carries it out). */
export interface DownloadJob {
	requestId: string;
	docCode: string;
	/** The resident's message id (one file per message). */
	messageId: string;
	mediaId: string;
	/** Mime type from the channel; parameters (`audio/ogg; codecs=opus`) are ignored. */
	declaredMime: string;
	/** From the channel: base64 (or hex) of the SHA-256, when it gave one. */
	announcedSha256?: string;
	/** Types this document may be, e.g. `["image/jpeg", "image/png", "application/pdf"]`. */
	acceptedTypes: string[];
	maxBytes: number;
	fileName?: string;
}

/** What the shell must carry out; the dialogue itself does no I/O. */
export type Effect =
	/** `notice`: a one-line summary for the status template, should the window be closed. */
	| { kind: "send"; message: OutboundMessage; notice?: string }
	| { kind: "mark_read"; messageId: string }
	| { kind: "download"; job: DownloadJob }
	| { kind: "submit"; draft: Draft; lang: Lang; at: number }
	| { kind: "status_query"; ticket?: string }
	| { kind: "handoff" }
	| { kind: "discard_files"; keys: string[]; requestId: string }
	/** Record corrected documents for a request in needs_revision and return it to submitted. */
	| { kind: "resubmit"; requestId: string; files: DraftFile[]; at: number }
	/** Cancel the resident's own submitted request (the shell checks it is theirs). */
	| { kind: "cancel_request"; ticket: string };

export interface StepContext {
	catalog: Catalog;
	officeName: string;
	now: number;
	/** A fresh id, used if this step starts a draft. */
	newRequestId: string;
}

export interface StepResult {
	state: DialogueState;
	effects: Effect[];
}

/** Idle drafts: a reminder while WhatsApp's 24-hour window is still open, deletion after 7 days. */
export const REMINDER_AFTER_MS = 23 * 60 * 60 * 1000;
export const EXPIRE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;
/** Longer texts are not something the dialogue can use. */
const MAX_TEXT = 1000;
/** Files sent before their turn: what we accept and how large. */
const EARLY_FILE = {
	acceptedTypes: ["image/jpeg", "image/png", "application/pdf"],
	maxBytes: 10 * 1024 * 1024,
};

const COMMANDS: Record<string, string> = {
	menu: "menu",
	mulai: "menu",
	start: "menu",
	batal: "cancel",
	cancel: "cancel",
	status: "status",
	cek: "status",
	bantuan: "help",
	help: "help",
	tolong: "help",
	petugas: "agent",
	agent: "agent",
	operator: "agent",
	english: "english",
	inggris: "english",
	indonesia: "indonesia",
	bahasa: "indonesia",
};

/**
 * The dialogue: a pure function from state and event to the next state and the effects the
 * Conversation object carries out. Never throws for anything a resident can send.
 */
export function step(state: DialogueState, event: DialogueEvent, ctx: StepContext): StepResult {
	const d = new Dialogue(structuredClone(state), ctx);
	d.handle(event);
	return { state: d.state, effects: d.effects };
}

/** When the shell should next deliver a `tick` (reminder or expiry), if ever. */
export function nextTickAt(state: DialogueState): number | null {
	if (state.draft === null || state.phase.name === "submitting" || state.lastInboundAt === null) {
		return null;
	}
	if (state.remindedAt === null) return state.lastInboundAt + REMINDER_AFTER_MS;
	return state.lastInboundAt + EXPIRE_AFTER_MS;
}

class Dialogue {
	readonly effects: Effect[] = [];

	constructor(
		public state: DialogueState,
		private readonly ctx: StepContext,
	) {}

	private get t() {
		return textsFor(this.state.lang);
	}

	private get lang(): Lang {
		return this.state.lang;
	}

	private send(message: OutboundMessage): void {
		this.effects.push({ kind: "send", message });
	}

	private say(body: string): void {
		this.send({ type: "text", body });
	}

	handle(event: DialogueEvent): void {
		switch (event.type) {
			case "message":
				return this.onMessage(event.message);
			case "media_stored":
				return this.onMediaStored(event);
			case "media_refused":
				return this.onMediaRefused(event.messageId, event.reason);
			case "media_failed":
				return this.onMediaFailed(event.messageId);
			case "submitted":
				return this.onSubmitted(event.requestId, event.ticket);
			case "status_report":
				return this.onStatusReport(event.lines, event.ticket);
			case "tick":
				return this.onTick(event.now);
			case "staff_notice":
				return this.onStaffNotice(event.notice);
			case "resubmitted":
				return this.onResubmitted(event.requestId);
			case "cancel_result":
				return this.onCancelResult(event.ticket, event.outcome, event.status);
		}
	}

	// ---- messages -------------------------------------------------------------------------

	private onMessage(message: InboundMessage): void {
		this.state.lastInboundAt = Math.max(this.state.lastInboundAt ?? 0, message.sentAt);
		this.state.remindedAt = null;
		this.effects.push({ kind: "mark_read", messageId: message.id });
		const content = message.content;

		if (content.kind === "text" && [...content.text].length > MAX_TEXT) {
			this.say(this.t.tooLong);
			return this.prompt();
		}
		if (content.kind === "text" && this.command(content.text)) return;

		switch (content.kind) {
			case "voice":
			case "audio":
				this.say(this.t.voice);
				return this.prompt();
			case "video":
				this.say(this.t.video);
				return this.prompt();
			case "sticker":
			case "reaction":
				this.say(this.t.reaction);
				return this.prompt();
			case "location":
				this.say(this.t.location);
				return this.prompt();
			case "contacts":
				this.say(this.t.contacts);
				return this.prompt();
			case "unsupported":
				this.say(this.t.unsupported);
				return this.prompt();
			case "media":
				return this.onMedia(message);
			case "text":
			case "choice":
				return this.onAnswer(message);
		}
	}

	/** Handles a command typed at any point; false when the text is not one. */
	private command(text: string): boolean {
		const words = normalizeWord(text).split(" ");
		const command = COMMANDS[words[0] ?? ""];
		if (command === undefined) return false;
		// "status PBM-261128-0001": the ticket keeps its dashes, so read it from the raw text.
		const rest = text.trim().split(/\s+/).slice(1).join(" ").trim();
		const ticket = command === "cancel" && rest !== "" ? parseTicket(rest) : null;
		if (command !== "status" && ticket === null && words.length > 2) return false;
		if (ticket !== null) {
			// "batal PBM-261128-0001": a submitted request, final once cancelled, so ask first.
			const current = this.state.phase;
			const resume = current.name === "confirm_cancel" ? current.resume : current;
			this.goto({ name: "confirm_cancel", ticket, resume });
			return true;
		}
		const revision = this.state.revision;
		if (
			(command === "menu" || command === "cancel") &&
			revision &&
			this.state.phase.name === "revision"
		) {
			// A submitted request cannot be abandoned from here: remind what staff are waiting for.
			this.say(this.t.revisionPending(revision.ticket));
			this.prompt();
			return true;
		}
		switch (command) {
			case "menu":
				if (this.hasProgress()) {
					this.discardDraft();
					this.say(this.t.restarted);
				}
				this.startDraft(false);
				return true;
			case "cancel":
				if (this.state.phase.name === "submitting") {
					this.say(this.t.submitting);
					return true;
				}
				if (this.state.draft !== null && this.hasProgress()) {
					this.discardDraft();
					this.say(this.t.cancelled);
				} else {
					this.discardDraft();
					this.say(this.t.nothingToCancel);
				}
				return true;
			case "status":
				this.effects.push({
					kind: "status_query",
					...(rest ? { ticket: rest.toUpperCase().replace(/\s+/g, "") } : {}),
				});
				return true;
			case "help":
				this.say(this.t.help(this.officeHours()));
				this.prompt();
				return true;
			case "agent":
				this.state.handoffAskedAt = this.ctx.now;
				this.effects.push({ kind: "handoff" });
				this.say(this.t.handoff(this.officeHours()));
				return true;
			case "english":
			case "indonesia":
				this.state.lang = command === "english" ? "en" : "id";
				this.say(this.t.languageSet);
				this.prompt();
				return true;
		}
		return false;
	}

	private officeHours(): string {
		return this.ctx.catalog.office.hours?.[this.lang] ?? "";
	}

	private hasProgress(): boolean {
		const draft = this.state.draft;
		return draft !== null && (draft.service !== undefined || draft.files.length > 0);
	}

	private startDraft(greet: boolean): void {
		if (greet) this.say(this.t.greeting(this.ctx.officeName));
		this.state.draft = {
			requestId: this.ctx.newRequestId,
			startedAt: this.ctx.now,
			nikWarnings: [],
			files: [],
			editing: false,
		};
		this.goto({ name: "service", page: 0 });
	}

	private discardDraft(): void {
		const draft = this.state.draft;
		if (draft !== null) {
			const keys = draft.files.flatMap((f) => (f.key ? [f.key] : []));
			if (keys.length > 0 || draft.files.length > 0) {
				this.effects.push({ kind: "discard_files", keys, requestId: draft.requestId });
			}
		}
		this.state.draft = null;
		this.state.remindedAt = null;
		this.state.phase = { name: "idle" };
	}

	private goto(phase: Phase): void {
		this.state.phase = phase;
		this.prompt();
	}

	/** An answer (typed text or a tap) to the current question. */
	private onAnswer(message: InboundMessage): void {
		const content = message.content;
		const phase = this.state.phase;
		const draft = this.state.draft;
		if (phase.name === "revision") return this.onRevisionAnswer(message, phase.index);
		if (phase.name === "confirm_cancel") return this.onCancelAnswer(message, phase);
		if (phase.name === "idle" || draft === null) return this.startDraft(true);

		switch (phase.name) {
			case "service": {
				const options = this.serviceOptions();
				const chosen = pick(content, [...options, ...this.pagingOptions()]);
				if (chosen?.id === PAGE_NEXT || chosen?.id === PAGE_PREVIOUS) {
					return this.goto({
						name: "service",
						page: phase.page + (chosen.id === PAGE_NEXT ? 1 : -1),
					});
				}
				if (chosen === undefined) return this.notUnderstood();
				const service = findService(this.ctx.catalog, chosen.id);
				if (service === undefined) return this.notUnderstood();
				draft.service = service.code;
				draft.variant = undefined;
				if (service.variants.length === 1) return this.chooseVariant(service.variants[0]?.code);
				return this.goto({ name: "variant" });
			}
			case "variant": {
				const chosen = pick(content, this.variantOptions());
				if (chosen === undefined) return this.notUnderstood();
				return this.chooseVariant(chosen.id);
			}
			case "nik": {
				if (content.kind !== "text") return this.notUnderstood();
				const nik = parseNik(content.text);
				if (!nik.ok) {
					this.say(`${this.t.nikProblem[nik.problem]} ${this.t.askNik}`);
					return;
				}
				draft.nik = nik.nik;
				draft.nikWarnings = nik.warnings;
				return this.afterField({ name: "name" });
			}
			case "name": {
				if (content.kind !== "text") return this.notUnderstood();
				const name = content.text.trim().replace(/\s+/g, " ");
				if (!/^[\p{L}][\p{L}\p{M} .,'-]{1,79}$/u.test(name)) {
					this.say(this.t.badName);
					return;
				}
				draft.name = name;
				return this.afterField({ name: "kecamatan" });
			}
			case "kecamatan": {
				const chosen = pick(content, this.kecamatanOptions());
				if (chosen === undefined) return this.notUnderstood();
				draft.kecamatan = chosen.id;
				return this.goto({ name: "area", kecamatan: chosen.id, page: 0 });
			}
			case "area": {
				const options = this.areaOptions(phase.kecamatan);
				const chosen = pick(content, [...options, ...this.pagingOptions()]);
				if (chosen?.id === PAGE_NEXT || chosen?.id === PAGE_PREVIOUS) {
					return this.goto({ ...phase, page: phase.page + (chosen.id === PAGE_NEXT ? 1 : -1) });
				}
				if (chosen === undefined) return this.notUnderstood();
				draft.area = chosen.id;
				return this.afterField({ name: "documents", index: 0 });
			}
			case "documents":
				return this.onDocumentAnswer(message, phase.index);
			case "confirm": {
				const chosen = pick(content, this.confirmOptions());
				if (chosen === undefined) return this.notUnderstood();
				if (chosen.id === "confirm:send") {
					this.state.phase = { name: "submitting" };
					this.effects.push({
						kind: "submit",
						draft: structuredClone(draft),
						lang: this.lang,
						at: this.ctx.now,
					});
					return;
				}
				if (chosen.id === "confirm:change") return this.goto({ name: "edit" });
				this.discardDraft();
				this.say(this.t.cancelled);
				return;
			}
			case "edit": {
				const chosen = pick(content, this.editOptions());
				if (chosen === undefined) return this.notUnderstood();
				draft.editing = true;
				switch (chosen.id) {
					case "edit:service":
						return this.restartDocuments(() => this.goto({ name: "service", page: 0 }));
					case "edit:nik":
						return this.goto({ name: "nik" });
					case "edit:name":
						return this.goto({ name: "name" });
					case "edit:area":
						return this.goto({ name: "kecamatan" });
					default:
						return this.restartDocuments(() => this.goto({ name: "documents", index: 0 }));
				}
			}
			case "submitting":
				this.say(this.t.submitting);
				return;
		}
	}

	/** After a field: back to the summary when editing, else on to `next`. */
	private afterField(next: Phase): void {
		const draft = this.state.draft;
		if (draft?.editing) {
			draft.editing = false;
			return this.goto({ name: "confirm" });
		}
		this.goto(next);
	}

	/** Changing the service or the documents drops the files sent so far for the old list. */
	private restartDocuments(then: () => void): void {
		const draft = this.state.draft;
		if (draft) {
			const dropped = draft.files.filter((f) => f.docCode !== EARLY_DOC_CODE);
			const keys = dropped.flatMap((f) => (f.key ? [f.key] : []));
			if (keys.length > 0) {
				this.effects.push({ kind: "discard_files", keys, requestId: draft.requestId });
			}
			draft.files = draft.files.filter((f) => f.docCode === EARLY_DOC_CODE);
			draft.editing = false;
		}
		then();
	}

	private chooseVariant(code: string | undefined): void {
		const draft = this.state.draft;
		const variant = findVariant(this.ctx.catalog, draft?.service, code);
		const service = findService(this.ctx.catalog, draft?.service);
		if (draft === null || variant === undefined || service === undefined)
			return this.notUnderstood();
		draft.variant = variant.code;
		this.say(
			this.t.needed(
				service.label[this.lang],
				variant.label[this.lang],
				variant.requirements.map((r) => ({ label: r.label[this.lang], required: r.required })),
				variant.note?.[this.lang],
			),
		);
		if (draft.editing) {
			// A new service means a new list of documents: ask them all again.
			draft.editing = false;
			return this.goto({ name: "documents", index: 0 });
		}
		if (draft.nik === undefined) return this.goto({ name: "nik" });
		this.goto({ name: "documents", index: 0 });
	}

	private requirements(): Requirement[] {
		const draft = this.state.draft;
		return findVariant(this.ctx.catalog, draft?.service, draft?.variant)?.requirements ?? [];
	}

	private onDocumentAnswer(message: InboundMessage, index: number): void {
		const requirement = this.requirements()[index];
		if (requirement === undefined) return this.goto({ name: "confirm" });
		const chosen = pick(message.content, this.documentOptions(requirement));
		const stored = this.filesFor(requirement.code);
		if (chosen?.id === "doc:next" || chosen?.id === "doc:skip") {
			if (requirement.required && stored === 0) {
				this.say(this.t.documentRequired(requirement.label[this.lang]));
				return;
			}
			return this.nextDocument(index);
		}
		this.say(this.t.notUnderstood);
		this.prompt();
	}

	private nextDocument(index: number): void {
		const next = index + 1;
		if (next >= this.requirements().length) return this.goto({ name: "confirm" });
		this.goto({ name: "documents", index: next });
	}

	private filesFor(docCode: string): number {
		const files =
			this.state.phase.name === "revision"
				? (this.state.revision?.files ?? [])
				: (this.state.draft?.files ?? []);
		return files.filter((f) => f.docCode === docCode && f.status === "stored").length;
	}

	private onMedia(message: InboundMessage): void {
		const content = message.content;
		if (content.kind !== "media") return;
		if (this.state.phase.name === "revision") return this.onRevisionMedia(message);
		if (this.state.draft === null || this.state.phase.name === "idle") this.startDraft(true);
		const draft = this.state.draft;
		if (draft === null) return;
		const phase = this.state.phase;
		const requirement = phase.name === "documents" ? this.requirements()[phase.index] : undefined;
		const target = requirement ?? {
			code: EARLY_DOC_CODE,
			label: { id: "Dokumen tambahan", en: "Additional document" },
			required: false,
			...EARLY_FILE,
		};
		const mime = content.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
		if (!target.acceptedTypes.includes(mime)) {
			this.say(
				this.t.wrongType(target.label[this.lang], this.t.acceptedTypes(target.acceptedTypes)),
			);
			return this.prompt();
		}
		if (draft.files.some((f) => f.messageId === message.id)) return;
		draft.files.push({ messageId: message.id, docCode: target.code, status: "pending" });
		this.effects.push({
			kind: "download",
			job: {
				requestId: draft.requestId,
				docCode: target.code,
				messageId: message.id,
				mediaId: content.mediaId,
				declaredMime: mime,
				...(content.sha256 ? { announcedSha256: content.sha256 } : {}),
				acceptedTypes: target.acceptedTypes,
				maxBytes: target.maxBytes,
				...(content.fileName ? { fileName: content.fileName } : {}),
			},
		});
	}

	// ---- outcomes of effects --------------------------------------------------------------

	private fileEntry(messageId: string): DraftFile | undefined {
		return (
			this.state.draft?.files.find((f) => f.messageId === messageId) ??
			this.state.revision?.files.find((f) => f.messageId === messageId)
		);
	}

	private labelOf(docCode: string): string {
		if (docCode === EARLY_DOC_CODE)
			return this.lang === "id" ? "Dokumen tambahan" : "Additional document";
		return this.findRequirement(docCode)?.label[this.lang] ?? docCode;
	}

	private onMediaStored(event: Extract<DialogueEvent, { type: "media_stored" }>): void {
		const file = this.fileEntry(event.messageId);
		if (file === undefined) {
			// The draft was cancelled while the file downloaded: do not keep it.
			this.effects.push({ kind: "discard_files", keys: [event.key], requestId: "" });
			return;
		}
		Object.assign(file, {
			status: "stored",
			key: event.key,
			size: event.size,
			mimeType: event.mimeType,
			sha256: event.sha256,
			...(event.fileName ? { fileName: event.fileName } : {}),
		});
		if (file.docCode === EARLY_DOC_CODE) {
			this.say(this.t.earlyFileKept);
			return this.prompt();
		}
		const phase = this.state.phase;
		const current =
			phase.name === "documents"
				? this.requirements()[phase.index]
				: phase.name === "revision"
					? this.revisionRequirements()[phase.index]
					: undefined;
		if (current?.code === file.docCode) {
			this.send({
				type: "buttons",
				body: this.t.documentReceived(this.labelOf(file.docCode), this.filesFor(file.docCode)),
				buttons: [{ id: "doc:next", title: this.t.next }],
			});
		}
	}

	private dropFile(messageId: string): string | undefined {
		const file = this.fileEntry(messageId);
		if (file === undefined) return undefined;
		const keep = (f: DraftFile) => f.messageId !== messageId;
		if (this.state.draft) this.state.draft.files = this.state.draft.files.filter(keep);
		if (this.state.revision) this.state.revision.files = this.state.revision.files.filter(keep);
		return file.docCode;
	}

	private onMediaRefused(messageId: string, reason: "too_large" | "wrong_type"): void {
		const docCode = this.dropFile(messageId);
		if (docCode === undefined) return;
		const requirement = this.findRequirement(docCode);
		const accepted = requirement?.acceptedTypes ?? EARLY_FILE.acceptedTypes;
		const maxBytes = requirement?.maxBytes ?? EARLY_FILE.maxBytes;
		const label = this.labelOf(docCode);
		this.say(
			reason === "too_large"
				? this.t.tooLarge(label, Math.floor(maxBytes / (1024 * 1024)))
				: this.t.wrongType(label, this.t.acceptedTypes(accepted)),
		);
	}

	private onMediaFailed(messageId: string): void {
		const docCode = this.dropFile(messageId);
		if (docCode === undefined) return;
		this.say(this.t.resendFile(this.labelOf(docCode)));
	}

	private onSubmitted(requestId: string, ticket: string): void {
		const draft = this.state.draft;
		if (draft === null || draft.requestId !== requestId) return;
		const service = findService(this.ctx.catalog, draft.service);
		const variant = findVariant(this.ctx.catalog, draft.service, draft.variant);
		this.say(this.t.submitted(ticket, service?.resultKind === "card", variant?.note?.[this.lang]));
		this.state.draft = null;
		this.state.remindedAt = null;
		this.state.phase = { name: "idle" };
	}

	private onStatusReport(
		lines: { ticket: string; service: string; status: string }[],
		ticket?: string,
	) {
		if (ticket !== undefined && lines.length === 0) this.say(this.t.statusNotFound(ticket));
		else if (lines.length === 0) this.say(this.t.statusNone);
		else {
			this.say(
				[
					this.t.statusHeader,
					...lines.map((l) => this.t.statusLine(l.ticket, l.service, l.status)),
					"",
					this.t.statusFooter,
				].join("\n"),
			);
		}
		if (this.state.phase.name !== "idle") this.prompt();
	}

	private onTick(now: number): void {
		const due = nextTickAt(this.state);
		if (due === null || now < due) return;
		if (this.state.remindedAt === null) {
			this.state.remindedAt = now;
			this.say(this.t.reminder);
			return this.prompt();
		}
		this.discardDraft();
		this.say(this.t.expired);
	}

	// ---- staff notices and corrections ------------------------------------------------------

	private onStaffNotice(notice: StaffNotice): void {
		const t = this.t;
		const sendNotice = (body: string, summary: string): void => {
			this.effects.push({ kind: "send", message: { type: "text", body }, notice: summary });
		};
		switch (notice.kind) {
			case "message":
				return sendNotice(
					t.staffMessage(notice.ticket, notice.text),
					t.templateSummary(
						notice.ticket,
						this.lang === "id" ? "Pesan dari petugas" : "Message from staff",
					),
				);
			case "pickup":
				return sendNotice(
					t.pickup(notice.ticket, notice.place, notice.from),
					t.templateSummary(
						notice.ticket,
						this.lang === "id" ? "Kartu siap diambil" : "Card ready for pick-up",
					),
				);
			case "status": {
				const words = statusWords(notice.status, this.lang);
				const summary = t.templateSummary(notice.ticket, words);
				if (notice.status === "needs_revision" && notice.documents && notice.documents.length > 0) {
					const requirements = this.requirementsOf(notice.serviceCode, notice.variantCode);
					const docs = notice.documents.filter((code) => requirements.some((r) => r.code === code));
					const current = this.state.phase;
					const resume =
						current.name === "revision"
							? (this.state.revision?.resume ?? { name: "idle" })
							: current;
					this.state.revision = {
						requestId: notice.requestId,
						ticket: notice.ticket,
						serviceCode: notice.serviceCode,
						variantCode: notice.variantCode,
						docs,
						files: [],
						resume,
					};
					sendNotice(
						t.revisionAsk(
							notice.ticket,
							notice.reason,
							docs.map(
								(code) => requirements.find((r) => r.code === code)?.label[this.lang] ?? code,
							),
						),
						summary,
					);
					return this.goto({ name: "revision", index: 0 });
				}
				if (this.state.revision?.requestId === notice.requestId) this.endRevision();
				return sendNotice(
					t.statusNotice(notice.ticket, notice.status, words, notice.reason),
					summary,
				);
			}
		}
	}

	/** Leaves the revision and goes back to where the resident was. */
	private endRevision(): void {
		const resume = this.state.revision?.resume ?? { name: "idle" };
		this.state.revision = null;
		this.state.phase = resume;
	}

	private requirementsOf(service: string, variant: string): Requirement[] {
		return findVariant(this.ctx.catalog, service, variant)?.requirements ?? [];
	}

	private revisionRequirements(): Requirement[] {
		const revision = this.state.revision;
		if (!revision) return [];
		const all = this.requirementsOf(revision.serviceCode, revision.variantCode);
		return revision.docs.flatMap((code) => all.filter((r) => r.code === code));
	}

	/** A requirement of the draft or of the revision, by code. */
	private findRequirement(docCode: string): Requirement | undefined {
		return (
			this.requirements().find((r) => r.code === docCode) ??
			this.revisionRequirements().find((r) => r.code === docCode)
		);
	}

	private promptRevision(index: number): void {
		const revision = this.state.revision;
		const requirements = this.revisionRequirements();
		const requirement = requirements[index];
		if (!revision || requirement === undefined) return this.say(this.t.submitting);
		const body = this.t.revisionDocument(
			requirement.label[this.lang],
			index + 1,
			requirements.length,
		);
		if (this.filesFor(requirement.code) === 0) return this.say(body);
		this.send({ type: "buttons", body, buttons: [{ id: "doc:next", title: this.t.next }] });
	}

	private onRevisionMedia(message: InboundMessage): void {
		const content = message.content;
		const phase = this.state.phase;
		const revision = this.state.revision;
		if (content.kind !== "media" || phase.name !== "revision" || !revision) return;
		const requirement = this.revisionRequirements()[phase.index];
		if (requirement === undefined) return this.say(this.t.submitting);
		const mime = content.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
		if (!requirement.acceptedTypes.includes(mime)) {
			this.say(
				this.t.wrongType(
					requirement.label[this.lang],
					this.t.acceptedTypes(requirement.acceptedTypes),
				),
			);
			return this.prompt();
		}
		if (revision.files.some((f) => f.messageId === message.id)) return;
		revision.files.push({ messageId: message.id, docCode: requirement.code, status: "pending" });
		this.effects.push({
			kind: "download",
			job: {
				requestId: revision.requestId,
				docCode: requirement.code,
				messageId: message.id,
				mediaId: content.mediaId,
				declaredMime: mime,
				...(content.sha256 ? { announcedSha256: content.sha256 } : {}),
				acceptedTypes: requirement.acceptedTypes,
				maxBytes: requirement.maxBytes,
				...(content.fileName ? { fileName: content.fileName } : {}),
			},
		});
	}

	private onRevisionAnswer(message: InboundMessage, index: number): void {
		const revision = this.state.revision;
		const requirements = this.revisionRequirements();
		const requirement = requirements[index];
		if (!revision || requirement === undefined) return this.say(this.t.submitting);
		const chosen = pick(message.content, this.documentOptions({ ...requirement, required: true }));
		if (chosen?.id !== "doc:next") return this.notUnderstood();
		if (this.filesFor(requirement.code) === 0) {
			this.say(this.t.documentRequired(requirement.label[this.lang]));
			return;
		}
		if (index + 1 < requirements.length) return this.goto({ name: "revision", index: index + 1 });
		this.state.phase = { name: "revision", index: requirements.length };
		this.effects.push({
			kind: "resubmit",
			requestId: revision.requestId,
			files: structuredClone(revision.files.filter((f) => f.status === "stored")),
			at: this.ctx.now,
		});
	}

	private onResubmitted(requestId: string): void {
		const revision = this.state.revision;
		if (!revision || revision.requestId !== requestId) return;
		this.say(this.t.revisionDone(revision.ticket));
		this.endRevision();
		if (this.state.phase.name !== "idle") this.prompt();
	}

	// ---- cancelling a submitted request ---------------------------------------------------

	private cancelOptions(): Option[] {
		return [
			{ id: "cancel:yes", title: this.t.cancelYes, aliases: ["ya", "yes", "batalkan", "cancel"] },
			{ id: "cancel:no", title: this.t.cancelNo, aliases: ["tidak", "no", "jangan"] },
		];
	}

	private onCancelAnswer(
		message: InboundMessage,
		phase: Extract<Phase, { name: "confirm_cancel" }>,
	): void {
		const chosen = pick(message.content, this.cancelOptions());
		if (chosen === undefined) return this.notUnderstood();
		this.state.phase = phase.resume;
		if (chosen.id === "cancel:yes") {
			this.effects.push({ kind: "cancel_request", ticket: phase.ticket });
			return;
		}
		this.say(this.t.cancelKept(phase.ticket));
		this.prompt();
	}

	private onCancelResult(
		ticket: string,
		outcome: "cancelled" | "not_found" | "too_late",
		status: RequestStatus | undefined,
	): void {
		if (outcome === "cancelled") this.say(this.t.requestCancelled(ticket));
		else if (outcome === "not_found") this.say(this.t.statusNotFound(ticket));
		else this.say(this.t.cancelTooLate(ticket, status ? statusWords(status, this.lang) : "-"));
		if (this.state.phase.name !== "idle") this.prompt();
	}

	// ---- questions -------------------------------------------------------------------------

	private notUnderstood(): void {
		this.say(this.t.notUnderstood);
		this.prompt();
	}

	/** Asks the current question (again). */
	private prompt(): void {
		const phase = this.state.phase;
		const draft = this.state.draft;
		switch (phase.name) {
			case "idle":
				return;
			case "service":
				return this.list(
					this.t.chooseService,
					this.t.chooseServiceButton,
					this.serviceOptions(),
					phase.page,
				);
			case "variant": {
				const service = findService(this.ctx.catalog, draft?.service);
				const options = this.variantOptions();
				const body = `${this.t.chooseVariant(service?.label[this.lang] ?? "")}\n${numbered(options)}`;
				if (options.length <= 3) {
					return this.send({
						type: "buttons",
						body,
						buttons: options.map((o) => ({ id: o.id, title: fitTitle(o.title, 20) })),
					});
				}
				return this.list(
					this.t.chooseVariant(service?.label[this.lang] ?? ""),
					this.t.chooseButton,
					options,
					0,
				);
			}
			case "nik":
				return this.say(this.t.askNik);
			case "name":
				return this.say(this.t.askName);
			case "kecamatan":
				return this.list(this.t.chooseKecamatan, this.t.chooseButton, this.kecamatanOptions(), 0);
			case "area": {
				const kecamatan = this.ctx.catalog.kecamatan.find((k) => k.code === phase.kecamatan);
				return this.list(
					this.t.chooseArea(kecamatan?.name ?? ""),
					this.t.chooseButton,
					this.areaOptions(phase.kecamatan),
					phase.page,
				);
			}
			case "documents": {
				const requirements = this.requirements();
				const requirement = requirements[phase.index];
				if (requirement === undefined) return this.goto({ name: "confirm" });
				const body = this.t.askDocument(
					requirement.label[this.lang],
					requirement.required,
					phase.index + 1,
					requirements.length,
				);
				if (requirement.required && this.filesFor(requirement.code) === 0) return this.say(body);
				return this.send({
					type: "buttons",
					body,
					buttons: this.documentOptions(requirement).map((o) => ({ id: o.id, title: o.title })),
				});
			}
			case "confirm":
				return this.send({
					type: "buttons",
					body: this.summary(),
					buttons: this.confirmOptions().map((o) => ({ id: o.id, title: o.title })),
				});
			case "edit":
				return this.send({
					type: "list",
					body: `${this.t.chooseField}\n${numbered(this.editOptions())}`,
					button: this.t.chooseButton,
					sections: [{ rows: this.editOptions().map((o) => ({ id: o.id, title: o.title })) }],
				});
			case "submitting":
				return this.say(this.t.submitting);
			case "revision":
				return this.promptRevision(phase.index);
			case "confirm_cancel":
				return this.send({
					type: "buttons",
					body: this.t.cancelConfirm(phase.ticket),
					buttons: this.cancelOptions().map((o) => ({ id: o.id, title: o.title })),
				});
		}
	}

	private list(body: string, button: string, options: Option[], page: number): void {
		const { rows } = pageRows(options, page, {
			next: this.t.nextPage,
			previous: this.t.previousPage,
		});
		this.send({
			type: "list",
			body: `${body}\n${numbered(options)}`,
			button,
			sections: [{ rows }],
		});
	}

	private summary(): string {
		const draft = this.state.draft;
		const service = findService(this.ctx.catalog, draft?.service);
		const variant = findVariant(this.ctx.catalog, draft?.service, draft?.variant);
		const area = findArea(this.ctx.catalog, draft?.area);
		const kecamatan = this.ctx.catalog.kecamatan.find((k) => k.code === area?.kecamatanCode);
		const f = this.t.fields;
		const docs = this.requirements().map((r) => {
			const n = this.filesFor(r.code);
			return `${r.label[this.lang]} (${n > 0 ? `${n} file` : "-"})`;
		});
		const early = this.filesFor(EARLY_DOC_CODE);
		if (early > 0) docs.push(`${this.labelOf(EARLY_DOC_CODE)} (${early} file)`);
		return this.t.summary([
			{
				label: f.service,
				value: `${service?.label[this.lang] ?? "-"}, ${variant?.label[this.lang] ?? "-"}`,
			},
			{ label: f.nik, value: draft?.nik ?? "-" },
			{ label: f.name, value: draft?.name ?? "-" },
			{ label: f.area, value: area ? `${area.name}, ${kecamatan?.name ?? ""}` : "-" },
			{ label: f.documents, value: docs.join("; ") || "-" },
		]);
	}

	// ---- options ---------------------------------------------------------------------------

	private pagingOptions(): Option[] {
		return [
			{ id: PAGE_NEXT, title: this.t.nextPage, aliases: ["berikutnya", "lagi", "more", "next"] },
			{ id: PAGE_PREVIOUS, title: this.t.previousPage, aliases: ["sebelumnya", "kembali", "back"] },
		];
	}

	private serviceOptions(): Option[] {
		return this.ctx.catalog.services.map((s) => ({
			id: s.code,
			title: fitTitle(s.label[this.lang]),
			description: fitTitle(s.description[this.lang], 72),
			aliases: [s.label.id, s.label.en],
		}));
	}

	private variantOptions(): Option[] {
		const service = findService(this.ctx.catalog, this.state.draft?.service);
		return (service?.variants ?? []).map((v) => ({
			id: v.code,
			title: fitTitle(v.label[this.lang], 24),
			description: fitTitle(v.description[this.lang], 72),
			aliases: [v.label.id, v.label.en],
		}));
	}

	private kecamatanOptions(): Option[] {
		return this.ctx.catalog.kecamatan.map((k) => ({ id: k.code, title: fitTitle(k.name) }));
	}

	private areaOptions(kecamatan: string): Option[] {
		const k = this.ctx.catalog.kecamatan.find((x) => x.code === kecamatan);
		return (k?.areas ?? []).map((a) => ({
			id: a.code,
			title: fitTitle(a.name),
			description: a.kind === "desa" ? "Desa" : "Kelurahan",
		}));
	}

	private documentOptions(requirement: Requirement): Option[] {
		const options: Option[] = [];
		if (this.filesFor(requirement.code) > 0) {
			options.push({
				id: "doc:next",
				title: this.t.next,
				aliases: ["lanjut", "next", "selesai", "done"],
			});
		} else if (!requirement.required) {
			options.push({
				id: "doc:skip",
				title: this.t.skip,
				aliases: ["lewati", "skip", "tidak ada", "lanjut", "next"],
			});
		} else {
			options.push({
				id: "doc:next",
				title: this.t.next,
				aliases: ["lanjut", "next", "lewati", "skip"],
			});
		}
		return options;
	}

	private confirmOptions(): Option[] {
		return [
			{
				id: "confirm:send",
				title: this.t.send,
				aliases: ["kirim", "submit", "ya", "yes", "benar", "ok"],
			},
			{ id: "confirm:change", title: this.t.change, aliases: ["ubah", "change", "edit", "ganti"] },
			{ id: "confirm:cancel", title: this.t.cancel, aliases: ["batal", "cancel", "tidak", "no"] },
		];
	}

	private editOptions(): Option[] {
		const f = this.t.fields;
		return [
			{ id: "edit:service", title: f.service },
			{ id: "edit:nik", title: f.nik },
			{ id: "edit:name", title: f.name },
			{ id: "edit:area", title: f.area },
			{ id: "edit:documents", title: f.documents },
		];
	}
}
