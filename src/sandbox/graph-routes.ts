import { Hono } from "hono";
import { type AppEnv, settingsOf } from "../env";
import { readCappedBody } from "../http/body";
import { Problem } from "../http/problem";
import { secretEquals } from "../whatsapp/signature";
import { boundaryOf, MultipartError, multipartParts, readField } from "./multipart";
import {
	appendChat,
	deleteMedia,
	MediaSizeError,
	markRead,
	mediaBody,
	mediaInfo,
	storeMedia,
} from "./store";
import { businessMessageId, newMediaId, phoneOfMessageId, SANDBOX_PHONE_NUMBER_ID } from "./wire";

/**
 * A fake of Meta's Graph API (WhatsApp Cloud API) inside the worker, at `/dev/graph`, so that with
 * `GRAPH_API_BASE=http://127.0.0.1:8787/dev/graph` the product's own Graph client runs unchanged.
 * It speaks Meta's wire format (/work/shared/whatsapp-cloud-api.md §6-8): Bearer token checked,
 * Meta's error bodies, sends recorded into the simulated chats, media stored in R2 and streamed.
 */
export const fakeGraph = new Hono<AppEnv>();

type Json = Record<string, unknown>;

const VERSION = /^v\d+\.\d+$/;
const MESSAGE_TYPES = ["text", "interactive", "image", "document", "template", "reaction"];
const MAX_SEND_BYTES = 256 * 1024;
/** Media types Meta takes on upload, with its size limits (M-media). */
export const UPLOAD_LIMITS: Record<string, number> = {
	"text/plain": 100 << 20,
	"application/pdf": 100 << 20,
	"image/jpeg": 5 << 20,
	"image/png": 5 << 20,
	"image/webp": 500 << 10,
	"audio/ogg": 16 << 20,
	"audio/mpeg": 16 << 20,
	"video/mp4": 16 << 20,
};
/** How long a media download URL lives (Meta: 5 minutes). */
const URL_TTL_SECONDS = 300;

