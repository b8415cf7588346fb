/**
 * An error as D1 and the logs may keep it: long digit runs (NIK, phone numbers) and WhatsApp
 * message ids (which encode the phone number) masked, and short.
 */
export function maskedError(detail: string): string {
	return detail
		.replace(/wamid\.[A-Za-z0-9+/=_-]+/g, "wamid.***")
		.replace(/\+?\d{6,}/g, "***")
		.slice(0, 300);
}
