/**
 * The OpenAPI route of the office's WhatsApp account alerts (admin only).
 *
 * @module
 */

import { createRoute, z } from "@hono/zod-openapi";
import { requireRole } from "../auth";
import { bearer, errorResponses, LimitQuery } from "../schemas";

const AccountAlertSchema = z
	.object({
		id: z.number().int().openapi({ example: 1 }),
		at: z.number().int().openapi({ example: 1795903600000, description: "When it arrived (ms)." }),
		accountId: z
			.string()
			.openapi({ example: "102290129340398", description: "The WhatsApp Business Account." }),
		field: z.enum(["account_update", "phone_number_quality_update", "access_token"]).openapi({
			description:
				"Meta's webhook field, or `access_token`: Meta refused the office's token (its 190; `accountId` is then the phone number id), recorded once an hour while it lasts.",
		}),
		event: z.string().openapi({ example: "ACCOUNT_RESTRICTION" }),
		detail: z.record(z.string(), z.unknown()).openapi({
			example: {
				restriction_info: [
					{ restriction_type: "RESTRICTED_BIZ_INITIATED_MESSAGING", expiration: 1795990000 },
				],
			},
			description: "What Meta said: ban state, restrictions, violation, messaging limit.",
		}),
	})
	.openapi("AccountAlert");

export const alerts = createRoute({
	method: "get",
	path: "/account/alerts",
	operationId: "listAccountAlerts",
	tags: ["Account"],
	summary: "Alerts about the office's WhatsApp account, newest first (admin only)",
	description:
		"Bans, restrictions and policy violations (`account_update`) and phone number quality changes (`phone_number_quality_update`) Meta reported, and the office's access token refused (`access_token`, event `TOKEN_REFUSED`): any of them can stop residents from being answered.",
	security: bearer,
	middleware: [requireRole("admin")] as const,
	request: { query: z.object({ limit: LimitQuery }) },
	responses: {
		200: {
			description: "The newest alerts.",
			content: {
				"application/json": { schema: z.object({ items: z.array(AccountAlertSchema) }) },
			},
		},
		...errorResponses,
	},
});

export type AlertsRoute = typeof alerts;
