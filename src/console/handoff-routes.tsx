/**
 * Chats with staff (hand-offs): the residents who asked for a person (`petugas`), longest
 * waiting first, each with their open requests, latest messages and the files they sent (opened
 * through the API's audited route), a reply box and closing (the bot answers again). The staff
 * API's hand-off routes do the work (admins and officers).
 *
 * @module
 */

import { Hono } from "hono";
import { act, type Kept, keptText, OnceKey, onceHeader, streamInline, texts } from "./actions";
import { actorWords, staffNames } from "./actors";
import type { Handoff, HandoffList, HandoffMessages } from "./api-types";
import {
	type ApiProblem,
	type ConsoleContext,
	type ConsoleEnv,
	callApi,
	formOf,
	pageProps,
	readApi,
} from "./context";
import { When } from "./dates";
import type { Words } from "./i18n";
import { CONSOLE, codeWord, Layout, type PageProps, ProblemBox } from "./layout";

const PAGE_SIZE = 20;

function HandoffCard(props: { page: PageProps; h: Handoff; n: number; kept: Kept | undefined }) {
	const { page, h, n, kept } = props;
	const w = page.words;
	const base = `${CONSOLE}/handoffs/${encodeURIComponent(h.id)}`;
	const heading = `handoff-${n}`;
	return (
		<article class="card" aria-labelledby={heading} data-testid="handoff">
			<h2 id={heading}>
				{w.waitingSince} <When at={h.waitingSince} page={page} />
			</h2>
			<dl class="facts">
				<dt>{w.lastReply}</dt>
				<dd>
					<When at={h.lastReplyAt} page={page} />
				</dd>
				<dt>{w.openRequests}</dt>
				<dd>
					{h.openRequests.length === 0
						? w.none
						: h.openRequests.map((r, i) => (
								<>
									{i > 0 && ", "}
									<a href={`${CONSOLE}/requests/${encodeURIComponent(r.id)}`}>{r.ticket}</a>
								</>
							))}
				</dd>
			</dl>
			{h.optedOutSince !== null && (
				<p class="late" data-testid="opted-out">
					{w.optedOut} <When at={h.optedOutSince} page={page} />
				</p>
			)}
			<p>
				<a href={base}>{w.wholeConversation} ›</a>
			</p>
			<h3>{w.latestMessages}</h3>
			<ol class="transcript">
				{h.lastMessages.map((m) => (
					<li>
						<p>
							{m.text ?? (
								<span class="muted">{`${w.nonText} ${codeWord(w, "messageKind", m.kind)}`}</span>
							)}
						</p>
						<small class="muted">
							<When at={m.at} page={page} />
						</small>
					</li>
				))}
			</ol>
			{h.files.length > 0 && (
				<>
					<h3>{w.handoffFiles}</h3>
					<ul data-testid="handoff-files">
						{h.files.map((f, i) => (
							<li>
								<a href={`${base}/files/${encodeURIComponent(f.id)}`}>
									{f.fileName ?? `${w.handoffFile} ${i + 1}`}
								</a>{" "}
								<small class="muted">
									{f.mimeType}, {Math.max(1, Math.round(f.size / 1024))} KB,{" "}
									<When at={f.receivedAt} page={page} />
								</small>
							</li>
						))}
					</ul>
				</>
			)}
			<HandoffActions w={w} base={base} kept={kept} />
		</article>
	);
}

/** An open hand-off's two actions; after a failed one, its problem and what was typed. */
function HandoffActions(props: { w: Words; base: string; kept?: Kept | undefined }) {
	const { w, base, kept } = props;
	return (
		<>
			{kept && <ProblemBox words={w} problem={kept.problem} />}
			<form method="post" action={`${base}/reply`}>
				<OnceKey value={keptText(kept, "reply", "once")} />
				<label>
					{w.writeToResident}
					<textarea name="text" rows={3} maxlength={1000} required autofocus={kept !== undefined}>
						{keptText(kept, "reply", "text") ?? ""}
					</textarea>
				</label>
				<p>
					<button type="submit">{w.send}</button>
				</p>
			</form>
			<form method="post" action={`${base}/close`}>
				<button type="submit" class="secondary">
					{w.closeHandoff}
				</button>
			</form>
		</>
	);
}

function DoneNotice(props: { w: Words; done: string | undefined }) {
	const { w, done } = props;
	const text = done === "replied" ? w.handoffQueued : done === "closed" ? w.handoffClosed : null;
	return text === null ? null : (
		<p class="notice" role="status" data-testid="done">
			{text}
		</p>
	);
}

/**
 * A hand-off's actions go back to the list; a failure draws the list again with the problem on
 * that chat's card and what was typed kept.
 */
function backToList(c: ConsoleContext, done: string, kept: Omit<Kept, "problem">) {
	return {
		back: `${CONSOLE}/handoffs`,
		done,
		current: "handoffs",
		again: (problem: ApiProblem) =>
			handoffList(c, { id: c.req.param("id") ?? "", kept: { ...kept, problem } }),
	};
}

function handoffPath(c: ConsoleContext, action: "reply" | "close"): string {
	return `/handoffs/${encodeURIComponent(c.req.param("id") ?? "")}/${action}`;
}

