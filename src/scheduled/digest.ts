/**
 * The morning digest to staff: each working day at 07:00 office time, admins and officers with a
 * WhatsApp number get one template message (office name, "3 baru, 2 jatuh tempo hari ini, 1
 * terlambat"). A staff member has no conversation window with the office's number, so only a
 * template can reach them; without `DIGEST_TEMPLATE_NAME` nothing is sent (the digest is in the
 * staff API).
 *
 * Idempotent per office-local day: the first run from 07:00 on (the 07:00 one, or a later one
 * when that one failed) writes the day (`digest_days`) and a row per recipient (`digest_sends`);
 * a recipient whose row is marked sent is never sent that day's digest again, and a failed send
 * is tried again by the later runs of the same day.
 *
 * @module
 */

import type { OutboundMessage } from "../channel/messages";
import { channelFor } from "../channels";
import { settingsOf } from "../env";
import { log } from "../log";
import { digestOf, digestSummary } from "../requests/digest";
import { maskPhone } from "../requests/phone";
import { isWorkingDay } from "../standards/calendar";
import { loadCalendar } from "../standards/calendar-store";
import { wallClock } from "../standards/office-clock";

/** The office-local hour the digest goes out. */
export const DIGEST_HOUR = 7;

/** What a run did. */
export interface DigestRun {
	/** The office-local day, when it was a digest day at or after the digest hour. */
	day?: string;
	sent: number;
	failed: number;
}

/**
 * Sends the day's digest to the recipients not yet sent it (see the module's note). Runs hourly:
 * before 07:00 office time and on a day the office does not work it does nothing; the first run
 * from 07:00 on chooses the recipients (so a failed 07:00 run does not lose the day's digest);
 * later runs of the day only retry failed sends.
 */
export async function sendDigest(env: Env, now = Date.now()): Promise<DigestRun> {
	const settings = settingsOf(env);
	const template = settings.get("DIGEST_TEMPLATE_NAME");
	if (template === undefined) return { sent: 0, failed: 0 };
	const timeZone = settings.get("OFFICE_TIME_ZONE");
	const clock = wallClock(now, timeZone);
	const hour = Math.floor(clock.minutes / 60);
	if (hour < DIGEST_HOUR) return { sent: 0, failed: 0 };
	const working = isWorkingDay(await loadCalendar(env.DB, timeZone, now), clock.date);
	// A year without calendar data is not guessed: no digest rather than one on a holiday.
	if (!working.ok || !working.value) return { sent: 0, failed: 0 };

	const day = clock.date;
	await chooseRecipients(env.DB, day, now);
	const pending = await pendingRecipients(env.DB, day);
	if (pending.length === 0) return { day, sent: 0, failed: 0 };

	const digest = await digestOf(env.DB, timeZone, day);
	const channel = channelFor(env, "whatsapp", settings.get("WHATSAPP_PHONE_NUMBER_ID"));
	const message: OutboundMessage = {
		type: "template",
		name: template,
		language: settings.get("STATUS_TEMPLATE_LANGUAGE"),
		bodyParams: [settings.get("OFFICE_NAME"), digestSummary(digest.totals, digest.complaints)],
	};
	let sent = 0;
	let failed = 0;
	for (const recipient of pending) {
		const result = await channel.send(recipient.phone, message);
		const ok = result.status === "sent";
		await env.DB.prepare(
			`UPDATE digest_sends SET attempts = attempts + 1, sent_at = CASE WHEN ?3 THEN ?4 END
			WHERE day = ?1 AND staff_id = ?2`,
		)
			.bind(day, recipient.staffId, ok ? 1 : 0, now)
			.run();
		if (ok) {
			sent++;
			continue;
		}
		failed++;
		log.warn("digest.send_failed", {
			day,
			staffId: recipient.staffId,
			to: maskPhone(recipient.phone),
			status: result.status,
			reason: result.reason,
		});
	}
	log.info("digest.sent", { day, sent, failed });
	return { day, sent, failed };
}

/**
 * Writes the day and a row for each admin and officer with a phone and a working token, when the
 * day is not written yet (the recipients are chosen once: staff added later that day wait for
 * tomorrow's digest).
 */
async function chooseRecipients(db: D1Database, day: string, now: number): Promise<void> {
	await db.batch([
		db.prepare("INSERT OR IGNORE INTO digest_days (day, started_at) VALUES (?, ?)").bind(day, now),
		db
			.prepare(
				`INSERT OR IGNORE INTO digest_sends (day, staff_id, created_at)
				SELECT ?1, id, ?2 FROM staff
				WHERE phone IS NOT NULL AND role IN ('admin', 'officer')
					AND revoked_at IS NULL AND expires_at > ?2 AND changes() > 0`,
			)
			.bind(day, now),
	]);
}

/** The day's recipients not yet sent the digest (still holding a phone and an unrevoked account). */
async function pendingRecipients(
	db: D1Database,
	day: string,
): Promise<{ staffId: string; phone: string }[]> {
	const { results } = await db
		.prepare(
			`SELECT s.staff_id AS staffId, st.phone AS phone FROM digest_sends s
			JOIN staff st ON st.id = s.staff_id
			WHERE s.day = ? AND s.sent_at IS NULL AND st.phone IS NOT NULL AND st.revoked_at IS NULL
			ORDER BY s.staff_id`,
		)
		.bind(day)
		.all<{ staffId: string; phone: string }>();
	return results;
}
