/**
 * The request screen: resident, service, area, status and history, the document checklist with
 * each file viewable inline (through the console's proxy of the audited file route), the
 * transcript, notes, and the actions the member's role allows.
 *
 * @module
 */

import { allowedTransitions, statusWords } from "../requests/statuses";
import { type Kept, keptText, OnceKey } from "./actions";
import type { RequestDetail, Transcript } from "./api-types";
import { CONSOLE, codeWord, Layout, type PageProps, ProblemBox, when } from "./layout";

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
			<dd>{when(r.createdAt, page)}</dd>
			<dt>{w.queueDate}</dt>
			<dd>{r.queueDate ?? w.none}</dd>
			<dt>{w.due}</dt>
			<dd>
				{r.dueDate ?? w.none}
				{r.daysLeft !== null && ` · ${r.daysLeft} ${w.daysLeft}`}
				{r.daysLate !== null && <span class="late"> · {`${r.daysLate} ${w.daysLate}`}</span>}
			</dd>
			<dt>{w.whatsapp}</dt>
			<dd>{windowText(page, r)}</dd>
		</dl>
	);
}

/** Whether free text can reach the resident now (the API decides again when it is sent). */
function windowOpen(r: Detail): boolean {
	const until = r.whatsapp?.windowOpenUntil ?? null;
	return until !== null && until > Date.now();
}