/** One hand-off's whole conversation, a page at a time, with its files and (while open) its actions. */
function HandoffPage(props: {
	page: PageProps;
	data: HandoffMessages;
	id: string;
	names: ReadonlyMap<string, string>;
}) {
	const { page, data, id, names } = props;
	const w = page.words;
	const base = `${CONSOLE}/handoffs/${encodeURIComponent(id)}`;
	const h = data.handoff;
	const open = h.closedAt === null;
	return (
		<article class="card" aria-labelledby="handoff" data-testid="handoff-conversation">
			<h2 id="handoff">
				{w.waitingSince} <When at={h.waitingSince} page={page} />
			</h2>
			<dl class="facts">
				<dt>{w.lastReply}</dt>
				<dd>
					<When at={h.lastReplyAt} page={page} long />
				</dd>
				{!open && (
					<>
						<dt>{w.handoffClosedBy}</dt>
						<dd>
							{h.closedBy === null ? "" : actorWords(page, h.closedBy, names)} (
							<When at={h.closedAt} page={page} long />)
						</dd>
					</>
				)}
			</dl>
			<ul class="transcript">
				{data.messages.map((m) => (
					<li class={m.direction}>
						<small class="muted">
							<When at={m.at} page={page} />
						</small>
						<br />
						{m.fileId !== null ? (
							<a href={`${base}/files/${encodeURIComponent(m.fileId)}`}>
								{m.text ?? `${w.handoffFile} (${codeWord(w, "messageKind", m.kind)})`}
							</a>
						) : (
							(m.text ?? (
								<span class="muted">{`${w.nonText} ${codeWord(w, "messageKind", m.kind)}`}</span>
							))
						)}
					</li>
				))}
			</ul>
			{data.nextCursor && (
				<p>
					<a href={`${base}?${new URLSearchParams({ cursor: data.nextCursor })}`}>{w.next} ›</a>
				</p>
			)}
			{open && <HandoffActions w={w} base={base} />}
		</article>
	);
}

/** `/console/handoffs`, one hand-off's conversation, its files and its two actions. */
export const handoffRoutes = new Hono<ConsoleEnv>();

/** The list; after a failed action, with its problem and text on that chat's card (or on top). */
async function handoffList(c: ConsoleContext, failed?: { id: string; kept: Kept }) {
	const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
	const cursor = c.req.query("cursor");
	if (cursor) query.set("cursor", cursor);
	const read = await readApi<HandoffList>(await callApi(c, "GET", `/handoffs?${query}`));
	const page = pageProps(c);
	const w = page.words;
	const shown = read.ok && read.data.handoffs.some((h) => h.id === failed?.id);
	return c.html(
		<Layout {...page} title={w.handoffs} current="handoffs">
			{failed === undefined && <DoneNotice w={w} done={c.req.query("done")} />}
			{failed && !shown && <ProblemBox words={w} problem={failed.kept.problem} />}
			{!read.ok && <ProblemBox words={w} problem={read.problem} />}
			{read.ok && read.data.handoffs.length === 0 && <p>{w.noHandoffs}</p>}
			{read.ok &&
				read.data.handoffs.map((h, n) => (
					<HandoffCard
						page={page}
						h={h}
						n={n}
						kept={failed?.id === h.id ? failed.kept : undefined}
					/>
				))}
			{read.ok && read.data.nextCursor && (
				<p>
					<a href={`${CONSOLE}/handoffs?${new URLSearchParams({ cursor: read.data.nextCursor })}`}>
						{w.next} ›
					</a>
				</p>
			)}
		</Layout>,
		failed?.kept.problem.status ?? (read.ok ? 200 : read.problem.status),
	);
}

handoffRoutes.get("/handoffs", (c) => handoffList(c));

handoffRoutes.get("/handoffs/:id", async (c) => {
	const id = c.req.param("id");
	const query = new URLSearchParams({ limit: String(PAGE_SIZE * 5) });
	const cursor = c.req.query("cursor");
	if (cursor) query.set("cursor", cursor);
	const [read, names] = await Promise.all([
		callApi(c, "GET", `/handoffs/${encodeURIComponent(id)}/messages?${query}`).then((res) =>
			readApi<HandoffMessages>(res),
		),
		staffNames(c),
	]);
	const page = pageProps(c);
	const w = page.words;
	return c.html(
		<Layout {...page} title={w.handoffs} current="handoffs">
			<p>
				<a href={`${CONSOLE}/handoffs`}>‹ {w.handoffs}</a>
			</p>
			{!read.ok && <ProblemBox words={w} problem={read.problem} />}
			{read.ok && <HandoffPage page={page} data={read.data} id={id} names={names} />}
		</Layout>,
		read.ok ? 200 : read.problem.status,
	);
});

handoffRoutes.post("/handoffs/:id/reply", async (c) => {
	const form = await formOf(c);
	const fields = texts(form, "text", "once");
	return act(
		c,
		"POST",
		handoffPath(c, "reply"),
		{ json: { text: fields.text ?? "" }, headers: onceHeader(form) },
		backToList(c, "replied", { form: "reply", fields }),
	);
});

// A file the resident sent, inline, through the API's audited file route.
handoffRoutes.get("/handoffs/:id/files/:fileId", async (c) =>
	streamInline(
		await callApi(
			c,
			"GET",
			`/handoffs/${encodeURIComponent(c.req.param("id"))}/files/${encodeURIComponent(c.req.param("fileId"))}`,
		),
	),
);

handoffRoutes.post("/handoffs/:id/close", async (c) =>
	act(
		c,
		"POST",
		handoffPath(c, "close"),
		{},
		backToList(c, "closed", { form: "close", fields: {} }),
	),
);
