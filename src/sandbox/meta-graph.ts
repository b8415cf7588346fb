/**
 * Meta's Graph API as seen from the server side: its error bodies, upload limits and the rules a
 * send must follow (Meta's Cloud API "Messages" reference and its error codes, lengths in code
 * points). Shared by the
 * sandbox's fake Graph API and the tests' in-memory fake, so both refuse exactly what Meta would.
 */

export type Json = Record<string, unknown>;

/** A send that breaks one of Meta's rules; `message` becomes `error_data.details`. */
export class InvalidParameter extends Error {}

/** A Graph API version in a path, like `v25.0`. */
export const GRAPH_VERSION = /^v\d+\.\d+$/;
const JSON_TYPE = "application/json; charset=UTF-8";
const MESSAGE_TYPES = ["text", "interactive", "image", "document", "template", "reaction"];
/** Media types Meta accepts on upload, with its size limits (M-media). */
export const UPLOAD_LIMITS: Record<string, number> = {
	"audio/aac": 16 << 20,
	"audio/amr": 16 << 20,
	"audio/mpeg": 16 << 20,
	"audio/mp4": 16 << 20,
	"audio/ogg": 16 << 20,
	"text/plain": 100 << 20,
	"application/pdf": 100 << 20,
	"application/msword": 100 << 20,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 << 20,
	"application/vnd.ms-excel": 100 << 20,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 << 20,
	"application/vnd.ms-powerpoint": 100 << 20,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 << 20,
	"image/jpeg": 5 << 20,
	"image/png": 5 << 20,
	"image/webp": 500 << 10,
	"video/mp4": 16 << 20,
	"video/3gpp": 16 << 20,
};
export const isObject = (value: unknown): value is Json =>
	typeof value === "object" && value !== null && !Array.isArray(value);

/** Characters as Meta counts them: code points, not UTF-16 units. */
const length = (value: string): number => [...value].length;

function fbtraceId(): string {
	return `AFake${crypto.randomUUID().replaceAll("-", "").slice(0, 18)}`;
}

export function json(
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { "content-type": JSON_TYPE, ...headers },
	});
}

/** Meta's synchronous error body (the Graph API's `error` object, as in Meta's error codes page). */
export function metaError(
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
	error.fbtrace_id = fbtraceId();
	return json(status, { error }, extra.headers);
}

export function invalidParameter(details: string): Response {
	return metaError(400, 100, "(#100) Invalid parameter", { details });
}

