import type { Requirement } from "../../catalog/catalog";
import type { FileProblem, InboundMessage } from "../../channel/events";
import { type DraftFile, EARLY_DOC_CODE } from "../dialogue-state";
import { pick } from "./choices";
import { declareMissing, gotoDocumentFrom, receivedOnePage } from "./document-steps";
import { saysCannotSend, tellKelurahanHelp } from "./kelurahan";
import { openDraft } from "./lifecycle";
import { ANSWER, documentOptions } from "./options";
import { askNext, goto, notUnderstood, prompt } from "./prompts";
import type { Turn } from "./turn";
import type { DialogueEvent } from "./types";

/** Files sent before their turn: what we accept and how large. */
const EARLY_FILE = {
	acceptedTypes: ["image/jpeg", "image/png", "application/pdf"],
	maxBytes: 10 * 1024 * 1024,
};

/** A tap or typed answer while a document of the draft is asked for: on to the next one. */
export function onDocumentAnswer(turn: Turn, message: InboundMessage, index: number): void {
	const requirements = turn.requirements();
	const requirement = requirements[index];
	if (requirement === undefined) return goto(turn, { name: "confirm" });
	const chosen = pick(message.content, documentOptions(turn, requirement));
	if (chosen?.id === ANSWER.documentMissing) return declareMissing(turn, requirement, index);
	if (chosen?.id !== ANSWER.documentNext && chosen?.id !== ANSWER.documentSkip) {
		if (message.content.kind === "text" && saysCannotSend(message.content.text)) {
			return tellKelurahanHelp(turn);
		}
		return notUnderstood(turn);
	}
	if (requirement.required && turn.filesFor(requirement.code) === 0) {
		return turn.say(turn.t.documentRequired(requirement.label[turn.lang]));
	}
	gotoDocumentFrom(turn, index + 1);
}

/**
 * Changing the service or the documents drops the files sent so far for the old list, by their
 * keys only: the draft keeps its files sent before their turn, under the same request's prefix.
 * A dropped file still downloading is discarded when it is stored (see {@link onMediaStored}).
 */
export function restartDocuments(turn: Turn): void {
	const draft = turn.state.draft;
	if (!draft) return;
	const dropped = draft.files.filter((f) => f.docCode !== EARLY_DOC_CODE);
	const keys = dropped.flatMap((f) => (f.key ? [f.key] : []));
	if (keys.length > 0) turn.emit({ kind: "discard_files", keys, requestId: "" });
	draft.files = draft.files.filter((f) => f.docCode === EARLY_DOC_CODE);
	draft.missing = [];
	draft.editing = false;
}

/** Where a file the resident sends goes: which request, which document, which file list. */
interface FileTarget {
	requestId: string;
	files: DraftFile[];
	code: string;
	label: string;
	acceptedTypes: string[];
	maxBytes: number;
}

/**
 * A photo or document from the resident: for the correction staff asked for, for the document
 * being asked, or else kept as an additional document (a draft is started if there is none).
 */