function windowText(page: PageProps, r: Detail): string {
	const w = page.words;
	if (r.whatsapp === null) return w.notWhatsapp;
	return windowOpen(r)
		? `${w.windowOpen} ${when(r.whatsapp.windowOpenUntil, page)}`
		: w.windowClosed;
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

/**
 * Who did something, in words: the resident, the system, the signed-in member themselves, or a
 * staff member by name when the page knows it (admins read the staff list), else "staff".
 */
export function actorWords(page: PageProps, actor: string, names: ReadonlyMap<string, string>) {
	const w = page.words;
	if (actor === "bootstrap-admin" || actor === "staff:bootstrap-admin") {
		return codeWord(w, "actor", "bootstrap-admin");
	}
	if (!actor.startsWith("staff:")) return codeWord(w, "actor", actor);
	const id = actor.slice("staff:".length);
	if (id === page.staff?.id) return `${page.staff.name} (${codeWord(w, "actor", "you")})`;
	return names.get(id) ?? codeWord(w, "actor", "staff");
}

/** A failed action's problem, above its form (drawn only in the form that failed). */
function FormProblem(props: { page: PageProps; kept: Kept | undefined; form: string; r: Detail }) {
	if (props.kept?.form !== props.form) return null;
	return (
		<ProblemBox
			words={props.page.words}
			problem={props.kept.problem}
			reload={actionBase(props.r)}
		/>
	);
}

/** The forms the request's screen draws for a member who may act (the note's for everyone). */
function formsDrawn(r: Detail): Set<string> {
	const moves = allowedTransitions(r.status, "staff");
	const forms = new Set(["note", "message"]);
	if (moves.some((to) => to !== "needs_revision")) forms.add("move");
	if (moves.includes("needs_revision")) forms.add("revision");
	if ((r.status === "processing" || r.status === "completed") && r.service.resultKind !== "card") {
		forms.add("result");
	}
	if (r.closedAt === null && r.service.resultKind === "card" && r.whatsapp !== null) {
		forms.add("pickup");
	}
	return forms;
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
							{when(event.at, page)}: {event.from ? statusWords(event.from, page.lang) : "∅"} →{" "}
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
								<small class="muted">{when(m.at, page)}</small>
								<br />
								{m.text ?? `[${m.kind}]`}
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
								{when(note.at, page)} · {actorWords(page, note.author, names)}
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

function actionBase(r: Detail): string {
	return `${CONSOLE}/requests/${encodeURIComponent(r.id)}`;
}

/** The case-work forms: only for roles that may act (the API refuses the rest anyway). */
function Actions(props: { page: PageProps; r: Detail; kept: Kept | undefined }) {
	const { page, r, kept } = props;
	const w = page.words;
	const moves = allowedTransitions(r.status, "staff");
	const plainMoves = moves.filter((to) => to !== "needs_revision");
	const open = windowOpen(r);
	// Without a WhatsApp recipient the API refuses messages and pick-up notices (409 no-whatsapp).
	const reachable = r.whatsapp !== null;
	return (
		<>
			{plainMoves.length > 0 && (
				<section class="card" aria-labelledby="move">
					<h2 id="move">{w.moveStatus}</h2>
					<FormProblem page={page} kept={kept} form="move" r={r} />
					<form method="post" action={`${actionBase(r)}/transition`} class="inline">
						<input type="hidden" name="version" value={String(r.version)} />
						<label>
							{w.status}
							<select name="to" data-testid="move-to">
								{plainMoves.map((to) => (
									<option value={to} selected={keptText(kept, "move", "to") === to}>
										{statusWords(to, page.lang)}
									</option>
								))}
							</select>
						</label>
						<label>
							{w.reason}
							<input
								name="reason"
								maxlength={500}
								value={keptText(kept, "move", "reason") ?? ""}
								autofocus={kept?.form === "move"}
							/>
						</label>
						<button type="submit">{w.move}</button>
					</form>
				</section>
			)}
			{moves.includes("needs_revision") && (
				<section class="card" aria-labelledby="revision">
					<h2 id="revision">{w.revision}</h2>
					<FormProblem page={page} kept={kept} form="revision" r={r} />
					<form method="post" action={`${actionBase(r)}/transition`}>
						<input type="hidden" name="version" value={String(r.version)} />
						<input type="hidden" name="to" value="needs_revision" />
						<fieldset>
							<legend>{w.revisionHelp}</legend>
							{r.documents
								.filter((doc) => doc.kind === "requirement")
								.map((doc) => (
									<label class="check">
										<input
											type="checkbox"
											name="documents"
											value={doc.code}
											checked={kept?.form === "revision" && kept.documents?.includes(doc.code)}
										/>
										{doc.label?.[page.lang] ?? doc.code}
									</label>
								))}
						</fieldset>
						<label>
							{w.reason}
							<input
								name="reason"
								required
								minlength={3}
								maxlength={500}
								data-testid="revision-reason"
								value={keptText(kept, "revision", "reason") ?? ""}
								autofocus={kept?.form === "revision"}
							/>
						</label>
						<p>
							<button type="submit">{w.askRevision}</button>
						</p>
					</form>
				</section>
			)}
			<section class="card" aria-labelledby="message">
				<h2 id="message">{w.message}</h2>
				<FormProblem page={page} kept={kept} form="message" r={r} />
				<form method="post" action={`${actionBase(r)}/message`} class="inline">
					<OnceKey value={keptText(kept, "message", "once")} />
					<label>
						{w.message}
						<textarea
							name="text"
							required
							maxlength={3000}
							rows={2}
							// What was typed before a refusal stays readable (and copyable) when the window
							// closed meanwhile; an empty box for a closed window stays disabled.
							disabled={!open && kept?.form !== "message"}
							readonly={!open && kept?.form === "message"}
							autofocus={kept?.form === "message"}
						>
							{keptText(kept, "message", "text") ?? ""}
						</textarea>
					</label>
					<button type="submit" disabled={!open}>
						{w.send}
					</button>
				</form>
				{!open && (
					<p class="muted" data-testid="message-why">
						{reachable ? w.windowClosedWhy : w.noWhatsappWhy}
					</p>
				)}
			</section>
			{(r.status === "processing" || r.status === "completed") &&
				r.service.resultKind !== "card" && (
					<section class="card" aria-labelledby="result">
						<h2 id="result">{w.resultPdf}</h2>
						<FormProblem page={page} kept={kept} form="result" r={r} />
						<form
							method="post"
							action={`${actionBase(r)}/result`}
							enctype="multipart/form-data"
							class="inline"
						>
							<label>
								{w.file}
								<input
									type="file"
									name="file"
									accept="application/pdf"
									required
									data-testid="result-file"
								/>
							</label>
							<button type="submit">{w.upload}</button>
						</form>
					</section>
				)}
			{r.closedAt === null && r.service.resultKind === "card" && (
				<section class="card" aria-labelledby="pickup">
					<h2 id="pickup">{w.pickup}</h2>
					{!reachable && (
						<p class="muted" data-testid="pickup-why">
							{w.noWhatsappWhy}
						</p>
					)}
					{reachable && (
						<form method="post" action={`${actionBase(r)}/pickup`} class="inline">
							<OnceKey value={keptText(kept, "pickup", "once")} />
							<label>
								{w.place}
								<input
									name="place"
									required
									minlength={3}
									maxlength={200}
									value={keptText(kept, "pickup", "place") ?? ""}
									autofocus={kept?.form === "pickup"}
								/>
							</label>
							<label>
								{w.when}
								<input
									name="from"
									required
									minlength={3}
									maxlength={100}
									value={keptText(kept, "pickup", "from") ?? ""}
								/>
							</label>
							<button type="submit">{w.save}</button>
						</form>
					)}
				</section>
			)}
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
