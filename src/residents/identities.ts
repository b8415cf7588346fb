/**
 * One resident, one identity: a phone number (WhatsApp `wa_id`) and/or a business-scoped user id
 * (BSUID, `US.…`). A message carrying both links them here (D1 `resident_identities`), so that a
 * later message carrying only the BSUID finds the conversation and requests kept under the phone.
 */

/** The phone number linked to `userId` on the office's number `businessId`, if any. */
export async function phoneOfUser(
	db: D1Database,
	businessId: string,
	userId: string,
): Promise<string | undefined> {
	const row = await db
		.prepare("SELECT wa_id FROM resident_identities WHERE business_id = ? AND user_id = ?")
		.bind(businessId, userId)
		.first<{ wa_id: string }>();
	return row?.wa_id ?? undefined;
}

/** Links `userId` to the phone number `waId` (the latest message carrying both wins). */
export async function linkUser(
	db: D1Database,
	link: { businessId: string; userId: string; waId: string; at: number },
): Promise<void> {
	await db
		.prepare(
			`INSERT INTO resident_identities (business_id, user_id, wa_id, linked_at) VALUES (?, ?, ?, ?)
			 ON CONFLICT (business_id, user_id) DO UPDATE SET wa_id = excluded.wa_id, linked_at = excluded.linked_at
			 WHERE resident_identities.wa_id IS NOT excluded.wa_id`,
		)
		.bind(link.businessId, link.userId, link.waId, link.at)
		.run();
}
