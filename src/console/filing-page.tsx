/**
 * The pages of filing for a resident: the resident's form and the draft's document checklist with
 * an upload per document (the ticket and the problems after it: filing-outcome.tsx). They show what the staff API answered; the rules (who may
 * file where, the NIK's checks, what is required) are the API's.
 *
 * @module
 */

import type { Child } from "hono/jsx";
import type { Area, FilingDraft, ServiceStandard } from "./api-types";
import type { ApiProblem } from "./context";
import { CONSOLE, Layout, type PageProps, ProblemBox } from "./layout";

/**
 * How long an upload may take before the page gives up on it: 10 MiB at about 300 kbit/s, a
 * weak mobile signal.
 */
const UPLOAD_TIMEOUT_MS = 5 * 60 * 1000;

/** Where the screens live below the console. */
export const FILE = `${CONSOLE}/file`;

/** A page of these screens: its frame, with their stylesheet and (when asked) their script. */
export function FilingLayout(props: {
	page: PageProps;
	title: string;
	script?: boolean;
	children: Child;
}) {
	return (
		<Layout
			{...props.page}
			title={props.title}
			current="fileForResident"
			styles={["filing.css"]}
			scripts={props.script ? ["filing.js"] : []}
		>
			{props.children}
		</Layout>
	);
}

/** What the operator typed, kept when the API refuses it (never put in a URL). */
export interface FilingValues {
	nik: string;
	name: string;
	phone: string;
	/** `service/variant`. */
	choice: string;
	area: string;
	language: string;
	consent: boolean;
}

export const NO_VALUES: FilingValues = {
	nik: "",
	name: "",
	phone: "",
	choice: "",
	area: "",
	language: "id",
	consent: false,
};

/** A form field's error: its message, tied to the input by `aria-describedby`. */
function FieldError(props: { id: string; message: string | undefined }) {
	if (props.message === undefined) return null;
	return (
		<span class="field-error" id={`${props.id}-error`}>
			{props.message}
		</span>
	);
}

/** The attributes marking an input invalid and pointing at its help and error. */
function described(id: string, errors: Record<string, string>, help = false) {
	const ids = [help ? `${id}-help` : "", errors[id] === undefined ? "" : `${id}-error`]
		.filter((x) => x !== "")
		.join(" ");
	return {
		id,
		"aria-invalid": errors[id] === undefined ? undefined : ("true" as const),
		"aria-describedby": ids === "" ? undefined : ids,
	};
}

/** The resident's form: it creates the draft (`POST /api/v1/requests`). */
export function FilingForm(props: {
	page: PageProps;
	areas: Area[];
	services: ServiceStandard[];
	values: FilingValues;
	errors: Record<string, string>;
	problem?: ApiProblem;
}) {
	const { page, values, errors } = props;
	const w = page.words;
	const label = (l: { id: string; en: string }) => (page.lang === "en" ? l.en : l.id);
	// An operator with one area files there: nothing to choose.
	const area =
		values.area !== "" ? values.area : props.areas.length === 1 ? props.areas[0]?.code : "";
	return (
		<FilingLayout page={page} title={w.fileForResident}>
			{props.problem && <ProblemBox words={w} problem={props.problem} reload={FILE} />}
			{Object.keys(errors).length > 0 && (
				<p class="problem" role="alert">
					{w.fixFields}
				</p>
			)}
			<p>{w.fileIntro}</p>
			<form method="post" action={FILE} class="card filing" data-once="">
				<label for="nik">{w.residentNik}</label>
				<input
					{...described("nik", errors, true)}
					name="nik"
					inputmode="numeric"
					autocomplete="off"
					required
					maxlength={40}
					value={values.nik}
				/>
				<span class="help" id="nik-help">
					{w.nikHelp}
				</span>
				<FieldError id="nik" message={errors.nik} />

				<label for="name">{w.residentName}</label>
				<input
					{...described("name", errors)}
					name="name"
					autocomplete="off"
					required
					minlength={2}
					maxlength={100}
					value={values.name}
				/>
				<FieldError id="name" message={errors.name} />

				<label for="phone">{w.residentPhone}</label>
				<input
					{...described("phone", errors, true)}
					name="phone"
					type="tel"
					inputmode="tel"
					autocomplete="off"
					maxlength={20}
					value={values.phone}
				/>
				<span class="help" id="phone-help">
					{w.residentPhoneHelp}
				</span>
				<FieldError id="phone" message={errors.phone} />

				<label for="choice">{w.serviceVariant}</label>
				<select {...described("choice", errors)} name="choice" required>
					<option value="">{w.chooseService}</option>
					{props.services
						.filter((s) => s.active && s.variants.length > 0)
						.map((s) => (
							<optgroup label={label(s.label)}>
								{s.variants.map((v) => {
									const value = `${s.code}/${v.code}`;
									return (
										<option value={value} selected={values.choice === value}>
											{s.variants.length === 1
												? label(s.label)
												: `${label(s.label)}: ${label(v.label)}`}
										</option>
									);
								})}
							</optgroup>
						))}
				</select>
				<FieldError id="choice" message={errors.choice} />

				<label for="area">{w.fileArea}</label>
				<select {...described("area", errors)} name="area" required>
					{props.areas.length !== 1 && <option value="">—</option>}
					{props.areas.map((a) => (
						<option value={a.code} selected={area === a.code}>
							{`${a.name} (${a.kecamatan.name}) · ${a.code}`}
						</option>
					))}
				</select>
				<FieldError id="area" message={errors.area} />

				<label for="language">{w.noticeLanguage}</label>
				<select id="language" name="language">
					<option value="id" selected={values.language !== "en"}>
						{w.langId}
					</option>
					<option value="en" selected={values.language === "en"}>
						{w.langEn}
					</option>
				</select>

				<fieldset>
					<legend>{w.consent}</legend>
					<label class="check">
						<input
							{...described("consent", errors)}
							type="checkbox"
							name="consent"
							value="yes"
							required
							checked={values.consent}
						/>
						{w.consentText}
					</label>
					<FieldError id="consent" message={errors.consent} />
				</fieldset>
				<p>
					<button type="submit">{w.createDraft}</button>
				</p>
			</form>
		</FilingLayout>
	);
}

