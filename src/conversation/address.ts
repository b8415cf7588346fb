import { conversationName } from "../channel/address";
import type { Conversation } from "./conversation";

/** The stub of a resident's Conversation object (the only place that builds its name from ids). */
export function conversationFor(
	env: Pick<Env, "CONVERSATIONS">,
	businessId: string,
	residentId: string,
): DurableObjectStub<Conversation> {
	return env.CONVERSATIONS.getByName(conversationName(businessId, residentId));
}

/** The stub of the Conversation object with this name (as recorded, e.g. on a dead letter). */
export function conversationByName(
	env: Pick<Env, "CONVERSATIONS">,
	name: string,
): DurableObjectStub<Conversation> {
	return env.CONVERSATIONS.getByName(name);
}
