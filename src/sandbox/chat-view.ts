import type { ChatEntry } from "./store";

/**
 * A chat message as the simulator page draws it, from either side's wire format: the webhook's
 * `messages[]` object (what the resident sent) or the Graph API send body (what the bot sent).
 */
export type ViewContent =
	| { kind: "text"; text: string }
	| {
			kind: "buttons";
			header?: string;
			body: string;
			footer?: string;
			buttons: { id: string; title: string }[];
	  }
	| {
			kind: "list";
			header?: string;
			body: string;
			footer?: string;
			button: string;
			sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
	  }
	| { kind: "reply"; title: string; description?: string; quoted?: string }
	| {
			kind: "media";
			media: "image" | "document";
			mediaId?: string;
			link?: string;
			fileName?: string;
			caption?: string;
			mimeType?: string;
	  }
	| { kind: "template"; name: string; language: string; params: string[] }
	| { kind: "other"; type: string };

export interface ViewMessage {
	id: string;
	cursor: string;
	direction: "in" | "out";
	at: number;
	content: ViewContent;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const obj = (value: unknown): Json => (isObject(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
	return (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: string };
}

function media(kind: "image" | "document", content: Json): ViewContent {
	return {
		kind: "media",
		media: kind,
		...optional("mediaId", str(content.id)),
		...optional("link", str(content.link)),
		...optional("fileName", str(content.filename)),
		...optional("caption", str(content.caption)),
		...optional("mimeType", str(content.mime_type)),
	};
}

function interactive(content: Json, quoted: string | undefined): ViewContent {
	const header = str(obj(content.header).text);
	const body = str(obj(content.body).text) ?? "";
	const footer = str(obj(content.footer).text);
	const action = obj(content.action);
	if (content.type === "button") {
		return {
			kind: "buttons",
			...optional("header", header),
			body,
			...optional("footer", footer),
			buttons: list(action.buttons).map((b) => {
				const reply = obj(obj(b).reply);
				return { id: str(reply.id) ?? "", title: str(reply.title) ?? "" };
			}),
		};
	}
	if (content.type === "list") {
		return {
			kind: "list",
			...optional("header", header),
			body,
			...optional("footer", footer),
			button: str(action.button) ?? "",
			sections: list(action.sections).map((s) => ({
				...optional("title", str(obj(s).title)),
				rows: list(obj(s).rows).map((r) => ({
					id: str(obj(r).id) ?? "",
					title: str(obj(r).title) ?? "",
					...optional("description", str(obj(r).description)),
				})),
			})),
		};
	}
	if (content.type === "button_reply") {
		return {
			kind: "reply",
			title: str(obj(content.button_reply).title) ?? "",
			...optional("quoted", quoted),
		};
	}
	if (content.type === "list_reply") {
		const reply = obj(content.list_reply);
		return {
			kind: "reply",
			title: str(reply.title) ?? "",
			...optional("description", str(reply.description)),
			...optional("quoted", quoted),
		};
	}
	return { kind: "other", type: `interactive ${String(content.type)}` };
}

function template(content: Json): ViewContent {
	const params = list(content.components)
		.filter((c) => obj(c).type === "body")
		.flatMap((c) => list(obj(c).parameters).map((p) => str(obj(p).text) ?? ""));
	return {
		kind: "template",
		name: str(content.name) ?? "",
		language: str(obj(content.language).code) ?? "",
		params,
	};
}

/** What the page shows for one stored chat message. */
export function toView(entry: ChatEntry): ViewMessage {
	const payload = entry.payload;
	const type = str(payload.type) ?? "";
	const content = obj(payload[type]);
	let view: ViewContent;
	switch (type) {
		case "text":
			view = { kind: "text", text: str(content.body) ?? "" };
			break;
		case "interactive":
			view = interactive(content, str(obj(payload.context).id));
			break;
		case "image":
		case "document":
			view = media(type, content);
			break;
		case "template":
			view = template(content);
			break;
		default:
			view = { kind: "other", type };
	}
	return {
		id: entry.id,
		cursor: entry.cursor,
		direction: entry.direction,
		at: entry.at,
		content: view,
	};
}
