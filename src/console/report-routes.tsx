/**
 * Reports: the summary of a period (`GET /reports/summary`) and the requests of that period as
 * CSV (`GET /reports/requests.csv`, streamed through and audited by the API).
 *
 * @module
 */

import { Hono } from "hono";
import { SUMMARY_GROUPINGS } from "../requests/report-summary";
import type { Summary } from "./api-types";
import { type ApiProblem, type ConsoleEnv, callApi, pageProps, readApi } from "./context";
import { DateText } from "./dates";
import {
	CONSOLE,
	CodeWords,
	codeWord,
	DateRange,
	Layout,
	type PageProps,
	ProblemBox,
} from "./layout";

type Figures = Summary["totals"];

/** This month so far, as office-local dates: the default period. */
export function defaultPeriod(tz: string): { from: string; to: string } {
	const today = new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(new Date());
	return { from: `${today.slice(0, 8)}01`, to: today };
}

function FigureCells(props: { f: Figures }) {
	const { f } = props;
	return (
		<>
			<td>{f.requests}</td>
			<td>{f.open}</td>
			<td>{f.overdue}</td>
			<td>{f.completed}</td>
			<td>{f.medianWorkingDays ?? "—"}</td>
			<td>{f.withinLimitShare === null ? "—" : `${Math.round(f.withinLimitShare * 100)}%`}</td>
		</>
	);
}

/** A group's name: a day's date and a channel in words, a service's or area's name from the catalog. */
function GroupName(props: { page: PageProps; groupBy: string; group: Summary["groups"][number] }) {
	const { page, group } = props;
	if (props.groupBy === "day") return <DateText date={group.key} page={page} />;
	if (props.groupBy === "channel") {
		return <CodeWords words={codeWord(page.words, "channel", group.key)} code={group.key} />;
	}
	return <>{group.label}</>;
}

function ReportsPage(props: {
	page: PageProps;
	period: { from: string; to: string; groupBy: string };
	summary: Summary | null;
	problem: ApiProblem | null;
}) {
	const { page, period, summary } = props;
	const w = page.words;
	const csv = new URLSearchParams({
		from: period.from,
		to: period.to,
		delimiter: page.lang === "id" ? ";" : ",",
	});
	return (
		<Layout {...page} title={w.reports} current="reports">
			<form method="get" action={`${CONSOLE}/reports`} class="filters card">
				<DateRange words={w} from={period.from} to={period.to} required />
				<label>
					{w.groupBy}
					<select name="groupBy">
						{SUMMARY_GROUPINGS.map((g) => (
							<option value={g} selected={period.groupBy === g}>
								{codeWord(w, "groupBy", g)}
							</option>
						))}
					</select>
				</label>
				<button type="submit">{w.show}</button>
			</form>
			{props.problem && <ProblemBox words={w} problem={props.problem} />}
			{summary && (
				<>
					{page.staff?.role !== "kelurahan" && (
						<p>
							<a href={`${CONSOLE}/reports/requests.csv?${csv}`} download>
								{w.downloadCsv}
							</a>
						</p>
					)}
					<div class="table-wrap">
						<table>
							<thead>
								<tr>
									<th scope="col">{w.groupBy}</th>
									<th scope="col">{w.requests}</th>
									<th scope="col">{w.open_}</th>
									<th scope="col">{w.overdue}</th>
									<th scope="col">{w.completed}</th>
									<th scope="col">{w.median}</th>
									<th scope="col">{w.withinLimit}</th>
								</tr>
							</thead>
							<tbody>
								{summary.groups.map((g) => (
									<tr>
										<th scope="row">
											<GroupName page={page} groupBy={period.groupBy} group={g} />
										</th>
										<FigureCells f={g} />
									</tr>
								))}
								<tr>
									<th scope="row">{w.total}</th>
									<FigureCells f={summary.totals} />
								</tr>
							</tbody>
						</table>
					</div>
				</>
			)}
		</Layout>
	);
}

/** `GET /console/reports` and the CSV download. */
export const reportRoutes = new Hono<ConsoleEnv>();

reportRoutes.get("/reports", async (c) => {
	const page = pageProps(c);
	const fallback = defaultPeriod(page.tz);
	const period = {
		from: c.req.query("from") || fallback.from,
		to: c.req.query("to") || fallback.to,
		groupBy: c.req.query("groupBy") || "service",
	};
	const read = await readApi<Summary>(
		await callApi(c, "GET", `/reports/summary?${new URLSearchParams(period)}`),
	);
	return c.html(
		<ReportsPage
			page={page}
			period={period}
			summary={read.ok ? read.data : null}
			problem={read.ok ? null : read.problem}
		/>,
		read.ok ? 200 : read.problem.status,
	);
});

// The CSV as the API streams it (its own name and disposition); a refusal shows as a page.
reportRoutes.get("/reports/requests.csv", async (c) => {
	const query = new URLSearchParams();
	for (const name of ["from", "to", "delimiter"]) {
		const value = c.req.query(name);
		if (value) query.set(name, value);
	}
	const res = await callApi(c, "GET", `/reports/requests.csv?${query}`);
	if (res.ok) return new Response(res.body, { status: 200, headers: res.headers });
	const read = await readApi<unknown>(res);
	const problem: ApiProblem = read.ok ? { status: 500, title: "", detail: "" } : read.problem;
	const page = pageProps(c);
	return c.html(
		<Layout {...page} title={page.words.error} current="reports">
			<ProblemBox words={page.words} problem={problem} reload={`${CONSOLE}/reports`} />
		</Layout>,
		problem.status,
	);
});
