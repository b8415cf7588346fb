/**
 * The one place that knows how a resident's conversation is named: the office's number on the
 * channel and the resident's id there (`<phone_number_id>:<wa_id>` on WhatsApp). Stored in D1
 * (pending notices) and used to address the resident's Conversation object.
 */
export function conversationName(businessId: string, residentId: string): string {
	return `${businessId}:${residentId}`;
}
