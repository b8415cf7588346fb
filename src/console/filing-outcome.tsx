/**
 * The pages after a filing is submitted: the ticket, the request filed but its resident not yet
 * told (submit again), and a page that is only the API's problem.
 *
 * @module
 */

import type { RequestDetail } from "./api-types";
import type { ApiProblem } from "./context";
import { DateText } from "./dates";
import { FILE, FilingLayout } from "./filing-page";
import { CONSOLE, type PageProps, ProblemBox } from "./layout";

/** The ticket, large, and what happens next. */
export function TicketPage(props: { page: PageProps; request: RequestDetail }) {
	const { page, request } = props;
	const w = page.words;
	return (
		<FilingLayout page={page} title={w.ticketTitle}>
			<section class="notice ticket" aria-labelledby="ticket-label">
				<p id="ticket-label">{w.ticketLabel}</p>
				<p class="ticket-number" data-testid="ticket">
					{request.ticket}
				</p>
			</section>
			<p>{w.whatNext}</p>
			{request.dueDate !== null && (
				<p>
					{w.expectedBy}: <DateText date={request.dueDate} page={page} long />
				</p>
			)}
			<ul class="next">
				<li>
					<a href={`${CONSOLE}/requests/${encodeURIComponent(request.id)}`}>{w.openRequest}</a>
				</li>
				<li>
					<a href={FILE}>{w.fileAnother}</a>
				</li>
			</ul>
		</FilingLayout>
	);
}

/**
 * The request is filed but its resident could not be told yet (the API's 503): submitting again
 * tells them and answers the same ticket.
 */
export function SubmitAgain(props: { page: PageProps; action: string }) {
	const w = props.page.words;
	return (
		<FilingLayout page={props.page} title={w.error}>
			<section class="problem" role="alert">
				<h2>{w.tellFailed}</h2>
				<p>{w.tellFailedWhy}</p>
			</section>
			<form method="post" action={props.action} class="card submit">
				<button type="submit" data-testid="submit-again">
					{w.submitAgain}
				</button>
			</form>
		</FilingLayout>
	);
}

/** A page that is only the API's problem, with a way back. */
export function FilingProblem(props: { page: PageProps; problem: ApiProblem; reload: string }) {
	return (
		<FilingLayout page={props.page} title={props.page.words.error}>
			<ProblemBox words={props.page.words} problem={props.problem} reload={props.reload} />
		</FilingLayout>
	);
}
