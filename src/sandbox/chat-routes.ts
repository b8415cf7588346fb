import { type ExecutionContext, Hono } from "hono";
import { z } from "zod";
import { type AppEnv, settingsOf } from "../env";
import { requireJson } from "../http/body";
import { Problem, validationProblem } from "../http/problem";
import { log, maskId } from "../log";
import { activeOperatorNumbers } from "../requests/operator-identity";
import { signBody } from "../whatsapp/signature";
import { chatPage } from "./chat-page";
import { toView } from "./chat-view";
import { UPLOAD_LIMITS } from "./meta-graph";
import {
	appendChat,
	MediaSizeError,
	mediaBody,
	mediaInfo,
	readChat,
	readIds,
	removeChat,
	storeMedia,
} from "./store";
import {
	messageDelivery,
	newMediaId,
	type ResidentMessage,
	residentMessageId,
	SANDBOX_DISPLAY_NUMBER,
	statusDelivery,
	wireMessage,
} from "./wire";

/** Hands a request to the whole app in-process (the real webhook route, signature check included). */
export type Deliver = (
	request: Request,
	env: Env,
	ctx: ExecutionContext,
) => Response | Promise<Response>;

/** What the simulator page may upload: the types a resident's phone sends as photo or document. */
const SIMULATOR_TYPES = ["image/jpeg", "image/png", "application/pdf"];

const phoneSchema = z.string().regex(/^\d{8,15}$/, "must be 8-15 digits, like 6281234567890");

const sendSchema = z.object({
	phone: phoneSchema,
	name: z.string().trim().min(1).max(100),
	message: z.discriminatedUnion("type", [
		z.object({ type: z.literal("text"), text: z.string().min(1).max(4096) }),
		z.object({
			type: z.literal("button"),
			id: z.string().min(1).max(256),
			title: z.string().min(1).max(20),
			context: z.string().min(1).max(200).optional(),
		}),
		z.object({
			type: z.literal("row"),
			id: z.string().min(1).max(200),
			title: z.string().min(1).max(24),
			description: z.string().max(72).optional(),
			context: z.string().min(1).max(200).optional(),
		}),
		z.object({
			type: z.enum(["image", "document"]),
			mediaId: z.string().regex(/^\d{1,20}$/),
			caption: z.string().max(1024).optional(),
		}),
	]),
});

const messagesQuery = z.object({
	phone: phoneSchema,
	after: z
		.string()
		.regex(/^[\w.=-]{1,200}\.json$/)
		.optional(),
});

function invalid(error: z.ZodError): Problem {
	return validationProblem(
		error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message })),
	);
}

function executionCtx(c: { executionCtx: ExecutionContext }): ExecutionContext | undefined {
	try {
		return c.executionCtx;
	} catch {
		return undefined;
	}
}

/**
 * The chat simulator at `/dev/chat`: the page, and the JSON endpoints its actions call. Each
 * resident action becomes the webhook Meta would send, signed with the app secret exactly as Meta
 * signs it, and delivered to the app's own `POST /webhooks/whatsapp`; replies come back through
 * the fake Graph API and the page's polling.
 */
