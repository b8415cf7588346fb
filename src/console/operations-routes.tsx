/**
 * The admins' screens of the service's operation: the dead letters (jobs that had all their
 * tries, to retry once the cause is fixed) and the alerts about the office's WhatsApp account.
 * The API refuses other roles; the pages only show its answer.
 *
 * @module
 */

import { Hono } from "hono";
import { problemPage, ShortRequestLink } from "./admin-routes";
import type { AccountAlert, DeadLetter } from "./api-types";
import { type ConsoleEnv, callApi, pageProps, readApi } from "./context";
import { When } from "./dates";
import { DetailList } from "./details";
import { CONSOLE, CodeWords, codeWord, Layout, type PageProps } from "./layout";

function DeadLettersPage(props: { page: PageProps; items: DeadLetter[]; next: string | null }) {
	const { page } = props;
	const w = page.words;
	return (
		<Layout {...page} title={w.deadLetters} current="deadLetters">
			{props.items.length === 0 && <p>{w.noDeadLetters}</p>}
			<div class="table-wrap" hidden={props.items.length === 0}>
				<table>
					<thead>
						<tr>
							<th scope="col">{w.kind}</th>
							<th scope="col">{w.request}</th>
							<th scope="col">{w.errorText}</th>
							<th scope="col">{w.attempts}</th>
							<th scope="col">{w.at}</th>
							<th scope="col">{w.state}</th>
						</tr>
					</thead>
					<tbody>
						{props.items.map((row) => (
							<tr>
								<td>
									<CodeWords words={codeWord(w, "deadLetter", row.kind)} code={row.kind} />
								</td>
								<td>
									<ShortRequestLink words={w} requestId={row.requestId} />
								</td>
								<td>{row.error}</td>
								<td>{row.attempts}</td>
								<td>
									<When at={row.lastAttemptAt} page={page} />
								</td>
								<td>
									{codeWord(w, "deadLetterState", row.state)}
									{row.state === "open" && (
										<form
											method="post"
											action={`${CONSOLE}/dead-letters/${row.id}/retry`}
											class="inline"
										>
											<button type="submit">{w.retry}</button>
										</form>
									)}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{props.next && (
				<p>
					<a href={`${CONSOLE}/dead-letters?${new URLSearchParams({ cursor: props.next })}`}>
						{w.next} ›
					</a>
				</p>
			)}
		</Layout>
	);
}

function AccountAlertsPage(props: { page: PageProps; items: AccountAlert[] }) {
	const { page } = props;
	const w = page.words;
	return (
		<Layout {...page} title={w.accountAlerts} current="accountAlerts">
			<p class="muted">{w.accountAlertsIntro}</p>
			{props.items.length === 0 && <p>{w.noAlerts}</p>}
			{/* One card per row on a phone (console.css "stack"); wider, it may scroll sideways and
				holds nothing focusable: the region takes the focus. */}
			<section
				class="table-wrap"
				hidden={props.items.length === 0}
				tabindex={0}
				aria-label={w.accountAlerts}
			>
				<table data-testid="account-alerts" class="stack">
					<thead>
						<tr>
							<th scope="col">{w.at}</th>
							<th scope="col">{w.alertWhat}</th>
							<th scope="col">{w.alertEvent}</th>
							<th scope="col">{w.alertDetail}</th>
						</tr>
					</thead>
					<tbody>
						{props.items.map((alert) => (
							<tr>
								<td data-label={w.at}>
									<When at={alert.at} page={page} />
								</td>
								<td data-label={w.alertWhat}>{codeWord(w, "alertField", alert.field)}</td>
								<td data-label={w.alertEvent}>
									<CodeWords words={codeWord(w, "alertEvent", alert.event)} code={alert.event} />
								</td>
								<td data-label={w.alertDetail} class="wide">
									<DetailList detail={alert.detail} page={page} />
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</section>
		</Layout>
	);
}

/** The dead letters and the account's alerts. */
export const operationsRoutes = new Hono<ConsoleEnv>();

operationsRoutes.get("/dead-letters", async (c) => {
	const query = new URLSearchParams({ limit: "50" });
	const cursor = c.req.query("cursor");
	if (cursor) query.set("cursor", cursor);
	const read = await readApi<{ items: DeadLetter[]; nextCursor: string | null }>(
		await callApi(c, "GET", `/dead-letters?${query}`),
	);
	if (!read.ok) return problemPage(c, "deadLetters", read.problem, `${CONSOLE}/dead-letters`);
	return c.html(
		<DeadLettersPage page={pageProps(c)} items={read.data.items} next={read.data.nextCursor} />,
	);
});

operationsRoutes.get("/account-alerts", async (c) => {
	const read = await readApi<{ items: AccountAlert[] }>(
		await callApi(c, "GET", "/account/alerts?limit=100"),
	);
	if (!read.ok) {
		return problemPage(c, "accountAlerts", read.problem, `${CONSOLE}/account-alerts`);
	}
	return c.html(<AccountAlertsPage page={pageProps(c)} items={read.data.items} />);
});

operationsRoutes.post("/dead-letters/:id/retry", async (c) => {
	const res = await callApi(
		c,
		"POST",
		`/dead-letters/${encodeURIComponent(c.req.param("id"))}/retry`,
	);
	const read = await readApi<unknown>(res);
	if (read.ok) return c.redirect(`${CONSOLE}/dead-letters`, 303);
	// The API's 409 here is no version conflict: the job is gone from the resident's chat.
	const problem =
		read.problem.slug === "conflict" ? { ...read.problem, slug: "nothing-to-retry" } : read.problem;
	return problemPage(c, "deadLetters", problem, `${CONSOLE}/dead-letters`);
});
