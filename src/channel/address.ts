/**
 * The one place that knows how a resident's conversation is named: the office's number on the
 * channel and the resident's id there (`<phone_number_id>:<wa_id>` on WhatsApp). Stored in D1
 * (pending notices) and used to address the resident's Conversation object.
 */
export function conversationName(businessId: string, residentId: string): string {
	return `${businessId}:${residentId}`;
}

/**
 * The office number and resident a conversation's name stands for (the inverse of
 * {@link conversationName}; office numbers are digits, so the first colon splits them), if it is
 * one.
 */
export function conversationOfName(
	name: string | undefined,
): { businessId: string; residentId: string } | undefined {
	const colon = name?.indexOf(":") ?? -1;
	if (name === undefined || colon <= 0 || colon === name.length - 1) return undefined;
	return { businessId: name.slice(0, colon), residentId: name.slice(colon + 1) };
}
