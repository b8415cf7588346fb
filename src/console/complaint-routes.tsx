/**
 * Complaints (pengaduan): the list with its filters and cursor paging, one complaint with the
 * resident's words, photo, linked request and answers, answering and closing it, and the admin's
 * time limit. Every read and action is the staff API's own route (complaints.routes.ts), so its
 * scoping (a kelurahan operator sees their areas' complaints only), roles and audit apply.
 *
 * @module
 */

import { Hono } from "hono";
import { COMPLAINT_STATUSES } from "../requests/complaints";
import { MAX_COMPLAINT_DAYS } from "../requests/office-settings";
import { act, type Kept, onceHeader, streamInline, texts } from "./actions";
import { staffNames } from "./actors";
import type { Complaint, ComplaintList, ComplaintSettings, ComplaintSummary } from "./api-types";
import { ComplaintPage, DueCell, RequestLink, statusWord } from "./complaint-page";
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
import { CONSOLE, Layout, type PageProps, ProblemBox } from "./layout";

/** Complaints a page of the list shows. */
const PAGE_SIZE = 25;

/** `/complaints/<id>` below the API (and the console), the id escaped. */
function complaintPath(c: ConsoleContext): string {
	return `/complaints/${encodeURIComponent(c.req.param("id") ?? "")}`;
}

