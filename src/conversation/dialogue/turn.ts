import {
	type Catalog,
	findVariant,
	type Lang,
	type Requirement,
	variantKey,
} from "../../catalog/catalog";
import type { OutboundMessage } from "../../channel/messages";
import { BODY_LIMITS } from "../../channel/presentation";
import { type DialogueState, EARLY_DOC_CODE } from "../dialogue-state";
import { type Texts, textsFor } from "../texts";
import type { Effect, StepContext } from "./types";

/**
 * One step of the dialogue in progress: the state it changes, the effects it has decided so far,
 * and the lookups every stage needs. Stages are functions of a `Turn`; none does I/O.
 */
export class Turn {
	readonly effects: Effect[] = [];

	constructor(
		public state: DialogueState,
		readonly ctx: StepContext,
	) {}

	/** The words in the resident's current language (a command may switch it mid-step). */
	get t(): Texts {
		return textsFor(this.state.lang);
	}

	get lang(): Lang {
		return this.state.lang;
	}

	get catalog(): Catalog {
		return this.ctx.catalog;
	}

	emit(effect: Effect): void {
		this.effects.push(effect);
	}

	/** Sends a message; `notice` summarises it for the status template if the window is closed. */
	send(message: OutboundMessage, notice?: string): void {
		this.emit({ kind: "send", message, ...(notice === undefined ? {} : { notice }) });
	}

	say(body: string): void {
		this.send({ type: "text", body });
	}

	/**
	 * Says `lead`, then runs `ask` (which asks a question): the lead opens the first message `ask`
	 * sends when it fits there, so the resident reads one message, not two. Each message sent is
	 * also a Graph API call and three status webhooks.
	 */
	sayBefore(lead: string, ask: () => void): void {
		const from = this.effects.length;
		ask();
		const first = this.effects[from];
		const message = first?.kind === "send" ? withLead(first.message, lead) : undefined;
		if (first?.kind === "send" && message !== undefined) this.effects[from] = { ...first, message };
		else this.effects.splice(from, 0, { kind: "send", message: { type: "text", body: lead } });
	}

	officeHours(): string {
		return this.catalog.office.hours?.[this.lang] ?? "";
	}

	/**
	 * The documents of a service's variant; of one switched off since, too (a request filed
	 * before it was still needs them for its corrections).
	 */
	requirementsOf(service: string | undefined, variant: string | undefined): Requirement[] {
		const offered = findVariant(this.catalog, service, variant)?.requirements;
		if (offered !== undefined || service === undefined || variant === undefined)
			return offered ?? [];
		return this.catalog.retired?.[variantKey(service, variant)] ?? [];
	}

	/** The documents the draft's service and variant need, in order. */
	requirements(): Requirement[] {
		return this.requirementsOf(this.state.draft?.service, this.state.draft?.variant);
	}

	/** The documents staff asked to be sent again, in order. */
	revisionRequirements(): Requirement[] {
		const revision = this.state.revision;
		if (!revision) return [];
		const all = this.requirementsOf(revision.serviceCode, revision.variantCode);
		return revision.docs.flatMap((code) => all.filter((r) => r.code === code));
	}

	/** A requirement of the draft or of the revision, by code. */
	findRequirement(docCode: string): Requirement | undefined {
		return (
			this.requirements().find((r) => r.code === docCode) ??
			this.revisionRequirements().find((r) => r.code === docCode)
		);
	}

	/** How many files are stored for a document, in the revision while in one, else in the draft. */
	filesFor(docCode: string): number {
		const files =
			this.state.phase.name === "revision"
				? (this.state.revision?.files ?? [])
				: (this.state.draft?.files ?? []);
		return files.filter((f) => f.docCode === docCode && f.status === "stored").length;
	}

	labelOf(docCode: string): string {
		if (docCode === EARLY_DOC_CODE) return this.t.additionalDocument;
		return this.findRequirement(docCode)?.label[this.lang] ?? docCode;
	}
}

/** `message` with `lead` as its first paragraph; undefined when it has no text or would be too long. */
function withLead(message: OutboundMessage, lead: string): OutboundMessage | undefined {
	if (message.type !== "text" && message.type !== "buttons" && message.type !== "list") return;
	const max = message.type === "text" ? BODY_LIMITS.text : BODY_LIMITS.choice;
	const body = `${lead}\n\n${message.body}`;
	return [...body].length <= max ? { ...message, body } : undefined;
}