export function onMedia(turn: Turn, message: InboundMessage): void {
	const content = message.content;
	if (content.kind !== "media") return;
	const target = fileTarget(turn);
	if (target === undefined) return;
	const mime = content.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
	if (!target.acceptedTypes.includes(mime)) {
		turn.say(turn.t.wrongType(target.label, turn.t.acceptedTypes(target.acceptedTypes)));
		return prompt(turn);
	}
	if (target.files.some((f) => f.messageId === message.id)) return;
	target.files.push({ messageId: message.id, docCode: target.code, status: "pending" });
	turn.emit({
		kind: "download",
		job: {
			requestId: target.requestId,
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

function fileTarget(turn: Turn): FileTarget | undefined {
	const { state, lang } = turn;
	const of = (requirement: Requirement) => ({
		code: requirement.code,
		label: requirement.label[lang],
		acceptedTypes: requirement.acceptedTypes,
		maxBytes: requirement.maxBytes,
	});
	if (state.phase.name === "revision") {
		const revision = state.revision;
		const requirement = turn.revisionRequirements()[state.phase.index];
		if (!revision) return undefined;
		if (requirement === undefined) {
			turn.say(turn.t.submitting);
			return undefined;
		}
		return { requestId: revision.requestId, files: revision.files, ...of(requirement) };
	}
	const starting = state.draft === null || state.phase.name === "idle";
	if (starting) openDraft(turn, true);
	const draft = state.draft;
	if (draft === null) return undefined;
	const phase = state.phase;
	const requirement = phase.name === "documents" ? turn.requirements()[phase.index] : undefined;
	const early = { code: EARLY_DOC_CODE, label: turn.t.additionalDocument, ...EARLY_FILE };
	// Files sent before their turn come in bursts: say once that they are kept, then ask on.
	if (requirement === undefined && !draft.earlyNoticed) {
		draft.earlyNoticed = true;
		turn.say(turn.t.earlyFileKept);
		prompt(turn);
	} else if (starting) prompt(turn);
	return {
		requestId: draft.requestId,
		files: draft.files,
		...(requirement ? of(requirement) : early),
	};
}

function fileEntry(turn: Turn, messageId: string): DraftFile | undefined {
	return (
		turn.state.draft?.files.find((f) => f.messageId === messageId) ??
		turn.state.revision?.files.find((f) => f.messageId === messageId)
	);
}

/** A file is in storage: note it, and tell the resident if it is for the document being asked. */
export function onMediaStored(
	turn: Turn,
	event: Extract<DialogueEvent, { type: "media_stored" }>,
): void {
	const file = fileEntry(turn, event.messageId);
	if (file === undefined) {
		// The draft was cancelled while the file downloaded: do not keep it.
		turn.emit({ kind: "discard_files", keys: [event.key], requestId: "" });
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
	// A file sent before its turn was answered when it came (once for a burst).
	if (file.docCode === EARLY_DOC_CODE) return;
	const phase = turn.state.phase;
	const current =
		phase.name === "documents"
			? turn.requirements()[phase.index]
			: phase.name === "revision"
				? turn.revisionRequirements()[phase.index]
				: undefined;
	if (current?.code !== file.docCode) return;
	// One photo is the whole of a one-page document: move on, offering another page.
	if (phase.name === "documents" && current.onePage) {
		return receivedOnePage(turn, current, phase.index);
	}
	askNext(turn, turn.t.documentReceived(turn.labelOf(file.docCode), turn.filesFor(file.docCode)));
}

/** Forgets a file that did not make it into storage; returns its document code. */
function dropFile(turn: Turn, messageId: string): string | undefined {
	const file = fileEntry(turn, messageId);
	if (file === undefined) return undefined;
	const keep = (f: DraftFile) => f.messageId !== messageId;
	const { draft, revision } = turn.state;
	if (draft) draft.files = draft.files.filter(keep);
	if (revision) revision.files = revision.files.filter(keep);
	return file.docCode;
}

/** Storage refused a file (too large, or not what it claimed to be). */
export function onMediaRefused(
	turn: Turn,
	messageId: string,
	reason: "too_large" | "wrong_type",
): void {
	const docCode = dropFile(turn, messageId);
	if (docCode === undefined) return;
	const requirement = turn.findRequirement(docCode);
	const accepted = requirement?.acceptedTypes ?? EARLY_FILE.acceptedTypes;
	const maxBytes = requirement?.maxBytes ?? EARLY_FILE.maxBytes;
	const label = turn.labelOf(docCode);
	turn.say(
		reason === "too_large"
			? turn.t.tooLarge(label, Math.floor(maxBytes / (1024 * 1024)))
			: turn.t.wrongType(label, turn.t.acceptedTypes(accepted)),
	);
}

/**
 * What to say of a file the channel could not pass on (too large for it, or lost on the way):
 * about the document being asked for, with its size limit, or else about any file (the limit of
 * a file sent before its turn). Changes nothing: no file was received.
 */
export function fileProblemText(turn: Turn, problem: FileProblem): string {
	const { state, lang, t } = turn;
	const requirement =
		state.phase.name === "revision"
			? turn.revisionRequirements()[state.phase.index]
			: state.phase.name === "documents"
				? turn.requirements()[state.phase.index]
				: undefined;
	const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));
	if (requirement === undefined) {
		return problem === "too_large" ? t.fileTooLarge(mb(EARLY_FILE.maxBytes)) : t.fileNotReceived;
	}
	const label = requirement.label[lang];
	return problem === "too_large"
		? t.tooLarge(label, mb(requirement.maxBytes))
		: t.resendFile(label);
}

/** The file could not be fetched: ask for it again. */
export function onMediaFailed(turn: Turn, messageId: string): void {
	const docCode = dropFile(turn, messageId);
	if (docCode === undefined) return;
	turn.say(turn.t.resendFile(turn.labelOf(docCode)));
}