function ComplaintTable(props: { page: PageProps; complaints: ComplaintSummary[] }) {
	const { page } = props;
	const w = page.words;
	if (props.complaints.length === 0) return <p>{w.noComplaints}</p>;
	return (
		<table class="stack" data-testid="complaints">
			<thead>
				<tr>
					<th scope="col">{w.ticket}</th>
					<th scope="col">{w.status}</th>
					<th scope="col">{w.filed}</th>
					<th scope="col">{w.dueBy}</th>
					<th scope="col">{w.linkedRequest}</th>
					<th scope="col">{w.photo}</th>
				</tr>
			</thead>
			<tbody>
				{props.complaints.map((c) => (
					<tr class={c.overdue ? "overdue" : undefined}>
						<td data-label={w.ticket}>
							<a href={`${CONSOLE}/complaints/${encodeURIComponent(c.id)}`}>{c.ticket}</a>
						</td>
						<td data-label={w.status}>
							<span class="badge">{statusWord(w, c.status)}</span>
						</td>
						<td data-label={w.filed}>
							<When at={c.createdAt} page={page} />
						</td>
						<td data-label={w.dueBy}>
							<DueCell page={page} c={c} />
						</td>
						<td data-label={w.linkedRequest}>
							<RequestLink w={w} c={c} />
						</td>
						<td data-label={w.photo}>{c.hasPhoto ? w.hasPhoto : w.none}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

/** The time limit: shown to all, changed by admins (the PUT is theirs only). */
function TimeLimit(props: { page: PageProps; settings: ComplaintSettings }) {
	const { page, settings } = props;
	const w = page.words;
	return (
		<section class="card" aria-labelledby="time-limit">
			<h2 id="time-limit">{w.timeLimit}</h2>
			<p data-testid="time-limit">
				{settings.timeLimitDays} {w.workingDays}
			</p>
			{page.staff?.role === "admin" && (
				<form method="post" action={`${CONSOLE}/complaint-settings`} class="inline">
					<label>
						{w.timeLimitDays}
						<input
							type="number"
							name="timeLimitDays"
							min={1}
							max={MAX_COMPLAINT_DAYS}
							value={String(settings.timeLimitDays)}
							required
						/>
					</label>
					<button type="submit" class="secondary">
						{w.save}
					</button>
					<p class="muted">{w.timeLimitNote}</p>
				</form>
			)}
		</section>
	);
}

function ComplaintsPage(props: {
	page: PageProps;
	filters: { status?: string; overdue?: string };
	list: ComplaintList | null;
	settings: ComplaintSettings | null;
	problem: ApiProblem | null;
	done: boolean;
}) {
	const { page, filters: f, list } = props;
	const w = page.words;
	const next =
		list?.nextCursor &&
		new URLSearchParams({
			...(f.status ? { status: f.status } : {}),
			...(f.overdue ? { overdue: f.overdue } : {}),
			cursor: list.nextCursor,
		});
	return (
		<Layout {...page} title={w.complaints} current="complaints">
			{props.done && (
				<p class="notice" role="status">
					{w.done}
				</p>
			)}
			<form method="get" action={`${CONSOLE}/complaints`} class="filters card">
				<label>
					{w.status}
					<select name="status">
						<option value="">{w.all}</option>
						{COMPLAINT_STATUSES.map((status) => (
							<option value={status} selected={f.status === status}>
								{statusWord(w, status)}
							</option>
						))}
					</select>
				</label>
				<label class="check">
					<input type="checkbox" name="overdue" value="true" checked={f.overdue === "true"} />
					{w.overdueComplaint}
				</label>
				<button type="submit">{w.apply}</button>
			</form>
			{props.problem && <ProblemBox words={w} problem={props.problem} />}
			{list && <ComplaintTable page={page} complaints={list.complaints} />}
			{next && (
				<p>
					<a href={`${CONSOLE}/complaints?${next}`}>{w.next} ›</a>
				</p>
			)}
			{props.settings && <TimeLimit page={page} settings={props.settings} />}
		</Layout>
	);
}

/**
 * The complaint's actions go back to it; a failure draws it again with the problem and what was
 * typed.
 */
function backToComplaint(c: ConsoleContext, done: string, kept: Omit<Kept, "problem">) {
	return {
		back: `${CONSOLE}${complaintPath(c)}`,
		done,
		current: "complaints",
		again: (problem: ApiProblem) => complaintScreen(c, { ...kept, problem }),
	};
}

/** The complaint screens under `/console/complaints` and the time limit's form. */
export const complaintRoutes = new Hono<ConsoleEnv>();

complaintRoutes.get("/complaints", async (c) => {
	const filters: { status?: string; overdue?: string } = {};
	const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
	for (const name of ["status", "overdue", "cursor"] as const) {
		const value = c.req.query(name)?.trim();
		if (value === undefined || value === "") continue;
		if (name !== "cursor") filters[name] = value;
		query.set(name, value);
	}
	const [list, settings] = await Promise.all([
		callApi(c, "GET", `/complaints?${query}`).then((res) => readApi<ComplaintList>(res)),
		callApi(c, "GET", "/complaint-settings").then((res) => readApi<ComplaintSettings>(res)),
	]);
	return c.html(
		<ComplaintsPage
			page={pageProps(c)}
			filters={filters}
			list={list.ok ? list.data : null}
			settings={settings.ok ? settings.data : null}
			problem={list.ok ? null : list.problem}
			done={c.req.query("done") === "1"}
		/>,
		list.ok ? 200 : list.problem.status,
	);
});

complaintRoutes.post("/complaint-settings", async (c) => {
	const days = Number(texts(await formOf(c), "timeLimitDays").timeLimitDays);
	// A number the API can judge (a blank or a word becomes NaN, which JSON writes as null).
	return act(
		c,
		"PUT",
		"/complaint-settings",
		{ json: { timeLimitDays: Number.isFinite(days) ? days : null } },
		{ back: `${CONSOLE}/complaints`, current: "complaints" },
	);
});

/** One complaint's screen; after a failed action, with its problem and what was typed kept. */
async function complaintScreen(c: ConsoleContext, kept?: Kept) {
	const [read, names] = await Promise.all([
		callApi(c, "GET", complaintPath(c)).then((res) => readApi<Complaint>(res)),
		staffNames(c),
	]);
	const page = pageProps(c);
	if (!read.ok) {
		return c.html(
			<Layout {...page} title={page.words.error} current="complaints">
				<ProblemBox words={page.words} problem={read.problem} reload={`${CONSOLE}/complaints`} />
			</Layout>,
			read.problem.status,
		);
	}
	return c.html(
		<ComplaintPage
			page={page}
			c={read.data}
			names={names}
			done={kept === undefined ? c.req.query("done") : undefined}
			{...(kept === undefined ? {} : { kept })}
		/>,
		kept?.problem.status ?? 200,
	);
}

complaintRoutes.get("/complaints/:id", (c) => complaintScreen(c));

// The resident's photo, inline, through the API's audited photo route.
complaintRoutes.get("/complaints/:id/photo", async (c) =>
	streamInline(await callApi(c, "GET", `${complaintPath(c)}/photo`)),
);

complaintRoutes.post("/complaints/:id/reply", async (c) => {
	const form = await formOf(c);
	const fields = texts(form, "text", "once");
	return act(
		c,
		"POST",
		`${complaintPath(c)}/reply`,
		{ json: { text: fields.text ?? "" }, headers: onceHeader(form) },
		backToComplaint(c, "replied", { form: "reply", fields }),
	);
});

complaintRoutes.post("/complaints/:id/close", async (c) =>
	act(
		c,
		"POST",
		`${complaintPath(c)}/close`,
		{},
		backToComplaint(c, "closed", { form: "close", fields: {} }),
	),
);
