/**
 * Wiring: which adapter serves which channel. The Conversation object asks here for its client
 * and for the reading of a failed delivery, so it never imports a channel's own modules.
 */
import type { ChannelClient } from "./channel/client";
import type { ChannelError, InboundBatch } from "./channel/events";
import { settingsOf } from "./env";
import { recordTokenRefused } from "./whatsapp/account-alerts";
import {
	passingFailureReason,
	WhatsAppChannel,
	windowClosedReason,
} from "./whatsapp/channel-client";
import { graphClientFor } from "./whatsapp/graph-client";

/** The channels the product serves. */
export type ChannelName = InboundBatch["channel"];

/** The client for the office's number `businessId` on `channel`, configured from settings. */
export function channelFor(env: Env, channel: ChannelName, businessId: string): ChannelClient {
	switch (channel) {
		case "whatsapp":
			return new WhatsAppChannel(graphClientFor(settingsOf(env), businessId), (error) =>
				recordTokenRefused(env.DB, businessId, { httpStatus: error.httpStatus, code: error.code }),
			);
	}
}

/**
 * When a failed delivery's errors (in `channel`'s own codes) say the conversation window had
 * closed, the reason to record with the message kept for later; else undefined.
 */
export function windowClosedBy(channel: ChannelName, errors: ChannelError[]): string | undefined {
	switch (channel) {
		case "whatsapp":
			return windowClosedReason(errors);
	}
}

/**
 * When a failed delivery's errors (in `channel`'s own codes) say the failure may pass (throttling,
 * the channel's passing trouble), the reason to record with the message sent again later; else
 * undefined.
 */
export function passingFailureBy(channel: ChannelName, errors: ChannelError[]): string | undefined {
	switch (channel) {
		case "whatsapp":
			return passingFailureReason(errors);
	}
}
