/**
 * The SKM page (Survei Kepuasan Masyarakat): a period's finished surveys, the nine elements'
 * averages by their names, the IKM and its grade, as `GET /reports/skm` computes them (admins and
 * officers; the console shows the figures, it computes none).
 *
 * @module
 */

import { Hono } from "hono";
import type { SkmReport } from "./api-types";
import { type ConsoleEnv, callApi, pageProps, readApi } from "./context";
import { CONSOLE, DateRange, Layout, ProblemBox } from "./layout";
import { defaultPeriod } from "./report-routes";
import { SKM_ELEMENT_NAMES } from "./words-feedback";

/** An API figure as the page's language writes numbers; a dash when there is none. */
function figure(value: number | null, lang: "id" | "en"): string {
	if (value === null) return "—";
	return new Intl.NumberFormat(lang === "id" ? "id-ID" : "en-GB", {
		maximumFractionDigits: 4,
	}).format(value);
}

/** `GET /console/skm?from&to`. */
export const skmRoutes = new Hono<ConsoleEnv>();

skmRoutes.get("/skm", async (c) => {
	const page = pageProps(c);
	const w = page.words;
	const fallback = defaultPeriod(page.tz);
	const period = {
		from: c.req.query("from") || fallback.from,
		to: c.req.query("to") || fallback.to,
	};
	const read = await readApi<SkmReport>(
		await callApi(c, "GET", `/reports/skm?${new URLSearchParams(period)}`),
	);
	const skm = read.ok ? read.data : null;
	return c.html(
		<Layout {...page} title={w.skmTitle} current="skm">
			<form method="get" action={`${CONSOLE}/skm`} class="filters card">
				<DateRange words={w} from={period.from} to={period.to} required />
				<button type="submit">{w.show}</button>
			</form>
			{!read.ok && <ProblemBox words={w} problem={read.problem} />}
			{skm && (
				<>
					<section class="card">
						<dl class="facts" data-testid="skm-summary">
							<dt>{w.skmResponses}</dt>
							<dd>{skm.responses}</dd>
							<dt>{w.skmSuggestions}</dt>
							<dd>{skm.suggestions}</dd>
							<dt>{w.skmOverall}</dt>
							<dd>{figure(skm.average, page.lang)}</dd>
							<dt>{w.ikm}</dt>
							<dd data-testid="ikm">{figure(skm.ikm, page.lang)}</dd>
							<dt>{w.grade}</dt>
							<dd data-testid="grade">
								{skm.grade === null ? "—" : `${skm.grade.grade} (${skm.grade.label})`}
							</dd>
						</dl>
						{skm.responses === 0 && <p class="muted">{w.noSurveys}</p>}
						<p class="muted">{skm.regulation}</p>
					</section>
					<div class="table-wrap">
						<table data-testid="skm-elements">
							<thead>
								<tr>
									<th scope="col">{w.skmElement}</th>
									<th scope="col">{w.skmAnswers}</th>
									<th scope="col">{w.skmAverage}</th>
								</tr>
							</thead>
							<tbody>
								{skm.elements.map((e) => (
									<tr>
										<th scope="row">
											{`${e.code.toUpperCase()} ${SKM_ELEMENT_NAMES[page.lang][e.element]}`}
										</th>
										<td>{e.answers}</td>
										<td>{figure(e.average, page.lang)}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</>
			)}
		</Layout>,
		read.ok ? 200 : read.problem.status,
	);
});