export function unsupportedRequest(method: string, id: string): Response {
	return metaError(
		400,
		100,
		`Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
		{ type: "GraphMethodException", subcode: 33 },
	);
}

// ---- Send validation ----

function text(value: unknown, param: string, min: number, max: number): string {
	if (typeof value !== "string") {
		throw new InvalidParameter(`Param ${param} is required and must be a string`);
	}
	const n = length(value);
	if (n < min || n > max) {
		throw new InvalidParameter(
			`Param ${param} must be between ${min} and ${max} characters long (got ${n})`,
		);
	}
	return value;
}

function optionalText(value: unknown, param: string, min: number, max: number): void {
	if (value !== undefined) text(value, param, min, max);
}

function object(value: unknown, param: string): Json {
	if (!isObject(value))
		throw new InvalidParameter(`Param ${param} is required and must be an object`);
	return value;
}

function array(value: unknown, param: string, min: number, max: number): unknown[] {
	if (!Array.isArray(value)) throw new InvalidParameter(`Param ${param} must be an array`);
	if (value.length < min || value.length > max) {
		throw new InvalidParameter(
			`Param ${param} must have between ${min} and ${max} elements (got ${value.length})`,
		);
	}
	return value;
}

function validateMedia(
	value: unknown,
	param: string,
	kind: string,
	knownMedia: (id: string) => boolean,
): void {
	const media = object(value, param);
	const hasId = media.id !== undefined;
	const hasLink = media.link !== undefined;
	if (hasId === hasLink) throw new InvalidParameter(`Param ${param} must have either id or link`);
	if (hasId) {
		const id = text(media.id, `${param}['id']`, 1, 256);
		if (!knownMedia(id)) throw new InvalidParameter(`Param ${param}['id'] is not a valid media id`);
	} else {
		const link = text(media.link, `${param}['link']`, 1, 2048);
		let url: URL | undefined;
		try {
			url = new URL(link);
		} catch {}
		if (url?.protocol !== "https:" && url?.protocol !== "http:") {
			throw new InvalidParameter(`Param ${param}['link'] must be a valid http(s) URL`);
		}
	}
	if (kind !== "header") optionalText(media.caption, `${param}['caption']`, 0, 1024);
	if (kind === "document" && media.filename !== undefined) {
		text(media.filename, `${param}['filename']`, 1, 240);
	}
}

function validateInteractive(value: unknown, knownMedia: (id: string) => boolean): void {
	const interactive = object(value, "interactive");
	const kind = interactive.type;
	if (kind !== "button" && kind !== "list") {
		throw new InvalidParameter(
			`Param interactive['type'] must be one of {button, list} (the fake supports no other)`,
		);
	}
	text(
		object(interactive.body, "interactive['body']").text,
		"interactive['body']['text']",
		1,
		1024,
	);
	if (interactive.footer !== undefined) {
		const footer = object(interactive.footer, "interactive['footer']");
		text(footer.text, "interactive['footer']['text']", 1, 60);
	}
	if (interactive.header !== undefined) {
		const header = object(interactive.header, "interactive['header']");
		const headerType = header.type;
		if (headerType === "text") {
			text(header.text, "interactive['header']['text']", 1, 60);
		} else if (
			kind === "button" &&
			(headerType === "image" || headerType === "video" || headerType === "document")
		) {
			validateMedia(
				header[headerType],
				`interactive['header']['${headerType}']`,
				"header",
				knownMedia,
			);
		} else {
			throw new InvalidParameter(
				`Param interactive['header']['type'] must be ${kind === "list" ? "text" : "one of {text, image, video, document}"}`,
			);
		}
	}
	const action = object(interactive.action, "interactive['action']");
	if (kind === "button") {
		const buttons = array(action.buttons, "interactive['action']['buttons']", 1, 3);
		const titles = new Set<string>();
		buttons.forEach((item, i) => {
			const param = `interactive['action']['buttons'][${i}]`;
			const button = object(item, param);
			if (button.type !== "reply")
				throw new InvalidParameter(`Param ${param}['type'] must be reply`);
			const reply = object(button.reply, `${param}['reply']`);
			text(reply.id, `${param}['reply']['id']`, 1, 256);
			const title = text(reply.title, `${param}['reply']['title']`, 1, 20);
			if (titles.has(title)) throw new InvalidParameter(`Button titles must be unique: ${title}`);
			titles.add(title);
		});
		return;
	}
	text(action.button, "interactive['action']['button']", 1, 20);
	const sections = array(action.sections, "interactive['action']['sections']", 1, 10);
	const rowIds = new Set<string>();
	let rows = 0;
	sections.forEach((item, s) => {
		const param = `interactive['action']['sections'][${s}]`;
		const section = object(item, param);
		if (sections.length > 1 && section.title === undefined) {
			throw new InvalidParameter(
				`Param ${param}['title'] is required when there is more than one section`,
			);
		}
		optionalText(section.title, `${param}['title']`, 1, 24);
		const sectionRows = array(section.rows, `${param}['rows']`, 1, 10);
		rows += sectionRows.length;
		sectionRows.forEach((rowItem, r) => {
			const rowParam = `${param}['rows'][${r}]`;
			const row = object(rowItem, rowParam);
			const id = text(row.id, `${rowParam}['id']`, 1, 200);
			if (rowIds.has(id)) throw new InvalidParameter(`Row ids must be unique: ${id}`);
			rowIds.add(id);
			text(row.title, `${rowParam}['title']`, 1, 24);
			optionalText(row.description, `${rowParam}['description']`, 0, 72);
		});
	});
	if (rows > 10) {
		throw new InvalidParameter(`A list message can have at most 10 rows in total (got ${rows})`);
	}
}

/** A business-scoped user id (`US.13491208655302741918`), for users known by a username. */
const USER_ID = /^[A-Z]{2}\.[0-9A-Za-z]+$/;

/**
 * Who a send is for: a phone number in `to`, or a business-scoped user id in `recipient` (Meta
 * refuses a user id in `to`, and a phone number in `recipient`).
 */
function recipientOf(body: Json): string {
	if (body.to !== undefined && body.recipient !== undefined) {
		throw new InvalidParameter("Params to and recipient cannot both be set");
	}
	if (body.recipient !== undefined) {
		if (typeof body.recipient !== "string" || !USER_ID.test(body.recipient)) {
			throw new InvalidParameter("Param recipient must be a business-scoped user id");
		}
		return body.recipient;
	}
	const to = body.to;
	if (typeof to !== "string" || to.length === 0) {
		throw new InvalidParameter("Param to is required and must be a non-empty string");
	}
	if (USER_ID.test(to)) {
		throw new InvalidParameter("Param to must be a phone number; send a user id in recipient");
	}
	return to;
}

/** Validates a send (not mark-as-read) and returns its recipient and type, or throws. */
export function validateSend(
	body: Json,
	knownMedia: (id: string) => boolean,
): { to: string; type: string } {
	if (body.messaging_product !== "whatsapp") {
		throw new InvalidParameter("Param messaging_product must be whatsapp");
	}
	if (body.recipient_type !== undefined && body.recipient_type !== "individual") {
		throw new InvalidParameter("Param recipient_type must be individual");
	}
	const to = recipientOf(body);
	const type = body.type;
	if (typeof type !== "string" || !MESSAGE_TYPES.includes(type)) {
		throw new InvalidParameter(`Param type must be one of {${MESSAGE_TYPES.join(", ")}}`);
	}
	if (body.context !== undefined) {
		text(object(body.context, "context").message_id, "context['message_id']", 1, 512);
	}
	if (body.biz_opaque_callback_data !== undefined) {
		text(body.biz_opaque_callback_data, "biz_opaque_callback_data", 0, 512);
	}
	switch (type) {
		case "text": {
			const message = object(body.text, "text");
			text(message.body, "text['body']", 1, 4096);
			if (message.preview_url !== undefined && typeof message.preview_url !== "boolean") {
				throw new InvalidParameter("Param text['preview_url'] must be a boolean");
			}
			break;
		}
		case "interactive":
			validateInteractive(body.interactive, knownMedia);
			break;
		case "image":
		case "document":
			validateMedia(body[type], type, type, knownMedia);
			break;
		case "template": {
			const template = object(body.template, "template");
			text(template.name, "template['name']", 1, 512);
			text(
				object(template.language, "template['language']").code,
				"template['language']['code']",
				1,
				15,
			);
			if (template.components !== undefined && !Array.isArray(template.components)) {
				throw new InvalidParameter("Param template['components'] must be an array");
			}
			break;
		}
		case "reaction": {
			const reaction = object(body.reaction, "reaction");
			text(reaction.message_id, "reaction['message_id']", 1, 512);
			text(reaction.emoji, "reaction['emoji']", 0, 10);
			break;
		}
	}
	return { to, type };
}

/** The media ids a send refers to (its image or document, or an interactive header's media). */
export function mediaIdsOf(body: Json): string[] {
	const ids: string[] = [];
	const add = (media: unknown) => {
		if (isObject(media) && typeof media.id === "string") ids.push(media.id);
	};
	if (body.type === "image" || body.type === "document") add(body[body.type]);
	const header = isObject(body.interactive) ? body.interactive.header : undefined;
	if (isObject(header) && typeof header.type === "string") add(header[header.type]);
	return ids;
}
