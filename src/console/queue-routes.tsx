/**
 * The queue: counts per status, filters, search (ticket or name in the URL; NIK and phone only in
 * a POST body, as the API wants), sorted by due date (none last), each row with the resident's
 * WhatsApp window.
 *
 * @module
 */

import { Hono } from "hono";
import { REQUEST_STATUSES, type RequestStatus, statusWords } from "../requests/statuses";
import type { Area, RequestList, RequestSummary, ServiceStandard, Summary } from "./api-types";
import { readAreas, readServices, workedIn } from "./catalog-reads";
import {
	type ApiProblem,
	type ConsoleContext,
	type ConsoleEnv,
	callApi,
	formOf,
	pageProps,
	readApi,
} from "./context";
import { DateText, When } from "./dates";
import { CONSOLE, DateRange, Layout, type PageProps, ProblemBox } from "./layout";

/** The list's filters the queue passes through to `GET /requests` (the API validates them). */
const FILTERS = ["status", "service", "kelurahan", "from", "to", "overdue", "q", "cursor"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The filters a search carries along (its term replaces `q`; its cursor is its own). */
const SEARCH_FILTERS = ["status", "service", "kelurahan", "from", "to", "overdue"] as const;

/** Rows a page of the queue shows (each costs a look at the resident's WhatsApp window). */
const PAGE_SIZE = 20;

interface QueueRow {
	item: RequestSummary;
	/** The chat's window (`include=window`); null for a request filed without a chat. */
	whatsapp: { windowOpenUntil: number | null } | null | undefined;
	daysLate: number | null;
}

/** The list's items as the queue's rows: the API gives each one's window and lateness. */
function rowsOf(items: RequestSummary[]): QueueRow[] {
	return items.map((item) => ({ item, whatsapp: item.whatsapp, daysLate: item.daysLate }));
}

/** Requests of the last 12 months by their status now (the report summary, scoped by the API). */
async function statusCounts(c: ConsoleContext): Promise<Summary["totals"]["byStatus"] | null> {
	const now = Date.now();
	const query = new URLSearchParams({
		from: String(now - 365 * 86_400_000),
		to: String(now + 60_000),
	});
	const read = await readApi<Summary>(await callApi(c, "GET", `/reports/summary?${query}`));
	return read.ok ? read.data.totals.byStatus : null;
}

async function services(c: ConsoleContext): Promise<ServiceStandard[]> {
	const read = await readServices(c);
	return read.ok ? read.data : [];
}

/** The areas the queue's filter offers (see {@link workedIn}). */
async function areas(c: ConsoleContext): Promise<Area[]> {
	const read = await readAreas(c);
	return read.ok ? workedIn(c, read.data) : [];
}

/** The area filter: the areas by kecamatan, keeping the `kelurahan` query parameter. */
function AreaSelect(props: { page: PageProps; areas: Area[]; value: string | undefined }) {
	const w = props.page.words;
	const kecamatan = [...new Map(props.areas.map((a) => [a.kecamatan.code, a.kecamatan])).values()];
	return (
		<label>
			{w.areaFilter}
			<select name="kelurahan" data-testid="area-filter">
				<option value="">{props.page.staff?.role === "kelurahan" ? w.allMyAreas : w.all}</option>
				{kecamatan.map((k) => (
					<optgroup label={k.name}>
						{props.areas
							.filter((a) => a.kecamatan.code === k.code)
							.map((a) => (
								<option value={a.code} selected={props.value === a.code}>
									{a.name}
								</option>
							))}
					</optgroup>
				))}
			</select>
		</label>
	);
}

function WindowCell(props: { row: QueueRow; page: PageProps }) {
	const { row, page } = props;
	const w = page.words;
	if (row.whatsapp === undefined) return <span class="muted">{w.none}</span>;
	if (row.whatsapp === null) return <span class="muted">{w.notWhatsapp}</span>;
	const until = row.whatsapp.windowOpenUntil;
	return until !== null && until > Date.now() ? (
		<span>
			{w.windowOpen} <When at={until} page={page} />
		</span>
	) : (
		<span class="muted">{w.windowClosed}</span>
	);
}

function QueueTable(props: { page: PageProps; rows: QueueRow[]; services: ServiceStandard[] }) {
	const { page, rows } = props;
	const w = page.words;
	// The service's name (the catalog is read for the filter anyway); its code when unknown.
	const names = new Map(props.services.map((s) => [s.code, s.label[page.lang]]));
	if (rows.length === 0) return <p>{w.noResults}</p>;
	return (
		<table data-testid="queue" class="stack">
			<thead>
				<tr>
					<th scope="col">{w.ticket}</th>
					<th scope="col">{w.resident}</th>
					<th scope="col">{w.status}</th>
					<th scope="col">{w.service}</th>
					<th scope="col">{w.area}</th>
					<th scope="col">{w.due}</th>
					<th scope="col" class="hide-narrow">
						{w.created}
					</th>
					<th scope="col">{w.whatsapp}</th>
				</tr>
			</thead>
			<tbody>
				{rows.map((row) => (
					<tr>
						<td data-label={w.ticket}>
							<a href={`${CONSOLE}/requests/${encodeURIComponent(row.item.id)}`}>
								{row.item.ticket}
							</a>
						</td>
						<td data-label={w.resident}>{row.item.residentName}</td>
						<td data-label={w.status}>
							<span class="badge">{statusWords(row.item.status, page.lang)}</span>
						</td>
						<td data-label={w.service}>{names.get(row.item.service) ?? row.item.service}</td>
						<td data-label={w.area}>{row.item.kelurahan.name}</td>
						<td
							data-label={w.due}
							class={row.daysLate !== null && row.daysLate > 0 ? "late" : undefined}
						>
							{/* One span: at phone width the cell is a grid, and each child would be a row. */}
							<span>
								<DateText date={row.item.dueDate} page={page} />
								{row.daysLate !== null && row.daysLate > 0 && ` (${w.late})`}
							</span>
						</td>
						<td data-label={w.created} class="hide-narrow">
							<When at={row.item.createdAt} page={page} />
						</td>
						<td data-label={w.whatsapp}>
							<WindowCell row={row} page={page} />
						</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

function QueuePage(props: {
	page: PageProps;
	filters: Filters;
	counts: Summary["totals"]["byStatus"] | null;
	services: ServiceStandard[];
	areas: Area[];
	rows: QueueRow[];
	nextCursor: string | null;
	problem: ApiProblem | null;
	/** The search term of a POST search (kept in the page, never in a URL). */
	term?: string;
}) {
	const { page, filters: f } = props;
	const w = page.words;
	// The filters a search keeps (sent again with it, and with its next page).
	const kept = SEARCH_FILTERS.filter((name) => f[name] !== undefined && f[name] !== "").map(
		(name) => <input type="hidden" name={name} value={f[name]} />,
	);
	const next = new URLSearchParams(
		Object.entries({ ...f, cursor: props.nextCursor ?? "" }).filter(
			([, v]) => v !== undefined && v !== "",
		),
	);
	return (
		<Layout {...page} title={w.queue} current="queue">
			{props.counts && (
				<section aria-label={w.countsNote}>
					<p class="muted">{w.countsNote}</p>
					<ul class="counts">
						{REQUEST_STATUSES.map((status) => (
							<li>
								<a href={`${CONSOLE}?status=${status}`}>
									{statusWords(status, page.lang)}: <b>{props.counts?.[status] ?? 0}</b>
								</a>
							</li>
						))}
					</ul>
				</section>
			)}
			<form method="get" action={CONSOLE} class="filters card">
				<label>
					{w.status}
					<select name="status">
						<option value="">{w.all}</option>
						{REQUEST_STATUSES.map((status: RequestStatus) => (
							<option value={status} selected={f.status === status}>
								{statusWords(status, page.lang)}
							</option>
						))}
					</select>
				</label>
				<label>
					{w.service}
					<select name="service">
						<option value="">{w.all}</option>
						{props.services.map((service) => (
							<option value={service.code} selected={f.service === service.code}>
								{service.label[page.lang]}
							</option>
						))}
					</select>
				</label>
				<AreaSelect page={page} areas={props.areas} value={f.kelurahan} />
				<DateRange words={w} from={f.from} to={f.to} />
				<label class="check">
					<input type="checkbox" name="overdue" value="true" checked={f.overdue === "true"} />
					{w.overdueOnly}
				</label>
				<button type="submit">{w.apply}</button>
			</form>
			{/* Any search is a POST: a NIK or phone number typed here never reaches a URL. */}
			<form method="post" action={`${CONSOLE}/search`} class="inline card">
				<label>
					{w.searchNik}
					<input
						name="term"
						type="search"
						autocomplete="off"
						maxlength={100}
						required
						value={props.term ?? ""}
					/>
				</label>
				{kept}
				<button type="submit" class="secondary">
					{w.search}
				</button>
			</form>
			{props.problem && <ProblemBox words={w} problem={props.problem} />}
			<QueueTable page={page} rows={props.rows} services={props.services} />
			{props.nextCursor && props.term === undefined && (
				<p>
					<a href={`${CONSOLE}?${next}`}>{w.next} ›</a>
				</p>
			)}
			{props.nextCursor && props.term !== undefined && (
				<form method="post" action={`${CONSOLE}/search`}>
					<input type="hidden" name="term" value={props.term} />
					<input type="hidden" name="cursor" value={props.nextCursor} />
					{kept}
					<button type="submit" class="secondary">
						{w.next} ›
					</button>
				</form>
			)}
		</Layout>
	);
}

/** `GET /console` (the queue) and `POST /console/search` (NIK or phone, kept out of URLs). */
export const queueRoutes = new Hono<ConsoleEnv>();

queueRoutes.get("/", async (c) => {
	const filters: Filters = {};
	const query = new URLSearchParams({ sort: "due", limit: String(PAGE_SIZE), include: "window" });
	for (const name of FILTERS) {
		const value = c.req.query(name)?.trim();
		if (value === undefined || value === "") continue;
		filters[name] = value;
		query.set(name, value);
	}
	const [read, counts, serviceList, areaList] = await Promise.all([
		callApi(c, "GET", `/requests?${query}`).then((res) => readApi<RequestList>(res)),
		statusCounts(c),
		services(c),
		areas(c),
	]);
	const rows = read.ok ? rowsOf(read.data.items) : [];
	const page = (
		<QueuePage
			page={pageProps(c)}
			filters={filters}
			counts={counts}
			services={serviceList}
			areas={areaList}
			rows={rows}
			nextCursor={read.ok ? read.data.nextCursor : null}
			problem={read.ok ? null : read.problem}
		/>
	);
	return c.html(page, read.ok ? 200 : read.problem.status);
});

queueRoutes.post("/search", async (c) => {
	const form = await formOf(c);
	const text = (name: string) => (typeof form[name] === "string" ? form[name].trim() : "");
	const term = text("term");
	const filters: Filters = {};
	for (const name of SEARCH_FILTERS) if (text(name) !== "") filters[name] = text(name);
	const cursor = text("cursor");
	// The API tells a NIK, a phone number, a ticket and a name apart (`q` of the search body).
	const read = await readApi<RequestList>(
		await callApi(c, "POST", "/requests/search", {
			json: {
				q: term,
				...filters,
				...(cursor === "" ? {} : { cursor }),
				sort: "due",
				limit: PAGE_SIZE,
				include: "window",
			},
		}),
	);
	const rows = read.ok ? rowsOf(read.data.items) : [];
	const page = (
		<QueuePage
			page={pageProps(c)}
			filters={filters}
			counts={null}
			services={await services(c)}
			areas={await areas(c)}
			rows={rows}
			nextCursor={read.ok ? read.data.nextCursor : null}
			problem={read.ok ? null : read.problem}
			term={term}
		/>
	);
	return c.html(page, read.ok ? 200 : read.problem.status);
});
