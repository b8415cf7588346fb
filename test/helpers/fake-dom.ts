/**
 * Just enough of a browser to run the console's small page scripts against the HTML the Worker
 * drew: a parser for that HTML (well-formed, as Hono JSX writes it), elements with the properties
 * the scripts touch, selectors of tags, classes and attributes with descendants, and a scripted
 * XMLHttpRequest. The tests run inside workerd, which has no DOM; the scripts are text modules.
 *
 * @module
 */

const VOID = new Set(["meta", "link", "input", "br", "img", "hr", "source"]);

function decode(text: string): string {
	return text
		.replaceAll("&lt;", "<")
		.replaceAll("&gt;", ">")
		.replaceAll("&quot;", '"')
		.replaceAll("&#39;", "'")
		.replaceAll("&#x27;", "'")
		.replaceAll("&amp;", "&");
}

type Listener = (event: FakeEvent) => void;

/** An event a test or a script dispatches; `preventDefault` is remembered. */
export class FakeEvent {
	defaultPrevented = false;
	returnValue: unknown = undefined;
	lengthComputable = false;
	loaded = 0;
	total = 0;
	constructor(readonly type: string) {}
	preventDefault(): void {
		this.defaultPrevented = true;
	}
}

class Listeners {
	private readonly map = new Map<string, Listener[]>();
	addEventListener(type: string, listener: Listener): void {
		this.map.set(type, [...(this.map.get(type) ?? []), listener]);
	}
	dispatch(event: FakeEvent): FakeEvent {
		for (const listener of this.map.get(event.type) ?? []) listener(event);
		return event;
	}
}

/** One element (or, with tag `#text`, a text node). */
export class FakeElement extends Listeners {
	readonly attrs = new Map<string, string>();
	children: FakeElement[] = [];
	parent: FakeElement | null = null;
	text = "";
	/** A file input's chosen files. */
	files: { name: string; type: string; size: number }[] = [];
	value: string | number = "";
	readonly dataset: Record<string, string | undefined>;
	readonly classList = {
		add: (name: string) => {
			const names = new Set(this.classes());
			names.add(name);
			this.attrs.set("class", [...names].join(" "));
		},
		contains: (name: string) => this.classes().includes(name),
	};

