/**
 * The admins' screens: staff (create with the token shown once, list, revoke, rotate) and the
 * audit log (the dead letters and the account's alerts: operations-routes.tsx). The API refuses other roles (and audits the refusal); the pages only
 * show its answer.
 *
 * @module
 */

import { Hono } from "hono";
import { STAFF_ROLES } from "../staff/types";
import { OnceKey, onceHeader } from "./actions";
import { actorWords, staffNames } from "./actors";
import type { AuditEntry, Staff, StaffWithToken } from "./api-types";
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
import { DetailList } from "./details";
import type { Words } from "./i18n";
import {
	CONSOLE,
	CodeWords,
	codeWord,
	DateRange,
	Layout,
	type PageProps,
	ProblemBox,
} from "./layout";

/** A page that only says what the API refused. */
export function problemPage(
	c: ConsoleContext,
	current: string,
	problem: ApiProblem,
	reload: string,
) {
	const page = pageProps(c);
	return c.html(
		<Layout {...page} title={page.words.error} current={current}>
			<ProblemBox words={page.words} problem={problem} reload={reload} />
		</Layout>,
		problem.status,
	);
}

function StaffPage(props: { page: PageProps; staff: Staff[] }) {
	const { page } = props;
	const w = page.words;
	return (
		<Layout {...page} title={w.staff} current="staff">
			<section class="card" aria-labelledby="new-staff">
				<h2 id="new-staff">{w.newStaff}</h2>
				<form method="post" action={`${CONSOLE}/staff`} class="inline" data-once="">
					<OnceKey />
					<label>
						{w.name}
						<input name="name" required minlength={2} maxlength={100} />
					</label>
					<label>
						{w.role}
						<select name="role">
							{STAFF_ROLES.map((role) => (
								<option value={role} selected={role === "officer"}>
									{codeWord(w, "role", role)}
								</option>
							))}
						</select>
					</label>
					<label>
						{w.kelurahan}
						<input name="kelurahan" placeholder="16.74.01.1001" size={14} />
					</label>
					<label>
						{w.phone}
						<input name="phone" inputmode="tel" maxlength={30} />
					</label>
					<label>
						{w.expiresInDays}
						<input name="expiresInDays" type="number" min={1} max={365} value="90" />
					</label>
					<button type="submit">{w.create}</button>
				</form>
			</section>
			<div class="table-wrap">
				<table>
					<thead>
						<tr>
							<th scope="col">{w.name}</th>
							<th scope="col">{w.role}</th>
							<th scope="col">{w.kelurahan}</th>
							<th scope="col">{w.expires}</th>
							<th scope="col">{w.state}</th>
							<th scope="col">
								<span class="muted">{w.action}</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{props.staff.map((member) => (
							<tr>
								<td>{member.name}</td>
								<td>{codeWord(w, "role", member.role)}</td>
								<td>{member.kelurahan ?? w.none}</td>
								<td>
									<When at={member.expiresAt} page={page} />
								</td>
								<td>{member.revokedAt === null ? w.active : w.revoked}</td>
								<td>
									{member.revokedAt === null && (
										<>
											<form
												method="post"
												action={`${CONSOLE}/staff/${member.id}/rotate`}
												class="inline"
											>
												<button
													type="submit"
													class="secondary"
													aria-label={`${w.rotate}: ${member.name}`}
												>
													{w.rotate}
												</button>
											</form>{" "}
											<form
												method="post"
												action={`${CONSOLE}/staff/${member.id}/revoke`}
												class="inline"
											>
												<button
													type="submit"
													class="danger"
													aria-label={`${w.revoke}: ${member.name}`}
												>
													{w.revoke}
												</button>
											</form>
										</>
									)}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</Layout>
	);
}

/** The token of a new or rotated member, shown this once (the API never shows it again). */
function TokenPage(props: { page: PageProps; member: StaffWithToken }) {
	const { page, member } = props;
	const w = page.words;
	return (
		<Layout {...page} title={member.name} current="staff">
			<p class="notice" role="status">
				{w.tokenOnce}
			</p>
			<p class="token" id="new-token" data-testid="new-token">
				{member.token}
			</p>
			<p>
				<button type="button" data-copy="new-token" data-copied="✓" hidden>
					{w.copy}
				</button>{" "}
				<a href={`${CONSOLE}/staff`}>{w.back}</a>
			</p>
		</Layout>
	);
}

/** A request named by the start of its id, linked to its page; a dash for none. */
export function ShortRequestLink(props: { words: Words; requestId: string | null }) {
	const { requestId } = props;
	if (!requestId) return <>{props.words.none}</>;
	return (
		<a href={`${CONSOLE}/requests/${encodeURIComponent(requestId)}`}>{requestId.slice(0, 8)}</a>
	);
}

function AuditPage(props: {
	page: PageProps;
	items: AuditEntry[];
	names: ReadonlyMap<string, string>;
	next: string | null;
	filters: Record<string, string>;
}) {
	const { page, filters: f } = props;
	const w = page.words;
	return (
		<Layout {...page} title={w.audit} current="audit">
			<form method="get" action={`${CONSOLE}/audit`} class="filters card">
				<label>
					{w.actor}
					<input name="actor" value={f.actor ?? ""} maxlength={200} />
				</label>
				<label>
					{w.action}
					<input name="action" value={f.action ?? ""} maxlength={100} />
				</label>
				<label>
					{w.request}
					<input name="request" value={f.request ?? ""} maxlength={100} />
				</label>
				<DateRange words={w} from={f.from} to={f.to} />
				<button type="submit">{w.apply}</button>
			</form>
			<div class="table-wrap">
				{/* One card per row on a phone (console.css "stack"): each cell under its column's name. */}
				<table class="stack">
					<thead>
						<tr>
							<th scope="col">{w.at}</th>
							<th scope="col">{w.actor}</th>
							<th scope="col">{w.action}</th>
							<th scope="col">{w.request}</th>
							<th scope="col">{w.detail}</th>
						</tr>
					</thead>
					<tbody>
						{props.items.map((row) => (
							<tr>
								<td data-label={w.at}>
									<When at={row.at} page={page} />
								</td>
								<td data-label={w.actor}>
									{/* Who, by name; the link filters by the actor as the log records it. */}
									<a
										href={`${CONSOLE}/audit?${new URLSearchParams({ actor: row.actor })}`}
										title={row.actor}
									>
										{actorWords(page, row.actor, props.names)}
									</a>
								</td>
								<td data-label={w.action}>
									<CodeWords words={codeWord(w, "auditAction", row.action)} code={row.action} />
								</td>
								<td data-label={w.request}>
									<ShortRequestLink words={w} requestId={row.requestId} />
								</td>
								<td data-label={w.detail} class="wide">
									<DetailList detail={row.detail} page={page} />
								</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{props.next && (
				<p>
					<a href={`${CONSOLE}/audit?${new URLSearchParams({ ...f, cursor: props.next })}`}>
						{w.next} ›
					</a>
				</p>
			)}
		</Layout>
	);
}

/** Staff and the audit log. */
export const adminRoutes = new Hono<ConsoleEnv>();

adminRoutes.get("/staff", async (c) => {
	const read = await readApi<{ staff: Staff[] }>(await callApi(c, "GET", "/staff"));
	if (!read.ok) return problemPage(c, "staff", read.problem, `${CONSOLE}/staff`);
	return c.html(<StaffPage page={pageProps(c)} staff={read.data.staff} />);
});

adminRoutes.post("/staff", async (c) => {
	const form = await formOf(c);
	const text = (name: string) => {
		const value = form[name];
		return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
	};
	const days = Number(text("expiresInDays"));
	const read = await readApi<StaffWithToken>(
		await callApi(c, "POST", "/staff", {
			// The page's key: a refreshed or repeated post creates nobody more.
			headers: onceHeader(form),
			json: {
				name: text("name") ?? "",
				role: text("role") ?? "",
				...(text("kelurahan") === undefined ? {} : { kelurahan: text("kelurahan") }),
				...(text("phone") === undefined ? {} : { phone: text("phone") }),
				...(Number.isInteger(days) ? { expiresInDays: days } : {}),
			},
		}),
	);
	if (!read.ok) return problemPage(c, "staff", read.problem, `${CONSOLE}/staff`);
	return c.html(<TokenPage page={pageProps(c)} member={read.data} />, 201);
});

adminRoutes.post("/staff/:id/rotate", async (c) => {
	const read = await readApi<StaffWithToken>(
		await callApi(c, "POST", `/staff/${encodeURIComponent(c.req.param("id"))}/token`, { json: {} }),
	);
	if (!read.ok) return problemPage(c, "staff", read.problem, `${CONSOLE}/staff`);
	return c.html(<TokenPage page={pageProps(c)} member={read.data} />);
});

adminRoutes.post("/staff/:id/revoke", async (c) => {
	const res = await callApi(c, "DELETE", `/staff/${encodeURIComponent(c.req.param("id"))}`);
	if (res.ok) return c.redirect(`${CONSOLE}/staff`, 303);
	const read = await readApi<unknown>(res);
	return read.ok
		? c.redirect(`${CONSOLE}/staff`, 303)
		: problemPage(c, "staff", read.problem, `${CONSOLE}/staff`);
});

adminRoutes.get("/audit", async (c) => {
	const filters: Record<string, string> = {};
	for (const name of ["actor", "action", "request", "from", "to"]) {
		const value = c.req.query(name)?.trim();
		if (value) filters[name] = value;
	}
	const query = new URLSearchParams({ ...filters, limit: "50" });
	const cursor = c.req.query("cursor");
	if (cursor) query.set("cursor", cursor);
	const [read, names] = await Promise.all([
		callApi(c, "GET", `/audit?${query}`).then((res) =>
			readApi<{ items: AuditEntry[]; nextCursor: string | null }>(res),
		),
		staffNames(c),
	]);
	if (!read.ok) return problemPage(c, "audit", read.problem, `${CONSOLE}/audit`);
	return c.html(
		<AuditPage
			page={pageProps(c)}
			items={read.data.items}
			names={names}
			next={read.data.nextCursor}
			filters={filters}
		/>,
	);
});