function metaError(
	status: number,
	code: number,
	message: string,
	extra: {
		type?: string;
		subcode?: number;
		details?: string;
		headers?: Record<string, string>;
	} = {},
): Response {
	const error: Json = { message, type: extra.type ?? "OAuthException", code };
	if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
	if (extra.details !== undefined) {
		error.error_data = { messaging_product: "whatsapp", details: extra.details };
	}
	error.fbtrace_id = `ASandbox${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
	return Response.json({ error }, { status, headers: extra.headers ?? {} });
}

const invalidParameter = (details: string) =>
	metaError(400, 100, "(#100) Invalid parameter", { details });

const unsupportedRequest = (method: string, id: string) =>
	metaError(
		400,
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		{ type: "GraphMethodException", subcode: 33 },
	);

/** Every call needs `Authorization: Bearer <WHATSAPP_ACCESS_TOKEN>`, the media download too. */
fakeGraph.use("*", async (c, next) => {
	const token = settingsOf(c.env).get("WHATSAPP_ACCESS_TOKEN");
	const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
	if (!(await secretEquals(given, token))) {
		const message =
			given === ""
				? "An active access token must be used to query information about the current user."
				: "Invalid OAuth access token - Cannot parse access token";
		return metaError(401, given === "" ? 2500 : 190, message, {
			headers: { "www-authenticate": `OAuth "Facebook Platform" "invalid_token" "${message}"` },
		});
	}
	return next();
});

/** Step two of a media download: the bytes, streamed from R2, while the URL is fresh. */
fakeGraph.get("/media-download/:id", async (c) => {
	const expires = Number(c.req.query("ext") ?? Number.NaN);
	if (!Number.isFinite(expires) || expires * 1000 < Date.now()) {
		return c.text("URL signature expired", 404);
	}
	const media = await mediaBody(c.env.FILES, c.req.param("id"));
	if (media === undefined) return c.text("Not Found", 404);
	return new Response(media.body, {
		headers: {
			"content-type": media.info.mimeType,
			"content-length": String(media.info.size),
			"cache-control": "no-store",
		},
	});
});

fakeGraph.post("/:version/:node/messages", async (c) => {
	const { version, node } = c.req.param();
	if (!VERSION.test(version)) return invalidParameter(`Unknown Graph API version '${version}'`);
	if (node !== SANDBOX_PHONE_NUMBER_ID) return unsupportedRequest("POST", node);
	let body: unknown;
	try {
		body = JSON.parse(new TextDecoder().decode(await readCappedBody(c.req.raw, MAX_SEND_BYTES)));
	} catch (error) {
		if (error instanceof Problem) return invalidParameter("Request body is too large");
		return invalidParameter("Request body must be JSON");
	}
	if (!isObject(body)) return invalidParameter("Request body must be a JSON object");
	if (body.messaging_product !== "whatsapp") {
		return invalidParameter("Param messaging_product must be whatsapp");
	}
	if (body.status === "read") {
		const id = body.message_id;
		if (typeof id !== "string" || id === "")
			return invalidParameter("Param message_id is required");
		const phone = phoneOfMessageId(id);
		if (phone !== undefined) await markRead(c.env.FILES, phone, id);
		return c.json({ success: true });
	}
	const problem = await checkSend(body, (id) => mediaInfo(c.env.FILES, id));
	if (problem !== undefined) return invalidParameter(problem);
	const to = String(body.to).replace(/^\+/, "");
	const id = businessMessageId(to);
	await appendChat(c.env.FILES, to, { id, direction: "out", at: Date.now(), payload: body });
	return c.json({
		messaging_product: "whatsapp",
		contacts: [{ input: String(body.to), wa_id: to }],
		messages: [body.type === "template" ? { id, message_status: "accepted" } : { id }],
	});
});

/** An upload by the product (result PDFs): multipart, read as a stream, stored in R2. */
fakeGraph.post("/:version/:node/media", async (c) => {
	const { version, node } = c.req.param();
	if (!VERSION.test(version)) return invalidParameter(`Unknown Graph API version '${version}'`);
	if (node !== SANDBOX_PHONE_NUMBER_ID) return unsupportedRequest("POST", node);
	const boundary = boundaryOf(c.req.header("content-type") ?? null);
	if (boundary === undefined || c.req.raw.body === null) {
		return invalidParameter("Request body must be multipart/form-data");
	}
	const fields: Record<string, string> = {};
	let stored: Awaited<ReturnType<typeof storeMedia>> | undefined;
	try {
		for await (const part of multipartParts(c.req.raw.body, boundary)) {
			if (part.fileName === undefined) {
				fields[part.name] = await readField(part);
				continue;
			}
			const mimeType = (part.contentType ?? fields.type ?? "").split(";")[0]?.trim() ?? "";
			const limit = UPLOAD_LIMITS[mimeType];
			if (part.name !== "file" || stored !== undefined || limit === undefined) {
				await part.body.cancel();
				if (limit === undefined && part.name === "file") {
					return invalidParameter(
						`Param file must be a file with one of the following types: ${Object.keys(UPLOAD_LIMITS).join(", ")}. Received file of type '${mimeType}'.`,
					);
				}
				continue;
			}
			stored = await storeMedia(c.env.FILES, newMediaId(), part.body, {
				mimeType,
				fileName: part.fileName,
				maxBytes: limit,
			});
		}
	} catch (error) {
		if (error instanceof MultipartError) return invalidParameter(error.message);
		if (error instanceof MediaSizeError) return invalidParameter(`Param file: ${error.message}`);
		throw error;
	}
	if (fields.messaging_product !== "whatsapp") {
		if (stored) await deleteMedia(c.env.FILES, stored.id);
		return invalidParameter("Param messaging_product must be whatsapp");
	}
	if (stored === undefined) return invalidParameter("Param file is required and must be a file");
	return c.json({ id: stored.id });
});

/** Step one of a media download: where the bytes are (a URL that lives 5 minutes). */
fakeGraph.get("/:version/:id", async (c) => {
	const { version, id } = c.req.param();
	if (!VERSION.test(version)) return invalidParameter(`Unknown Graph API version '${version}'`);
	const info = await mediaInfo(c.env.FILES, id);
	if (info === undefined) return unsupportedRequest("GET", id);
	const origin = new URL(c.req.url).origin;
	const expires = Math.floor(Date.now() / 1000) + URL_TTL_SECONDS;
	return c.json({
		messaging_product: "whatsapp",
		url: `${origin}/dev/graph/media-download/${id}?ext=${expires}&hash=sandbox`,
		mime_type: info.mimeType,
		sha256: info.sha256Hex,
		file_size: info.size,
		id,
	});
});

fakeGraph.delete("/:version/:id", async (c) => {
	const { version, id } = c.req.param();
	if (!VERSION.test(version)) return invalidParameter(`Unknown Graph API version '${version}'`);
	if (!(await deleteMedia(c.env.FILES, id))) return unsupportedRequest("DELETE", id);
	return c.json({ success: true });
});

fakeGraph.all("*", (c) =>
	metaError(400, 2500, `Unknown path components: ${new URL(c.req.url).pathname}`),
);

function isObject(value: unknown): value is Json {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

const chars = (value: unknown, min: number, max: number): boolean =>
	typeof value === "string" && [...value].length >= min && [...value].length <= max;

/**
 * Meta's main rules for a send (§7), enough to catch a malformed message; undefined when the
 * send is acceptable, else the `error_data.details` Meta would answer.
 */
async function checkSend(
	body: Json,
	media: (id: string) => Promise<unknown>,
): Promise<string | undefined> {
	if (body.recipient_type !== undefined && body.recipient_type !== "individual") {
		return "Param recipient_type must be individual";
	}
	if (typeof body.to !== "string" || !/^\+?\d{5,20}$/.test(body.to)) {
		return "Param to must be a phone number";
	}
	const type = body.type;
	if (typeof type !== "string" || !MESSAGE_TYPES.includes(type)) {
		return `Param type must be one of {${MESSAGE_TYPES.join(", ")}}`;
	}
	const content = body[type];
	if (!isObject(content)) return `Param ${type} is required`;
	switch (type) {
		case "text":
			return chars(content.body, 1, 4096)
				? undefined
				: "Param text['body'] must be 1-4096 characters";
		case "interactive": {
			if (!isObject(content.body) || !chars(content.body.text, 1, 1024)) {
				return "Param interactive['body']['text'] must be 1-1024 characters";
			}
			const action = content.action;
			if (!isObject(action)) return "Param interactive['action'] is required";
			if (content.type === "button") {
				const buttons = action.buttons;
				if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
					return "Param interactive['action']['buttons'] must have 1-3 buttons";
				}
				const ok = buttons.every(
					(b) =>
						isObject(b) &&
						isObject(b.reply) &&
						chars(b.reply.title, 1, 20) &&
						chars(b.reply.id, 1, 256),
				);
				return ok ? undefined : "Button titles must be 1-20 characters, ids 1-256";
			}
			if (content.type === "list") {
				if (!chars(action.button, 1, 20))
					return "Param interactive['action']['button'] must be 1-20 characters";
				const sections = action.sections;
				if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
					return "Param interactive['action']['sections'] must have 1-10 sections";
				}
				const rows = sections.flatMap((s) =>
					isObject(s) && Array.isArray(s.rows) ? s.rows : [null],
				);
				if (rows.length < 1 || rows.length > 10)
					return "A list message can have 1-10 rows in total";
				const ok = rows.every(
					(r) =>
						isObject(r) &&
						chars(r.title, 1, 24) &&
						chars(r.id, 1, 200) &&
						(r.description === undefined || chars(r.description, 0, 72)),
				);
				return ok ? undefined : "Row titles must be 1-24 characters, ids 1-200, descriptions 0-72";
			}
			return "Param interactive['type'] must be button or list";
		}
		case "image":
		case "document": {
			if (typeof content.id === "string") {
				return (await media(content.id)) === undefined
					? `Param ${type}['id'] is not a valid media id`
					: undefined;
			}
			return typeof content.link === "string"
				? undefined
				: `Param ${type} must have either id or link`;
		}
		case "template": {
			if (!chars(content.name, 1, 512)) return "Param template['name'] is required";
			const language = content.language;
			return isObject(language) && chars(language.code, 2, 15)
				? undefined
				: "Param template['language']['code'] is required";
		}
		default:
			return undefined;
	}
}
