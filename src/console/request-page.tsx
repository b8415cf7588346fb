/**
 * The request screen: resident, service, area, status and history, the document checklist with
 * each file viewable inline (through the console's proxy of the audited file route), the
 * transcript, notes, and the actions the member's role allows.
 *
 * @module
 */

import { statusWords } from "../requests/statuses";
import { type Kept, keptText } from "./actions";
import { actorWords } from "./actors";
import type { RequestDetail, Transcript } from "./api-types";
import { DateText, When } from "./dates";
import { CONSOLE, codeWord, Layout, type PageProps, ProblemBox } from "./layout";
import { Actions, actionBase, FormProblem, formsDrawn, windowOpen } from "./request-actions";

type Detail = RequestDetail;

/** Where the console shows one of a request's files (the API's file route, audited there). */
export function fileHref(requestId: string, attachmentId: string): string {
	return `${CONSOLE}/requests/${encodeURIComponent(requestId)}/files/${encodeURIComponent(attachmentId)}`;
}

function Facts(props: { page: PageProps; r: Detail }) {
	const { page, r } = props;
	const w = page.words;
	return (
		<dl class="facts card">
			<dt>{w.status}</dt>
			<dd>
				<span class="badge" data-testid="status">
					{statusWords(r.status, page.lang)}
				</span>
			</dd>
			<dt>{w.resident}</dt>
			<dd>{r.resident.name}</dd>
			<dt>{w.nik}</dt>
			<dd>
				{r.resident.nik}
				{r.resident.nikWarnings.length > 0 && (
					<span class="late">
						{" "}
						({r.resident.nikWarnings.map((code) => codeWord(w, "nikWarning", code)).join(", ")})
					</span>
				)}
			</dd>
			<dt>{w.phone}</dt>
			<dd>{r.resident.phone ?? w.none}</dd>
			<dt>{w.channel}</dt>
			<dd>{codeWord(w, "channel", r.resident.channel)}</dd>
			<dt>{w.service}</dt>
			<dd>
				{r.service.label?.[page.lang] ?? r.service.code} ·{" "}
				{r.service.variant.label?.[page.lang] ?? r.service.variant.code}
			</dd>
			<dt>{w.area}</dt>
			<dd>
				{r.kelurahan.name} ({r.kelurahan.code})
			</dd>
			<dt>{w.created}</dt>
			<dd>
				<When at={r.createdAt} page={page} long />
			</dd>
			<dt>{w.queueDate}</dt>
			<dd>
				<DateText date={r.queueDate} page={page} long />
			</dd>
			<dt>{w.due}</dt>
			<dd>
				<DateText date={r.dueDate} page={page} long />
				{r.daysLeft !== null && ` · ${r.daysLeft} ${w.daysLeft}`}
				{r.daysLate !== null && <span class="late"> · {`${r.daysLate} ${w.daysLate}`}</span>}
			</dd>
			<dt>{w.whatsapp}</dt>
			<dd>
				<WindowText page={page} r={r} />
			</dd>
		</dl>
	);
}

function WindowText(props: { page: PageProps; r: Detail }) {
	const { page, r } = props;
	const w = page.words;
	if (r.whatsapp === null) return <>{w.notWhatsapp}</>;
	if (!windowOpen(r)) return <>{w.windowClosed}</>;
	return (
		<>
			{w.windowOpen} <When at={r.whatsapp.windowOpenUntil} page={page} long />
		</>
	);
}

function Documents(props: { page: PageProps; r: Detail }) {
	const { page, r } = props;
	const w = page.words;
	return (
		<section class="card" aria-labelledby="docs">
			<h2 id="docs">{w.documents}</h2>
			<ul>
				{r.documents.map((doc) => (
					<li>
						<b>{doc.label?.[page.lang] ?? doc.code}</b>{" "}
						<span class={doc.state === "missing" && doc.required ? "late" : "muted"}>
							({doc.state === "received" ? w.received : w.missing}
							{!doc.required && `, ${w.optional}`})
						</span>
						<ul class="files">
							{doc.attachments.map((file, index) => {
								const href = fileHref(r.id, file.id);
								const name = `${doc.code}-${index + 1}`;
								return (
									<li class={file.state === "superseded" ? "muted" : undefined}>
										{file.mimeType.startsWith("image/") ? (
											<a href={href} target="_blank" rel="noopener">
												<img
													src={href}
													alt={`${doc.label?.[page.lang] ?? doc.code} ${index + 1}`}
													loading="lazy"
												/>
											</a>
										) : (
											<a href={href} target="_blank" rel="noopener" data-testid="pdf-link">
												{w.view} {name} (PDF)
											</a>
										)}
										{file.state === "superseded" && ` (${w.superseded})`}
									</li>
								);
							})}
						</ul>
					</li>
				))}
			</ul>
		</section>
	);
}

