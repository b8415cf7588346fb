import { conversationName } from "../../channel/address";
import type { InboundMessage } from "../../channel/events";
import { log, maskId } from "../../log";
import { moveResident, type ResidentMoveKind } from "../../requests/resident-moves";
import type { DialogueState } from "../dialogue";
import type { Job } from "../store/jobs";
import type { UnsentMessage } from "../store/outbox";
import type { Work } from "./context";
import { requestUnderWay } from "./steps";

/**
 * What a resident's other conversation takes over from this one: after a number change, or when
 * a user id (BSUID) that had its own conversation is linked to a phone number.
 */
export interface Adoption {
	/** The id the resident was known by in the conversation handing over: the handover's key. */
	from: string;
	businessId: string;
	residentId: string;
	profileName?: string;
	userId?: string;
	/** The dialogue's saved state (draft, language, current question), as stored. */
	state?: string;
	/** Replies not sent yet (pending, or waiting for the window): they go to the new address. */
	outbox: UnsentMessage[];
	/** Work in line (submissions, downloads, staff notices): it finishes in the new conversation. */
	jobs: { id: string; job: Job }[];
	/** Messages received but not handled yet. */
	inbox: InboundMessage[];
}

/**
 * The resident now writes as `to`: after a number change (WhatsApp `user_changed_number`), or
 * because the user id this conversation is under was linked to the phone `to`
 * (`identity_merged`). The conversation under `to` takes over the dialogue, the unsent replies,
 * the jobs and unhandled messages; D1's requests, notices and handoff follow; this object forgets
 * the dialogue. Nothing is sent here. Done once: a redelivery finds the move recorded, and the
 * other side takes each handover once (by `from`), so a crash between the two repeats nothing.
 */
export async function moveResidentTo(
	work: Work,
	to: string,
	kind: ResidentMoveKind = "number_changed",
): Promise<void> {
	const { kv, outbox, jobs, inbox } = work.tables;
	const { channel, businessId, residentId, profileName } = kv.identity();
	// An object that never heard from the resident (its identity only its name) has nothing to move.
	if (kv.get("moved_to") === to || !kv.hasIdentity() || residentId === to) return;
	const userId = kv.get("user_id");
	const state = kv.get("state");
	const unsent = outbox.unsent();
	const queued = jobs.all();
	const unhandled = inbox.unhandled();
	// The new conversation's stub, straight from the binding (../address would close an import cycle).
	const next = work.env.CONVERSATIONS.getByName(conversationName(businessId, to));
	const took = await next.adopt({
		from: residentId,
		businessId,
		residentId: to,
		...(profileName === undefined ? {} : { profileName }),
		...(userId === undefined ? {} : { userId }),
		...(state === undefined ? {} : { state }),
		outbox: unsent,
		jobs: queued,
		inbox: unhandled,
	});
	const requests = await moveResident(work.db, {
		businessId,
		from: residentId,
		to,
		at: Date.now(),
		kind,
	});
	// Messages recorded here while the handover was out (a call is not held back by the move),
	// and after a handover cut short and redelivered those the other side did not take again, go
	// over as a delivery, until none is left: the other side keeps each message once, by its id.
	// The last look and the transaction below run with no wait between them.
	const handed = new Set(took ? unhandled.map((m) => m.id) : []);
	const left = () => inbox.unhandled().filter((m) => !handed.has(m.id));
	for (let late = left(); late.length > 0; late = left()) {
		await next.receive({
			channel,
			businessId,
			residentId: to,
			...(profileName === undefined ? {} : { profileName }),
			messages: late,
			statuses: [],
		});
		for (const message of late) handed.add(message.id);
	}
	const now = Date.now();
	work.tables.transaction(() => {
		kv.set("moved_to", to);
		kv.set("moved_at", String(now));
		// The state row holds how far the inbox was handled: each message says so itself first.
		inbox.markAllProcessed(now);
		kv.delete("state");
		kv.delete("user_id");
		outbox.remove(unsent.map((m) => m.seq));
		for (const { id } of queued) jobs.drop(id);
		// Kept as handled (not deleted): a redelivery here still finds its id and adds nothing.
		for (const id of handed) inbox.markProcessed(id, now, null);
	});
	log.info(`conversation.${kind}`, {
		from: maskId(residentId),
		to: maskId(to),
		requests,
		replies: unsent.length,
		jobs: queued.length,
	});
}

/**
 * Takes over the resident's other conversation (see {@link moveResidentTo}). Of two dialogues the
 * more recently active one is kept (a dialogue already going on here after the other one went
 * quiet is the newer); the other's unsent replies, jobs and unhandled messages queue after this
 * one's. Once per `from`: a repeated handover only refreshes the identity.
 */
export async function adopt(work: Work, adoption: Adoption): Promise<boolean> {
	const { kv, outbox, jobs, inbox } = work.tables;
	const adopted = kv.adoptedFrom();
	const now = Date.now();
	const fresh = !adopted.includes(adoption.from);
	work.tables.transaction(() => {
		kv.setIdentity({
			channel: "whatsapp",
			businessId: adoption.businessId,
			residentId: adoption.residentId,
			profileName: adoption.profileName,
		});
		if (adoption.userId !== undefined) kv.set("user_id", adoption.userId);
		if (!fresh) return;
		if (adoption.state !== undefined && newerThanOurs(kv.dialogueState(), adoption.state)) {
			kv.set("state", adoption.state);
		}
		outbox.takeOver(adoption.outbox, now);
		for (const { id, job } of adoption.jobs) jobs.queue(id, job, now);
		const underWay = requestUnderWay(kv.dialogueState());
		adoption.inbox.forEach((message, position) => {
			inbox.record(message, now, position, underWay);
		});
		kv.set("adopted_from", JSON.stringify([...adopted, adoption.from]));
	});
	if (fresh && adoption.outbox.length + adoption.jobs.length + adoption.inbox.length > 0) {
		await work.armAlarm(now);
	}
	return fresh;
}

/** Whether the other conversation's saved dialogue was active more recently than ours. */
function newerThanOurs(ours: DialogueState | undefined, theirs: string): boolean {
	if (ours === undefined) return true;
	const other = JSON.parse(theirs) as DialogueState;
	return (other.lastInboundAt ?? 0) > (ours.lastInboundAt ?? 0);
}
