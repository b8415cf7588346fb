import type { Child } from "hono/jsx";
import type { StaffPrincipal, StaffRole } from "../staff/types";
import type { Lang, Words } from "./i18n";
import { FIELD_PREFIXES } from "./words-problems";

/** Where the console lives; every link and form of its pages is below it. */
export const CONSOLE = "/console";

/** The pages of the navigation bar, and who sees each (the API refuses the others anyway). */
const NAV: {
	key:
		| "queue"
		| "fileForResident"
		| "complaints"
		| "handoffs"
		| "skm"
		| "staff"
		| "audit"
		| "deadLetters"
		| "accountAlerts"
		| "reports";
	href: string;
	/** The roles the API serves this page's reads to; everyone when absent. */
	roles?: readonly StaffRole[];
}[] = [
	{ key: "queue", href: `${CONSOLE}` },
	// Every role may file for a resident (an operator in their own areas: the API decides).
	{ key: "fileForResident", href: `${CONSOLE}/file` },
	{ key: "complaints", href: `${CONSOLE}/complaints` },
	{ key: "handoffs", href: `${CONSOLE}/handoffs`, roles: ["admin", "officer"] },
	{ key: "reports", href: `${CONSOLE}/reports` },
	{ key: "skm", href: `${CONSOLE}/skm`, roles: ["admin", "officer"] },
	{ key: "staff", href: `${CONSOLE}/staff`, roles: ["admin"] },
	{ key: "audit", href: `${CONSOLE}/audit`, roles: ["admin"] },
	{ key: "deadLetters", href: `${CONSOLE}/dead-letters`, roles: ["admin"] },
	{ key: "accountAlerts", href: `${CONSOLE}/account-alerts`, roles: ["admin"] },
];

/** What every page knows: its words, language and (once signed in) who is looking. */
export interface PageProps {
	words: Words;
	lang: Lang;
	staff?: StaffPrincipal;
	/** The path of this page with its query, for the language switch to come back to. */
	path: string;
	/** The office's IANA time zone: times are shown in office time. */
	tz: string;
}

/**
 * The frame of every console page: a skip link, the navigation, the language switch and the
 * sign-out form (a POST, CSRF-checked), then the page. Styles and script are files of their own
 * served from `/console/assets/` (the Content-Security-Policy allows nothing inline).
 */
export function Layout(
	props: PageProps & {
		title: string;
		current?: string;
		/** A screen's own stylesheets and scripts, by name below `/console/assets/`. */
		styles?: string[];
		scripts?: string[];
		children: Child;
	},
) {
	const { words: w, staff } = props;
	const other = props.lang === "id" ? "en" : "id";
	return (
		<html lang={props.lang}>
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<title>{`${props.title} · ${w.title}`}</title>
				<link rel="stylesheet" href={`${CONSOLE}/assets/console.css`} />
				{props.styles?.map((name) => (
					<link rel="stylesheet" href={`${CONSOLE}/assets/${name}`} />
				))}
				<script src={`${CONSOLE}/assets/console.js`} defer />
				{props.scripts?.map((name) => (
					<script src={`${CONSOLE}/assets/${name}`} defer />
				))}
			</head>
			<body>
				<a class="skip" href="#main">
					{w.skip}
				</a>
				<header class="top">
					<span class="brand">{w.title}</span>
					{staff && (
						<nav aria-label={w.title}>
							<ul>
								{NAV.filter((item) => item.roles?.includes(staff.role) ?? true).map((item) => (
									<li>
										<a
											href={item.href}
											aria-current={props.current === item.key ? "page" : undefined}
										>
											{w[item.key]}
										</a>
									</li>
								))}
							</ul>
						</nav>
					)}
					<div class="tools">
						<a
							href={`${CONSOLE}/lang/${other}?back=${encodeURIComponent(props.path)}`}
							lang={other}
						>
							{w.language}
						</a>
						{staff && (
							<form method="post" action={`${CONSOLE}/sign-out`}>
								<span class="who">
									{w.signedInAs} {staff.name} ({codeWord(w, "role", staff.role)})
								</span>{" "}
								<button type="submit">{w.signOut}</button>
							</form>
						)}
					</div>
				</header>
				<main id="main">
					<h1>{props.title}</h1>
					{props.children}
				</main>
			</body>
		</html>
	);
}

