import { conversationName } from "../channel/address";
import type { Conversation } from "./conversation";

/** The stub of a resident's Conversation object (the only place that builds its name). */
export function conversationFor(
	env: Pick<Env, "CONVERSATIONS">,
	businessId: string,
	residentId: string,
): DurableObjectStub<Conversation> {
	return env.CONVERSATIONS.getByName(conversationName(businessId, residentId));
}
