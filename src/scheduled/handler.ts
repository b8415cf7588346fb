import { settingsOf } from "../env";
import { warnMissingYears } from "./calendar-years";
import { sendDigest } from "./digest";
import { redeliverNotices } from "./notice-redelivery";
import {
	purgeExpired,
	purgeReleasedFiles,
	purgeRetriedDeadLetters,
	purgeStaleDrafts,
} from "./retention";
import { remindVisits } from "./visit-reminders";

/** Must match the second cron in wrangler.toml. */
const REDELIVERY_CRON = "*/5 * * * *";
/** Must match the third cron in wrangler.toml. */
const DIGEST_CRON = "0 * * * *";

/**
 * The Worker's cron triggers (wrangler.toml): every 5 minutes, notices left pending by a failed
 * hand-over; hourly, the staff's morning digest (sent at 07:00 office time), the day-before
 * reminders of home visits and (at 07:00) the warning of a calendar year missing; daily, the
 * retention purge (and the files of revision papers let go unsent).
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env, ctx) => {
	if (controller.cron === REDELIVERY_CRON) {
		ctx.waitUntil(redeliverNotices(env));
		return;
	}
	if (controller.cron === DIGEST_CRON) {
		ctx.waitUntil(Promise.all([sendDigest(env), remindVisits(env), warnMissingYears(env)]));
		return;
	}
	const days = settingsOf(env).get("RETENTION_DAYS");
	ctx.waitUntil(
		Promise.all([
			purgeExpired(env, days),
			purgeStaleDrafts(env),
			purgeRetriedDeadLetters(env),
			purgeReleasedFiles(env),
		]),
	);
};
