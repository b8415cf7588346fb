/**
 * The request page's case-work forms (status, revision, message, result, pick-up) for the roles
 * that may act, each with its problem and the staff's text kept after a failed action.
 *
 * @module
 */

import { allowedTransitions, statusWords } from "../requests/statuses";
import { type Kept, keptText, OnceKey } from "./actions";
import type { RequestDetail } from "./api-types";
import { CONSOLE, type PageProps, ProblemBox } from "./layout";

type Detail = RequestDetail;

/** Whether free text can reach the resident now (the API decides again when it is sent). */
export function windowOpen(r: Detail): boolean {
	const until = r.whatsapp?.windowOpenUntil ?? null;
	return until !== null && until > Date.now();
}

/** A failed action's problem, above its form (drawn only in the form that failed). */
export function FormProblem(props: {
	page: PageProps;
	kept: Kept | undefined;
	form: string;
	r: Detail;
}) {
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
export function formsDrawn(r: Detail): Set<string> {
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

export function actionBase(r: Detail): string {
	return `${CONSOLE}/requests/${encodeURIComponent(r.id)}`;
}

/** The case-work forms: only for roles that may act (the API refuses the rest anyway). */
export function Actions(props: { page: PageProps; r: Detail; kept: Kept | undefined }) {
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
