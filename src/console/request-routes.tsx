/**
 * The request screen and its actions. Every action is the staff API's own route called as the
 * signed-in member; its answer decides: success goes back to the request, a problem (a 409 when
 * someone else moved the request) is shown as such with a link to reload.
 *
 * @module
 */

import { Hono } from "hono";
import { type Kept, onceHeader, act as performAction, streamInline, texts } from "./actions";
import { staffNames } from "./actors";
import type { RequestDetail, Transcript } from "./api-types";
import {
	type ApiCall,
	type ConsoleContext,
	type ConsoleEnv,
	callApi,
	formOf,
	pageProps,
	readApi,
} from "./context";
import { CONSOLE, Layout, ProblemBox } from "./layout";
import { filePart } from "./multipart-stream";
import { RequestPage } from "./request-page";

/** `/requests/<id>` below the API (and the console), the id escaped. */
function requestPath(c: ConsoleContext): string {
	return `/requests/${encodeURIComponent(c.req.param("id") ?? "")}`;
}

/**
 * One API action on this request, then back to its screen (or its problem, with a reload). An
 * answer saying nobody was told over WhatsApp (`residentNotified` or `queued` false) comes back
 * as `done=untold`, so staff read that they may have to tell the resident themselves.
 */
function act(
	c: ConsoleContext,
	method: string,
	apiPath: string,
	call: ApiCall,
	kept?: Omit<Kept, "problem">,
) {
	return performAction(c, method, apiPath, call, {
		back: `${CONSOLE}${requestPath(c)}`,
		current: "queue",
		...(kept === undefined ? {} : { again: (problem) => requestScreen(c, { ...kept, problem }) }),
		doneOf: (answer) => {
			const told = answer as { residentNotified?: boolean; queued?: boolean } | null;
			return told?.residentNotified === false || told?.queued === false ? "untold" : "1";
		},
	});
}

/** The request screen (`GET /console/requests/:id`), its file proxy and its actions. */
export const requestRoutes = new Hono<ConsoleEnv>();

/**
 * The request screen; after a failed action, with its problem above the form and what was typed
 * kept (answered with the problem's status).
 */
async function requestScreen(c: ConsoleContext, kept?: Kept) {
	const [detail, transcript, names] = await Promise.all([
		callApi(c, "GET", requestPath(c)).then((res) => readApi<RequestDetail>(res)),
		callApi(c, "GET", `${requestPath(c)}/messages`).then((res) => readApi<Transcript>(res)),
		staffNames(c),
	]);
	const page = pageProps(c);
	if (!detail.ok) {
		return c.html(
			<Layout {...page} title={page.words.error} current="queue">
				<ProblemBox words={page.words} problem={detail.problem} reload={CONSOLE} />
			</Layout>,
			detail.problem.status,
		);
	}
	return c.html(
		<RequestPage
			page={page}
			r={detail.data}
			transcript={transcript.ok ? transcript.data : null}
			names={names}
			done={kept === undefined ? doneNotice(c.req.query("done")) : null}
			{...(kept === undefined ? {} : { kept })}
		/>,
		kept?.problem.status ?? 200,
	);
}

requestRoutes.get("/requests/:id", (c) => requestScreen(c));

/** Which notice a request screen shows after an action (none without one). */
function doneNotice(done: string | undefined): "saved" | "untold" | null {
	return done === "1" ? "saved" : done === "untold" ? "untold" : null;
}

// A file, shown in the browser (image or PDF viewer) rather than downloaded: the API's audited
// file route, streamed through with its disposition turned inline.
requestRoutes.get("/requests/:id/files/:attachmentId", async (c) => {
	const res = await callApi(
		c,
		"GET",
		`${requestPath(c)}/attachments/${encodeURIComponent(c.req.param("attachmentId"))}`,
	);
	return streamInline(res);
});

requestRoutes.post("/requests/:id/transition", async (c) => {
	const form = await formOf(c, { all: true });
	const fields = texts(form, "to", "reason", "version");
	const ticked = form.documents;
	const documents = (Array.isArray(ticked) ? ticked : ticked === undefined ? [] : [ticked]).filter(
		(code): code is string => typeof code === "string",
	);
	const version = Number(fields.version);
	return act(
		c,
		"POST",
		`${requestPath(c)}/transitions`,
		{
			json: {
				to: fields.to,
				...(fields.reason === undefined ? {} : { reason: fields.reason }),
				...(documents.length === 0 ? {} : { documents }),
				...(Number.isInteger(version) && version > 0 ? { version } : {}),
			},
		},
		{ form: fields.to === "needs_revision" ? "revision" : "move", fields, documents },
	);
});

requestRoutes.post("/requests/:id/notes", async (c) => {
	const fields = texts(await formOf(c), "text");
	return act(
		c,
		"POST",
		`${requestPath(c)}/notes`,
		{ json: { text: fields.text ?? "" } },
		{ form: "note", fields },
	);
});

requestRoutes.post("/requests/:id/message", async (c) => {
	const form = await formOf(c);
	const fields = texts(form, "text", "once");
	return act(
		c,
		"POST",
		`${requestPath(c)}/messages`,
		{ json: { text: fields.text ?? "" }, headers: onceHeader(form) },
		{ form: "message", fields },
	);
});

requestRoutes.post("/requests/:id/pickup", async (c) => {
	const form = await formOf(c);
	const fields = texts(form, "place", "from", "once");
	return act(
		c,
		"POST",
		`${requestPath(c)}/pickup`,
		{ json: { place: fields.place ?? "", from: fields.from ?? "" }, headers: onceHeader(form) },
		{ form: "pickup", fields },
	);
});

// The finished PDF: the form's one file part is streamed to the API's upload route, which checks
// and stores it (never held whole here; a form without a file gets the API's own answer).
requestRoutes.post("/requests/:id/result", async (c) => {
	const part = await filePart(c.req.raw);
	if (typeof part === "string") {
		return act(
			c,
			"PUT",
			`${requestPath(c)}/result`,
			{ body: "", headers: { "content-type": "application/pdf", "content-length": "0" } },
			{ form: "result", fields: {} },
		);
	}
	return act(
		c,
		"PUT",
		`${requestPath(c)}/result`,
		{
			body: part.body,
			headers: { "content-type": part.type, "content-length": String(part.size) },
		},
		{ form: "result", fields: {} },
	);
});
