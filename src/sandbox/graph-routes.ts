import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secretEquals } from "../crypto";
import { type AppEnv, settingsOf } from "../env";
import {
	GRAPH_VERSION,
	InvalidParameter,
	invalidParameter,
	isObject,
	mediaIdsOf,
	metaError,
	UPLOAD_LIMITS,
	unsupportedRequest,
	validateSend,
} from "./meta-graph";
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
 * It speaks Meta's wire format (Meta's WhatsApp Cloud API documentation: "Messages", "Media" and
 * "Error codes"): Bearer token checked, Meta's error bodies, sends recorded into the simulated
 * chats, media stored in R2 and streamed.
 */
export const fakeGraph = new Hono<AppEnv>();

const MAX_SEND_BYTES = 256 * 1024;
/** How long a media download URL lives (Meta: 5 minutes). */
const URL_TTL_SECONDS = 300;

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

/** Meta refuses an oversized send as an invalid parameter, not with a bare 413. */
const sendBodyLimit = bodyLimit({
	maxSize: MAX_SEND_BYTES,
	onError: () => invalidParameter("Request body is too large"),
});

/** Meta's answer to a POST on an unknown version or another business number, if any. */
function refuseNode({ version, node }: { version: string; node: string }): Response | undefined {
	if (!GRAPH_VERSION.test(version))
		return invalidParameter(`Unknown Graph API version '${version}'`);
	if (node !== SANDBOX_PHONE_NUMBER_ID) return unsupportedRequest("POST", node);
	return undefined;
}

fakeGraph.post("/:version/:node/messages", sendBodyLimit, async (c) => {
	const refused = refuseNode(c.req.param());
	if (refused) return refused;
	let body: unknown;
	try {
		body = JSON.parse(await c.req.text());
	} catch {
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
	// Media ids are looked up in R2 first: the shared rules check them synchronously.
	const known = new Set<string>();
	for (const id of mediaIdsOf(body)) {
		if ((await mediaInfo(c.env.FILES, id)) !== undefined) known.add(id);
	}
	try {
		validateSend(body, (id) => known.has(id));
	} catch (error) {
		if (error instanceof InvalidParameter) return invalidParameter(error.message);
		throw error;
	}
	const to = String(body.to ?? body.recipient).replace(/^\+/, "");
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
	const refused = refuseNode(c.req.param());
	if (refused) return refused;
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
	if (!GRAPH_VERSION.test(version))
		return invalidParameter(`Unknown Graph API version '${version}'`);
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
	if (!GRAPH_VERSION.test(version))
		return invalidParameter(`Unknown Graph API version '${version}'`);
	if (!(await deleteMedia(c.env.FILES, id))) return unsupportedRequest("DELETE", id);
	return c.json({ success: true });
});

fakeGraph.all("*", (c) =>
	metaError(400, 2500, `Unknown path components: ${new URL(c.req.url).pathname}`),
);