/** The draft's checklist: one upload form per document, each file listed with a remove button. */
export function DraftPage(props: {
	page: PageProps;
	draft: FilingDraft;
	serviceLabel: string;
	areaName: string;
	problem?: ApiProblem;
}) {
	const { page, draft } = props;
	const w = page.words;
	const here = `${FILE}/${encodeURIComponent(draft.id)}`;
	const label = (l: { id: string; en: string }) => (page.lang === "en" ? l.en : l.id);
	const missing = draft.documents.filter((d) => draft.missing.includes(d.code));
	return (
		<FilingLayout page={page} title={w.draftTitle} script={true}>
			{props.problem && <ProblemBox words={w} problem={props.problem} reload={here} />}
			<dl class="facts">
				<dt>{w.serviceVariant}</dt>
				<dd>{props.serviceLabel}</dd>
				<dt>{w.fileArea}</dt>
				<dd>{props.areaName}</dd>
			</dl>
			<p>{w.draftIntro}</p>
			<p class="muted">{w.replaceHint}</p>
			<ol class="checklist">
				{draft.documents.map((d) => (
					<li class="doc" data-doc={d.code} data-required={d.required ? "true" : "false"}>
						<h2 id={`doc-${d.code}`}>
							{label(d.label)}{" "}
							<span class="badge">{d.required ? w.requiredDoc : w.optionalDoc}</span>
						</h2>
						<p class="muted none" hidden={d.files.length > 0}>
							{w.notYet}
						</p>
						<ul class="received" aria-labelledby={`doc-${d.code}`}>
							{d.files.map((f) => (
								<ReceivedFile
									words={w}
									action={`${here}/documents/${encodeURIComponent(d.code)}/remove`}
									fileId={f.id}
									text={`${f.mimeType}, ${f.size} ${w.bytes}`}
								/>
							))}
						</ul>
						<form
							method="post"
							enctype="multipart/form-data"
							action={`${here}/documents/${encodeURIComponent(d.code)}`}
							class="upload"
							data-upload=""
							data-received={w.fileReceived}
							data-remove={w.remove}
							data-bytes={w.bytes}
							data-failed={w.uploadFailed}
							data-session-ended={w.sessionEndedUpload}
							data-sign-in={`${CONSOLE}/sign-in`}
							data-sign-in-again={w.signInAgain}
							data-accept={d.acceptedTypes.join(",")}
							data-max-bytes={String(d.maxBytes)}
							data-too-big={`${w.tooBig} ${Math.floor(d.maxBytes / 1048576)} MB.`}
							data-wrong-type={w.wrongType}
							data-offline={w.offline}
							data-timed-out={w.timedOut}
							data-timeout-ms={String(UPLOAD_TIMEOUT_MS)}
						>
							<label for={`file-${d.code}`}>
								{w.chooseFile} {label(d.label)}
							</label>
							<input
								id={`file-${d.code}`}
								type="file"
								name="file"
								// No `capture`: it makes a phone open only its camera, and the operator could
								// no longer pick a PDF or a photo taken before (the picker offers the camera).
								accept={d.acceptedTypes.join(",")}
								required
								data-testid={`file-${d.code}`}
							/>
							<button type="submit">{w.uploadFile}</button>
							<span class="progress" hidden>
								<label for={`progress-${d.code}`}>{`${w.uploadProgress}: ${label(d.label)}`}</label>
								<progress id={`progress-${d.code}`} max={100} value={0} />
								<output for={`file-${d.code}`} aria-live="polite">
									0%
								</output>
							</span>
							<span class="field-error" role="alert" />
						</form>
					</li>
				))}
			</ol>
			<form method="post" action={`${here}/submit`} class="card submit">
				<p id="missing-reason" class="missing" hidden={missing.length === 0}>
					{w.missingReason} {missing.map((d) => label(d.label)).join(", ")}
				</p>
				<p id="uploading-reason" class="missing" hidden>
					{w.waitForUploads}
				</p>
				<button
					type="submit"
					disabled={missing.length > 0}
					aria-describedby={missing.length > 0 ? "missing-reason" : undefined}
					data-testid="submit"
				>
					{w.submit}
				</button>
			</form>
		</FilingLayout>
	);
}

/** One received file: what it is, and a form to remove it (a POST: CSRF-checked). */
function ReceivedFile(props: {
	words: PageProps["words"];
	action: string;
	fileId: string;
	text: string;
}) {
	return (
		<li>
			<span>
				{props.words.fileReceived}: {props.text}
			</span>{" "}
			<form method="post" action={props.action} class="inline-remove">
				<input type="hidden" name="fileId" value={props.fileId} />
				<button type="submit" class="secondary">
					{props.words.remove}
				</button>
			</form>
		</li>
	);
}
