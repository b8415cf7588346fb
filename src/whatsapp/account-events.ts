import { z } from "zod";

/**
 * Meta's webhooks about the office's own account (not about a resident): `account_update`
 * (bans, restrictions, policy violations) and `phone_number_quality_update` (the number was
 * flagged or its messaging limit changed). The ones that can stop the service become alerts.
 */

/** Something about the office's WhatsApp account an admin must look at. */
export interface AccountAlert {
	/** The WhatsApp Business Account id (`entry[].id`). */
	accountId: string;
	/** Meta's webhook field: `account_update` or `phone_number_quality_update`. */
	field: "account_update" | "phone_number_quality_update";
	/** Meta's event name, e.g. `DISABLED_UPDATE`, `ACCOUNT_RESTRICTION`, `FLAGGED`. */
	event: string;
	/** What Meta said about it (ban state, restrictions, limit): account data, never a resident's. */
	detail: Record<string, unknown>;
}

/** `account_update` events that restrict or end the office's ability to message residents. */
const RESTRICTING_EVENTS = new Set(["DISABLED_UPDATE", "ACCOUNT_RESTRICTION", "ACCOUNT_VIOLATION"]);

const accountUpdateSchema = z.object({
	field: z.literal("account_update"),
	value: z.object({
		event: z.string().min(1),
		phone_number: z.string().optional(),
		ban_info: z.record(z.string(), z.unknown()).optional(),
		restriction_info: z.array(z.record(z.string(), z.unknown())).optional(),
		violation_info: z.record(z.string(), z.unknown()).optional(),
	}),
});

const qualityUpdateSchema = z.object({
	field: z.literal("phone_number_quality_update"),
	value: z.object({
		event: z.string().min(1),
		display_phone_number: z.string().optional(),
		current_limit: z.string().optional(),
		old_limit: z.string().optional(),
	}),
});

/**
 * The alert a change carries, or undefined when it is not one (other fields, and account updates
 * that restrict nothing, such as a verified business name).
 */
export function accountAlertOf(accountId: string, rawChange: unknown): AccountAlert | undefined {
	const update = accountUpdateSchema.safeParse(rawChange);
	if (update.success) {
		const { event, ...detail } = update.data.value;
		const restricting =
			RESTRICTING_EVENTS.has(event) ||
			detail.ban_info !== undefined ||
			(detail.restriction_info?.length ?? 0) > 0;
		return restricting ? { accountId, field: "account_update", event, detail } : undefined;
	}
	const quality = qualityUpdateSchema.safeParse(rawChange);
	if (quality.success) {
		const { event, ...detail } = quality.data.value;
		return { accountId, field: "phone_number_quality_update", event, detail };
	}
	return undefined;
}
