/**
 * One complaint as staff read it (the resident's words, photo, linked request, answers, and the
 * forms to answer and close it), and the small pieces the list shares with it.
 *
 * @module
 */

import type { ComplaintStatus } from "../requests/complaints";
import { type Kept, keptText, OnceKey } from "./actions";
import { actorWords } from "./actors";
import type { Complaint, ComplaintSummary } from "./api-types";
import { DateText, When } from "./dates";
import type { Words } from "./i18n";
import { CONSOLE, Layout, type PageProps, ProblemBox } from "./layout";

/** Answering and closing are for admins and officers (the routes' `requireRole`). */
export function mayAnswer(page: PageProps): boolean {
	return page.staff?.role === "admin" || page.staff?.role === "officer";
}

export function statusWord(w: Words, status: ComplaintStatus): string {
	return { open: w.openComplaint, answered: w.answeredComplaint, closed: w.closedComplaint }[
		status
	];
}

/** The answer-by date, marked when it has passed: short in the list, `long` on the complaint. */
export function DueCell(props: { page: PageProps; c: ComplaintSummary; long?: boolean }) {
	const { page, c } = props;
	const w = page.words;
	return (
		<span class={c.overdue ? "late" : undefined}>
			<DateText date={c.dueDate} page={page} long={props.long} />
			{c.overdue && ` (${w.overdueComplaint})`}
		</span>
	);
}

export function RequestLink(props: { w: Words; c: ComplaintSummary }) {
	const { w, c } = props;
	if (c.requestId === null) return <span class="muted">{w.noLinkedRequest}</span>;
	return (
		<a href={`${CONSOLE}/requests/${encodeURIComponent(c.requestId)}`}>
			{c.requestTicket ?? c.requestId}
		</a>
	);
}

/** The notice a finished action leaves on the complaint (`done` of the redirect). */
export function DoneNotice(props: { w: Words; done: string | undefined }) {
	const { w, done } = props;
	const text = done === "replied" ? w.answerQueued : done === "closed" ? w.complaintClosed : null;
	if (text === null) return null;
	return (
		<p class="notice" role="status" data-testid="done">
			{text}
		</p>
	);
}

export function ComplaintPage(props: {
	page: PageProps;
	c: Complaint;
	done: string | undefined;
	/** A failed answer or close: its problem above the forms, the answer's text kept. */
	kept?: Kept;
	/** Staff members' names by id, when the member may read them (admins). */
	names: ReadonlyMap<string, string>;
}) {
	const { page, c, kept, names } = props;
	const w = page.words;
	const base = `${CONSOLE}/complaints/${encodeURIComponent(c.id)}`;
	return (
		<Layout {...page} title={`${w.complaints} ${c.ticket}`} current="complaints">
			<DoneNotice w={w} done={props.done} />
			<section class="card">
				<dl class="facts">
					<dt>{w.status}</dt>
					<dd>
						<span class="badge" data-testid="complaint-status">
							{statusWord(w, c.status)}
						</span>
					</dd>
					<dt>{w.filed}</dt>
					<dd>
						<When at={c.createdAt} page={page} long />
					</dd>
					<dt>{w.dueBy}</dt>
					<dd>
						<DueCell page={page} c={c} long />
					</dd>
					<dt>{w.linkedRequest}</dt>
					<dd>
						<RequestLink w={w} c={c} />
					</dd>
					{c.closedAt !== null && (
						<>
							<dt>{w.closedComplaint}</dt>
							<dd>
								<When at={c.closedAt} page={page} long />
							</dd>
						</>
					)}
				</dl>
			</section>
			<h2>{w.residentWrote}</h2>
			<blockquote class="said" data-testid="complaint-text">
				{c.text}
			</blockquote>
			{c.hasPhoto && (
				<p class="files">
					<a href={`${base}/photo`}>
						<img src={`${base}/photo`} alt={`${w.photo} ${c.ticket}`} />
					</a>
				</p>
			)}
			<h2>{w.replies}</h2>
			{c.replies.length === 0 ? (
				<p class="muted">{w.noReplies}</p>
			) : (
				<ol class="transcript" data-testid="replies">
					{c.replies.map((r) => (
						<li class="out">
							<p>{r.text}</p>
							<small class="muted">
								{actorWords(page, r.author, names)} · <When at={r.at} page={page} />
							</small>
						</li>
					))}
				</ol>
			)}
			{kept &&
				(mayAnswer(page) && c.status !== "closed" ? null : (
					<ProblemBox words={w} problem={kept.problem} reload={base} />
				))}
			{mayAnswer(page) && c.status !== "closed" && (
				<section class="card">
					{kept && <ProblemBox words={w} problem={kept.problem} reload={base} />}
					<form method="post" action={`${base}/reply`}>
						<OnceKey value={keptText(kept, "reply", "once")} />
						<label>
							{w.yourAnswer}
							<textarea
								name="text"
								rows={4}
								maxlength={1000}
								required
								data-testid="answer"
								autofocus={kept !== undefined}
							>
								{keptText(kept, "reply", "text") ?? ""}
							</textarea>
						</label>
						<p>
							<button type="submit">{w.sendAnswer}</button>
						</p>
					</form>
					<form method="post" action={`${base}/close`}>
						<button type="submit" class="secondary">
							{w.closeComplaint}
						</button>
					</form>
				</section>
			)}
		</Layout>
	);
}