function History(props: {
	page: PageProps;
	r: Detail;
	transcript: Transcript | null;
	kept: Kept | undefined;
	names: ReadonlyMap<string, string>;
}) {
	const { page, r, kept, names } = props;
	const w = page.words;
	return (
		<>
			<section class="card" aria-labelledby="history">
				<h2 id="history">{w.history}</h2>
				<ol>
					{r.events.map((event) => (
						<li>
							<When at={event.at} page={page} />:{" "}
							{event.from ? statusWords(event.from, page.lang) : "∅"} →{" "}
							{statusWords(event.to, page.lang)}{" "}
							<span class="muted">({actorWords(page, event.actor, names)})</span>
							{event.reason && <> — {event.reason}</>}
						</li>
					))}
				</ol>
			</section>
			{props.transcript && props.transcript.messages.length > 0 && (
				<section class="card" aria-labelledby="transcript">
					<h2 id="transcript">{w.transcript}</h2>
					<ul class="transcript">
						{props.transcript.messages.map((m) => (
							<li class={m.direction}>
								<small class="muted">
									<When at={m.at} page={page} />
								</small>
								<br />
								{m.text ?? `[${codeWord(w, "messageKind", m.kind)}]`}
							</li>
						))}
					</ul>
				</section>
			)}
			<section class="card" aria-labelledby="notes">
				<h2 id="notes">{w.notes}</h2>
				<ul>
					{r.notes.map((note) => (
						<li>
							<small class="muted">
								<When at={note.at} page={page} /> · {actorWords(page, note.author, names)}
							</small>
							<br />
							{note.text}
						</li>
					))}
				</ul>
				<FormProblem page={page} kept={kept} form="note" r={r} />
				<form method="post" action={`${actionBase(r)}/notes`} class="inline">
					<label>
						{w.addNote}
						<textarea
							name="text"
							required
							maxlength={2000}
							rows={2}
							autofocus={kept?.form === "note"}
						>
							{keptText(kept, "note", "text") ?? ""}
						</textarea>
					</label>
					<button type="submit">{w.save}</button>
				</form>
			</section>
		</>
	);
}

/** The whole request screen. */
export function RequestPage(props: {
	page: PageProps;
	r: Detail;
	transcript: Transcript | null;
	/** The notice after an action: saved, or saved while nobody was told over WhatsApp yet. */
	done: "saved" | "untold" | null;
	/** A failed action's problem and what was typed into its form. */
	kept?: Kept;
	/** Staff members' names by id, when the member may read them (admins). */
	names?: ReadonlyMap<string, string>;
}) {
	const { page, r, kept } = props;
	const mayAct = page.staff?.role === "admin" || page.staff?.role === "officer";
	return (
		<Layout {...page} title={r.ticket} current="queue">
			<p>
				<a href={CONSOLE}>‹ {page.words.queue}</a>
			</p>
			{props.done !== null && (
				<p class="notice" role="status">
					{props.done === "untold" ? page.words.doneUntold : page.words.done}
				</p>
			)}
			{kept && !(mayAct && formsDrawn(r).has(kept.form)) && kept.form !== "note" && (
				// The form is not on the page any more (the request moved on): the problem stands alone.
				<ProblemBox words={page.words} problem={kept.problem} />
			)}
			<Facts page={page} r={r} />
			<Documents page={page} r={r} />
			{mayAct && <Actions page={page} r={r} kept={kept} />}
			<History
				page={page}
				r={r}
				transcript={props.transcript}
				kept={kept}
				names={props.names ?? new Map()}
			/>
		</Layout>
	);
}