export function chatRoutes(deliver: Deliver): Hono<AppEnv> {
	const chat = new Hono<AppEnv>();

	/** Signs `body` as Meta does and posts it to the webhook route, in-process. */
	async function post(c: { env: Env; req: { url: string } }, ctx: ExecutionContext, body: string) {
		const bytes = new TextEncoder().encode(body);
		const signature = await signBody(settingsOf(c.env).get("WHATSAPP_APP_SECRET"), bytes);
		const request = new Request(new URL("/webhooks/whatsapp", c.req.url), {
			method: "POST",
			headers: {
				"content-type": "application/json",
				"user-agent": "facebookexternalua",
				"x-hub-signature-256": signature,
			},
			body: bytes,
		});
		return deliver(request, c.env, ctx);
	}

	chat.get("/", async (c) => {
		const office = settingsOf(c.env).get("OFFICE_NAME");
		const operators = await activeOperatorNumbers(c.env.DB, Date.now());
		return c.html(chatPage({ office, businessNumber: SANDBOX_DISPLAY_NUMBER, operators }), 200, {
			"cache-control": "no-store",
		});
	});

	/** A resident sends something: recorded in the chat, then delivered as Meta's webhook. */
	chat.post("/send", async (c) => {
		requireJson(c);
		const parsed = sendSchema.safeParse(await c.req.json().catch(() => null));
		if (!parsed.success) throw invalid(parsed.error);
		const { phone, name, message: input } = parsed.data;

		let message: ResidentMessage;
		switch (input.type) {
			case "text":
				message = { type: "text", text: input.text };
				break;
			case "button":
				message = { ...input, type: "button" };
				break;
			case "row":
				message = { ...input, type: "row" };
				break;
			default: {
				const info = await mediaInfo(c.env.FILES, input.mediaId);
				if (info === undefined) {
					throw new Problem(404, "not-found", "No such media", "Upload the file first.");
				}
				message = {
					type: input.type,
					mediaId: info.id,
					mimeType: info.mimeType,
					sha256: info.sha256Base64,
					...(info.fileName && input.type === "document" ? { fileName: info.fileName } : {}),
					...(input.caption ? { caption: input.caption } : {}),
				};
			}
		}

		const id = residentMessageId(phone);
		const at = Date.now();
		const cursor = await appendChat(c.env.FILES, phone, {
			id,
			direction: "in",
			at,
			payload: wireMessage(message, { id, from: phone, at }),
		});
		const response = await post(
			c,
			c.executionCtx,
			messageDelivery(message, { id, phone, name, at }),
		);
		if (response.status !== 200) {
			log.warn("sandbox.delivery_refused", { resident: maskId(phone), status: response.status });
			await removeChat(c.env.FILES, phone, cursor);
			throw new Problem(
				502,
				"webhook-refused",
				"Webhook refused",
				`POST /webhooks/whatsapp answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
			);
		}
		return c.json({ id, cursor });
	});

	/** A file from the resident's disk: stored as Meta would hold it; its id goes into a send. */
	chat.post("/upload", async (c) => {
		const mimeType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
		if (!SIMULATOR_TYPES.includes(mimeType)) {
			throw new Problem(
				415,
				"unsupported-media-type",
				"Unsupported media type",
				`Send a photo (JPEG, PNG) or a PDF, not ${mimeType || "an untyped body"}.`,
			);
		}
		if (c.req.raw.body === null) throw new Problem(400, "empty-body", "Empty body", "No file.");
		let fileName: string | undefined;
		try {
			fileName = decodeURIComponent(c.req.header("x-file-name") ?? "").slice(0, 240) || undefined;
		} catch {
			fileName = undefined;
		}
		try {
			const info = await storeMedia(c.env.FILES, newMediaId(), c.req.raw.body, {
				mimeType,
				...(fileName ? { fileName } : {}),
				maxBytes: UPLOAD_LIMITS[mimeType] ?? 0,
			});
			return c.json(
				{
					id: info.id,
					mime_type: info.mimeType,
					sha256: info.sha256Base64,
					file_size: info.size,
					...(info.fileName ? { file_name: info.fileName } : {}),
				},
				201,
			);
		} catch (error) {
			if (error instanceof MediaSizeError) {
				throw new Problem(413, "payload-too-large", "File too large", `Refused: ${error.message}.`);
			}
			throw error;
		}
	});

	/**
	 * The chat of one phone after a cursor, and which of the resident's messages were read. The
	 * bot's new messages are reported back to the app as delivered and read, as Meta would.
	 */
	chat.get("/messages", async (c) => {
		const parsed = messagesQuery.safeParse(c.req.query());
		if (!parsed.success) throw invalid(parsed.error);
		const { phone, after } = parsed.data;
		const [entries, read] = await Promise.all([
			readChat(c.env.FILES, phone, after),
			readIds(c.env.FILES, phone),
		]);
		const fresh = entries.filter((entry) => entry.direction === "out");
		const ctx = executionCtx(c);
		if (after !== undefined && fresh.length > 0 && ctx !== undefined) {
			const body = statusDelivery(
				phone,
				fresh.flatMap((entry) => {
					const echo = callbackDataOf(entry.payload);
					return (["sent", "delivered", "read"] as const).map((status) => ({
						id: entry.id,
						status,
						...(echo === undefined ? {} : { callbackData: echo }),
					}));
				}),
				Date.now(),
			);
			ctx.waitUntil(
				Promise.resolve(post(c, ctx, body)).then(
					(response) => {
						if (response.status !== 200) {
							log.warn("sandbox.status_refused", { status: response.status });
						}
					},
					(error: unknown) =>
						log.warn("sandbox.status_failed", {
							error: error instanceof Error ? error.message : String(error),
						}),
				),
			);
		}
		return c.json({
			messages: entries.map(toView),
			cursor: entries.at(-1)?.cursor ?? after ?? null,
			read,
		});
	});

	/** A media for the page (an image to show, a document to download), streamed from R2. */
	chat.get("/media/:id", async (c) => {
		const media = await mediaBody(c.env.FILES, c.req.param("id"));
		if (media === undefined) throw new Problem(404, "not-found", "No such media");
		const name = (media.info.fileName ?? `${media.info.id}`).replace(/["\\\r\n]/g, "_");
		return new Response(media.body, {
			headers: {
				"content-type": media.info.mimeType,
				"content-length": String(media.info.size),
				"content-disposition": `inline; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
				"cache-control": "private, max-age=3600",
				"x-content-type-options": "nosniff",
			},
		});
	});

	return chat;
}

/** The `biz_opaque_callback_data` of a message the product sent, which Meta echoes in statuses. */
function callbackDataOf(payload: Record<string, unknown>): string | undefined {
	const data = payload.biz_opaque_callback_data;
	return typeof data === "string" ? data : undefined;
}
