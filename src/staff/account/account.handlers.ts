import { listAccountAlerts } from "../../whatsapp/account-alerts";
import type { StaffHandler } from "../types";
import type { AlertsRoute } from "./account.routes";

/** The newest alerts about the office's WhatsApp account. */
export const alerts: StaffHandler<AlertsRoute> = async (c) => {
	const { limit } = c.req.valid("query");
	const rows = await listAccountAlerts(c.env.DB, limit);
	return c.json(
		{
			items: rows.map((row) => ({
				id: row.id,
				at: row.received_at,
				accountId: row.account_id,
				field: row.field as "account_update" | "phone_number_quality_update" | "access_token",
				event: row.event,
				detail: JSON.parse(row.detail) as Record<string, unknown>,
			})),
		},
		200,
	);
};
