import { settingsOf } from "../env";
import { redeliverNotices } from "./notice-redelivery";
import { purgeExpired } from "./retention";

/** Must match the second cron in wrangler.toml. */
const REDELIVERY_CRON = "*/5 * * * *";

/**
 * The Worker's cron triggers (wrangler.toml): every 5 minutes, notices left pending by a failed
 * hand-over; daily, the retention purge.
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env, ctx) => {
	if (controller.cron === REDELIVERY_CRON) {
		ctx.waitUntil(redeliverNotices(env));
		return;
	}
	const days = settingsOf(env).get("RETENTION_DAYS");
	ctx.waitUntil(purgeExpired(env, days));
};
