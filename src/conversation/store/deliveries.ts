import type { DeliveryStatus } from "../../channel/events";
import type { Sql } from "./sql";

/** The `delivery_statuses` table: every status the channel reported, with its errors. */
export class Deliveries {
	constructor(private readonly sql: Sql) {}

	/** Keeps a status; false when this (message, state) was recorded before. */
	record(status: DeliveryStatus, now: number): boolean {
		return (
			this.sql.exec(
				`INSERT INTO delivery_statuses (message_id, state, at, errors, received_at)
				 VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id, state) DO NOTHING`,
				status.messageId,
				status.state,
				status.at,
				JSON.stringify(status.errors),
				now,
			).rowsWritten > 0
		);
	}
}