	constructor(readonly tag: string) {
		super();
		const attrs = this.attrs;
		const key = (prop: string) => `data-${prop.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
		this.dataset = new Proxy({} as Record<string, string | undefined>, {
			get: (_, prop: string) => attrs.get(key(prop)),
			set: (_, prop: string, v: string) => {
				attrs.set(key(prop), v);
				return true;
			},
		});
	}

	private classes(): string[] {
		return (this.attrs.get("class") ?? "").split(/\s+/).filter((c) => c !== "");
	}
	private flag(name: string, on: boolean) {
		if (on) this.attrs.set(name, "");
		else this.attrs.delete(name);
	}
	get id() {
		return this.attrs.get("id") ?? "";
	}
	get hidden() {
		return this.attrs.has("hidden");
	}
	set hidden(on: boolean) {
		this.flag("hidden", on);
	}
	get disabled() {
		return this.attrs.has("disabled");
	}
	set disabled(on: boolean) {
		this.flag("disabled", on);
	}
	get action() {
		return this.attrs.get("action") ?? "";
	}
	set action(v: string) {
		this.attrs.set("action", v);
	}
	set method(v: string) {
		this.attrs.set("method", v);
	}
	get type() {
		return this.attrs.get("type") ?? "";
	}
	set type(v: string) {
		this.attrs.set("type", v);
	}
	set name(v: string) {
		this.attrs.set("name", v);
	}
	set className(v: string) {
		this.attrs.set("class", v);
	}
	set href(v: string) {
		this.attrs.set("href", v);
	}
	set target(v: string) {
		this.attrs.set("target", v);
	}
	get textContent(): string {
		return this.tag === "#text" ? this.text : this.children.map((c) => c.textContent).join("");
	}
	set textContent(v: string) {
		this.children = [];
		if (v !== "") this.append(v);
	}
	getAttribute(name: string): string | null {
		return this.attrs.get(name) ?? null;
	}
	setAttribute(name: string, v: string): void {
		this.attrs.set(name, v);
	}
	removeAttribute(name: string): void {
		this.attrs.delete(name);
	}
	append(...nodes: (FakeElement | string)[]): void {
		for (const node of nodes) {
			const child = typeof node === "string" ? textNode(node) : node;
			child.parent = this;
			this.children.push(child);
		}
	}
	replaceChildren(...nodes: (FakeElement | string)[]): void {
		this.children = [];
		this.append(...nodes);
	}
	*descendants(): Generator<FakeElement> {
		for (const child of this.children) {
			if (child.tag === "#text") continue;
			yield child;
			yield* child.descendants();
		}
	}
	querySelectorAll(selector: string): FakeElement[] {
		const parts = selector.trim().split(/\s+/);
		return [...this.descendants()].filter((el) => matchesPath(el, parts, this));
	}
	querySelector(selector: string): FakeElement | null {
		return this.querySelectorAll(selector)[0] ?? null;
	}
	closest(selector: string): FakeElement | null {
		for (let el: FakeElement | null = this; el !== null; el = el.parent) {
			if (matches(el, selector)) return el;
		}
		return null;
	}
}

function textNode(text: string): FakeElement {
	const node = new FakeElement("#text");
	node.text = text;
	return node;
}

/** One compound selector: `tag.class[attr="v"][attr=v][attr]`. */
function matches(el: FakeElement, selector: string): boolean {
	const m = /^([a-z0-9]*)((?:\.[\w-]+)*)((?:\[[^\]]+\])*)$/.exec(selector);
	if (m === null) throw new Error(`fake-dom: unsupported selector ${selector}`);
	const [, tag, classes, attrs] = m;
	if (tag && el.tag !== tag) return false;
	for (const c of (classes ?? "").split(".").filter((x) => x !== "")) {
		if (!el.classList.contains(c)) return false;
	}
	for (const a of (attrs ?? "").matchAll(/\[([\w-]+)(?:="?([^"\]]*)"?)?\]/g)) {
		const [, name = "", want] = a;
		if (!el.attrs.has(name)) return false;
		if (want !== undefined && el.attrs.get(name) !== want) return false;
	}
	return true;
}

function matchesPath(el: FakeElement, parts: string[], root: FakeElement): boolean {
	const last = parts.at(-1);
	if (last === undefined || !matches(el, last)) return false;
	let rest = parts.slice(0, -1);
	for (let up = el.parent; up !== null && up !== root && rest.length > 0; up = up.parent) {
		const want = rest.at(-1);
		if (want !== undefined && matches(up, want)) rest = rest.slice(0, -1);
	}
	return rest.length === 0;
}

/** The document: the parsed tree, its look-ups and element factory. */
export class FakeDocument extends FakeElement {
	constructor() {
		super("#document");
	}
	getElementById(id: string): FakeElement | null {
		return [...this.descendants()].find((el) => el.id === id) ?? null;
	}
	createElement(tag: string): FakeElement {
		return new FakeElement(tag);
	}
}

/** Parses the HTML the console draws. */
export function parseHtml(html: string): FakeDocument {
	const doc = new FakeDocument();
	let at: FakeElement = doc;
	for (const m of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)([^>]*)>|<!doctype[^>]*>|([^<]+)/gi)) {
		const [, close, tag, rest, text] = m;
		if (text !== undefined) {
			at.append(decode(text));
			continue;
		}
		if (tag === undefined) continue;
		const name = tag.toLowerCase();
		if (close) {
			for (let el: FakeElement | null = at; el !== null; el = el.parent) {
				if (el.tag === name) {
					at = el.parent ?? doc;
					break;
				}
			}
			continue;
		}
		const el = new FakeElement(name);
		for (const a of (rest ?? "").matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) {
			el.attrs.set(a[1] ?? "", decode(a[2] ?? ""));
		}
		at.append(el);
		if (!VOID.has(name) && !(rest ?? "").trim().endsWith("/")) at = el;
	}
	return doc;
}

/** A scripted XMLHttpRequest: the test answers (or fails) each one the script opened. */
export class FakeXhr extends Listeners {
	static sent: FakeXhr[] = [];
	method = "";
	url = "";
	headers: Record<string, string> = {};
	body: unknown;
	status = 0;
	responseText = "";
	responseURL = "";
	timeout = 0;
	private responseHeaders: Record<string, string> = {};
	readonly upload = new Listeners();
	open(method: string, url: string): void {
		this.method = method;
		this.url = url;
	}
	setRequestHeader(name: string, value: string): void {
		this.headers[name.toLowerCase()] = value;
	}
	getResponseHeader(name: string): string | null {
		return this.responseHeaders[name.toLowerCase()] ?? null;
	}
	send(body: unknown): void {
		this.body = body;
		FakeXhr.sent.push(this);
	}
	abort(): void {
		this.dispatch(new FakeEvent("abort"));
	}
	/** The server's answer, as the browser hands it over (after following any redirect). */
	answer(status: number, body: string, headers: Record<string, string> = {}, url = this.url) {
		this.status = status;
		this.responseText = body;
		this.responseURL = url;
		this.responseHeaders = Object.fromEntries(
			Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
		);
		this.dispatch(new FakeEvent("load"));
	}
}

/**
 * Runs a page script (its source, as the Worker serves it) against `doc`. workerd's test runtime
 * allows `new Function`, which is the only way to run a text module's source here.
 */
export function runScript(
	source: string,
	doc: FakeDocument,
	options: { online?: boolean } = {},
): { window: Listeners & { dispatch(e: FakeEvent): FakeEvent } } {
	const window = new Listeners();
	const navigator = { onLine: options.online ?? true };
	FakeXhr.sent = [];
	new Function("document", "window", "navigator", "XMLHttpRequest", source)(
		doc,
		window,
		navigator,
		FakeXhr,
	);
	return { window };
}