/** The console's words for an API code (`role`, `admin`), or the code itself when it has none. */
export function codeWord(w: Words, kind: string, code: string): string {
	const known: Readonly<Record<string, string | undefined>> = w;
	return known[`${kind}:${code}`] ?? code;
}

/**
 * A code in words with the code itself beside, muted, for staff who meet it elsewhere (the API,
 * a CSV, a filter): only the words when they are the code's own spelling ("WhatsApp"). One span,
 * so that a phone's card (a grid cell) keeps the two together.
 */
export function CodeWords(props: { words: string; code: string }) {
	if (props.words.toLowerCase() === props.code.toLowerCase()) return <>{props.words}</>;
	return (
		<span>
			{props.words} <code class="muted">{props.code}</code>
		</span>
	);
}

/** An API field message in the page's words (the API's own when it has none). */
export function fieldMessage(w: Words, message: string): string {
	const known: Readonly<Record<string, string | undefined>> = w;
	const exact = known[`field:${message}`];
	if (exact !== undefined) return exact;
	const prefix = FIELD_PREFIXES.find((p) => message.startsWith(p));
	return (prefix === undefined ? undefined : known[`fieldPrefix:${prefix}`]) || message;
}

/**
 * What a problem says beyond its headline, in the page's words: each field it names with its
 * message, what to do for a kind the console knows, else the API's own detail.
 */
export function problemDetail(
	w: Words,
	problem: { slug?: string; detail: string; fields?: { field: string; message: string }[] },
): string {
	if (problem.fields !== undefined && problem.fields.length > 0) {
		return problem.fields
			.map((f) => `${codeWord(w, "field", f.field)}: ${fieldMessage(w, f.message)}`)
			.join("; ");
	}
	const known: Readonly<Record<string, string | undefined>> = w;
	const words = known[`problemDetail:${problem.slug ?? ""}`];
	if (words === undefined) return problem.detail;
	if (problem.slug === "payload-too-large") {
		// The API names the limit in bytes.
		const bytes = Number(/(\d+) bytes/.exec(problem.detail)?.[1]);
		return Number.isFinite(bytes) ? `${words} ${Math.floor(bytes / 1048576)} MB.` : "";
	}
	return words;
}

/**
 * The headline of a problem the API answered, by its kind (`type`): "changed by someone else" only
 * for a real version conflict; a kind the console has no words for shows the API's title.
 */
export function problemHeadline(
	w: Words,
	problem: { status: number; slug?: string; title: string },
): string {
	const known: Readonly<Record<string, string | undefined>> = w;
	const words = known[`problem:${problem.slug ?? ""}`];
	return words ?? `${w.error} (${problem.status} ${problem.title})`;
}

/** A problem the API answered, as a page section, with a reload link when given. */
export function ProblemBox(props: {
	words: Words;
	problem: {
		status: number;
		slug?: string;
		title: string;
		detail: string;
		fields?: { field: string; message: string }[];
	};
	reload?: string;
}) {
	const { words: w, problem } = props;
	const detail = problemDetail(w, problem);
	return (
		<section class="problem" role="alert">
			<h2>{problemHeadline(w, problem)}</h2>
			{detail !== "" && <p>{detail}</p>}
			{props.reload && (
				<p>
					<a href={props.reload}>{w.reload}</a>
				</p>
			)}
		</section>
	);
}

/** A period's two date inputs (`from`, `to`), as the queue, audit, reports and SKM filter by. */
export function DateRange(props: {
	words: Words;
	from: string | undefined;
	to: string | undefined;
	required?: boolean;
}) {
	const { words: w } = props;
	return (
		<>
			<label>
				{w.from}
				<input type="date" name="from" value={props.from ?? ""} required={props.required} />
			</label>
			<label>
				{w.to}
				<input type="date" name="to" value={props.to ?? ""} required={props.required} />
			</label>
		</>
	);
}
