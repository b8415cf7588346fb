/**
 * Filing for a resident through the console: the form creates the API's draft, each document is
 * uploaded to the API's `PUT .../documents/{docCode}` (streamed, never held whole), submit gets the
 * ticket. A problem the API answers (a bad NIK, another area, a missing document, a 409) is shown
 * on the page with what the operator typed kept; nothing personal goes into a URL.
 *
 * @module
 */

import { Hono, type MiddlewareHandler } from "hono";
import { capBody } from "../http/body";
import type { FilingDraft, RequestDetail } from "./api-types";
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
import { FilingProblem, SubmitAgain, TicketPage } from "./filing-outcome";
import { DraftPage, FILE, FilingForm, type FilingValues, NO_VALUES } from "./filing-page";
import { fieldMessage, problemDetail, problemHeadline } from "./layout";
import { filePart, type PartProblem } from "./multipart-stream";

/** A document's upload route (capped by {@link capUpload}, not at a form's 64 KiB). */
export const UPLOAD_PATH = /^\/console\/file\/[^/]+\/documents\/[^/]+$/;

/**
 * The largest body an upload route takes: the catalog's largest per-document limit (10 MiB, the
 * WhatsApp path's too) and room for a form's part headers. The API checks each document's own
 * limit from the declared length before it reads a byte.
 */
const MAX_UPLOAD_BODY_BYTES = 10 * 1024 * 1024 + 16 * 1024;

/**
 * The body cap of an upload route: a declared length no larger than {@link MAX_UPLOAD_BODY_BYTES}
 * (the API needs the length anyway). A body without one is refused rather than counted, since
 * counting it means holding it (that is how `hono/body-limit` counts).
 */
export const capUpload: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	const length = c.req.header("content-length");
	if (length === undefined || c.req.header("transfer-encoding") !== undefined) {
		return c.json(
			{ status: 411, title: "Length required", detail: "Send the file with a Content-Length." },
			411,
		);
	}
	return capBody(MAX_UPLOAD_BODY_BYTES)(c, next);
};

/** The API's field names (`body.resident.nik`) as the form's inputs. */
const FIELD_OF: Record<string, keyof FilingValues> = {
	"body.resident.nik": "nik",
	"body.resident.name": "name",
	"body.resident.phone": "phone",
	"body.service": "choice",
	"body.variant": "choice",
	"body.kelurahan": "area",
	"body.consent": "consent",
	"body.language": "language",
};

const draftPath = (c: ConsoleContext) => `/requests/${encodeURIComponent(c.req.param("id") ?? "")}`;
const docPath = (c: ConsoleContext) =>
	`${draftPath(c)}/documents/${encodeURIComponent(c.req.param("doc") ?? "")}`;
const consolePath = (c: ConsoleContext) => `${FILE}/${encodeURIComponent(c.req.param("id") ?? "")}`;

/**
 * An upload's body is raw bytes for the script (not a form type, so `hono/csrf` does not look at
 * it): a request from another site is refused here, by its Origin or else its Sec-Fetch-Site.
 */
const sameOrigin: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	const origin = c.req.header("origin");
	const ok =
		origin !== undefined
			? origin === new URL(c.req.url).origin
			: c.req.header("sec-fetch-site") === "same-origin";
	if (!ok) {
		return c.json(
			{ status: 403, title: "Forbidden", detail: "Uploads are accepted from this console only." },
			403,
		);
	}
	return next();
};

/** The areas the signed-in member may file in (the API refuses the others with 403 anyway). */
async function formChoices(c: ConsoleContext) {
	const [areas, services] = await Promise.all([readAreas(c), readServices(c)]);
	return {
		areas: areas.ok ? workedIn(c, areas.data) : [],
		services: services.ok ? services.data : [],
		problem: !areas.ok ? areas.problem : !services.ok ? services.problem : undefined,
	};
}

/** The form's fields as the operator typed them. */
function valuesOf(form: Record<string, unknown>): FilingValues {
	const text = (name: string) => {
		const value = form[name];
		return typeof value === "string" ? value.trim() : "";
	};
	return {
		nik: text("nik"),
		name: text("name"),
		phone: text("phone"),
		choice: text("choice"),
		area: text("area"),
		language: text("language") === "en" ? "en" : "id",
		consent: text("consent") === "yes",
	};
}

/** The draft's page, with a problem above it when an action failed. */
async function draftPage(c: ConsoleContext, problem?: ApiProblem) {
	const page = pageProps(c);
	const [draft, services, areas] = await Promise.all([
		callApi(c, "GET", `${draftPath(c)}/draft`).then((res) => readApi<FilingDraft>(res)),
		readServices(c),
		readAreas(c),
	]);
	if (!draft.ok) {
		// Submitted already (409): its ticket page is the way on.
		const reload = draft.problem.status === 409 ? `${consolePath(c)}/ticket` : FILE;
		return c.html(
			<FilingProblem page={page} problem={problem ?? draft.problem} reload={reload} />,
			draft.problem.status,
		);
	}
	const d = draft.data;
	const lang = page.lang;
	const service = services.ok ? services.data.find((s) => s.code === d.service) : undefined;
	const variant = service?.variants.find((v) => v.code === d.variant);
	const serviceLabel =
		service === undefined
			? `${d.service}/${d.variant}`
			: `${service.label[lang]}${service.variants.length > 1 && variant ? `: ${variant.label[lang]}` : ""}`;
	const area = areas.ok ? areas.data.find((a) => a.code === d.kelurahan) : undefined;
	return c.html(
		<DraftPage
			page={page}
			draft={d}
			serviceLabel={serviceLabel}
			areaName={area === undefined ? d.kelurahan : `${area.name} · ${area.code}`}
			{...(problem === undefined ? {} : { problem })}
		/>,
		problem?.status ?? 200,
	);
}

/** Why a posted form holds no file to upload, as a problem. */
function partProblem(c: ConsoleContext, why: PartProblem): ApiProblem {
	const w = c.get("words");
	if (why === "no-length") {
		return { status: 411, slug: "length-required", title: "Length required", detail: "" };
	}
	const slug = why === "empty" ? "empty-body" : "";
	return { status: 400, slug, title: w.uploadFailed, detail: w.noFile };
}

export const filingRoutes = new Hono<ConsoleEnv>();

filingRoutes.get("/file", async (c) => {
	const { areas, services, problem } = await formChoices(c);
	return c.html(
		<FilingForm
			page={pageProps(c)}
			areas={areas}
			services={services}
			values={NO_VALUES}
			errors={{}}
			{...(problem === undefined ? {} : { problem })}
		/>,
	);
});

filingRoutes.post("/file", async (c) => {
	const values = valuesOf(await formOf(c));
	const [service, variant] = values.choice.split("/");
	const res = await callApi(c, "POST", "/requests", {
		json: {
			service: service ?? "",
			...(variant === undefined || variant === "" ? {} : { variant }),
			resident: {
				nik: values.nik,
				name: values.name,
				...(values.phone === "" ? {} : { phone: values.phone }),
			},
			kelurahan: values.area,
			consent: values.consent,
			language: values.language,
		},
	});
	if (res.ok) {
		const draft = await res.json<FilingDraft>();
		return c.redirect(`${FILE}/${encodeURIComponent(draft.id)}`, 303);
	}
	const body = await res
		.clone()
		.json<{ errors?: { field: string; message: string }[] }>()
		.catch(() => ({}) as { errors?: undefined });
	const errors: Record<string, string> = {};
	for (const e of body.errors ?? []) {
		const field = FIELD_OF[e.field];
		if (field !== undefined)
			errors[field] = errors[field] ?? fieldMessage(c.get("words"), e.message);
	}
	const read = await readApi<unknown>(res);
	const problem = read.ok ? undefined : read.problem;
	const { areas, services } = await formChoices(c);
	return c.html(
		<FilingForm
			page={pageProps(c)}
			areas={areas}
			services={services}
			values={values}
			errors={errors}
			// A refusal no field explains (another area's 403, a 409): shown whole.
			{...(problem !== undefined && Object.keys(errors).length === 0 ? { problem } : {})}
		/>,
		problem?.status ?? 400,
	);
});

filingRoutes.get("/file/:id", (c) => draftPage(c));

filingRoutes.get("/file/:id/ticket", async (c) => {
	const page = pageProps(c);
	const read = await readApi<RequestDetail>(await callApi(c, "GET", draftPath(c)));
	if (!read.ok) {
		return c.html(
			<FilingProblem page={page} problem={read.problem} reload={consolePath(c)} />,
			read.problem.status,
		);
	}
	return c.html(<TicketPage page={page} request={read.data} />);
});

// Without script: the document's form (its one file part) streamed to the API, then back.
filingRoutes.post("/file/:id/documents/:doc", sameOrigin, async (c) => {
	const part = await filePart(c.req.raw);
	if (typeof part === "string") return draftPage(c, partProblem(c, part));
	const res = await callApi(c, "PUT", docPath(c), {
		body: part.body,
		headers: { "content-type": part.type, "content-length": String(part.size) },
	});
	if (res.ok) return c.redirect(consolePath(c), 303);
	const read = await readApi<unknown>(res);
	return draftPage(c, read.ok ? undefined : read.problem);
});

// With script: the file is the raw body (XMLHttpRequest, for its progress events); the API's
// answer goes back as it is (the stored file, or its problem) for the page to show.
filingRoutes.put("/file/:id/documents/:doc", sameOrigin, async (c) => {
	const length = c.req.header("content-length");
	const res = await callApi(c, "PUT", docPath(c), {
		...(c.req.raw.body === null ? {} : { body: c.req.raw.body }),
		headers: {
			"content-type": c.req.header("content-type") ?? "application/octet-stream",
			...(length === undefined ? {} : { "content-length": length }),
		},
	});
	if (res.ok) {
		return new Response(res.body, {
			status: res.status,
			headers: { "content-type": res.headers.get("content-type") ?? "application/json" },
		});
	}
	// The problem in the operator's words, for the script to show.
	const read = await readApi<unknown>(res);
	const problem = read.ok ? { status: 500 as const, title: "", detail: "" } : read.problem;
	const w = c.get("words");
	return c.json(
		{
			type: `urn:disdukcapil:problem:${problem.slug || "http"}`,
			status: problem.status,
			title: problemHeadline(w, problem),
			detail: problemDetail(w, problem),
		},
		problem.status,
		{ "content-type": "application/problem+json" },
	);
});

filingRoutes.post("/file/:id/documents/:doc/remove", async (c) => {
	const form = await formOf(c);
	const fileId = typeof form.fileId === "string" ? form.fileId : "";
	const res = await callApi(
		c,
		"DELETE",
		`${docPath(c)}${fileId === "" ? "" : `?fileId=${encodeURIComponent(fileId)}`}`,
	);
	if (res.ok) return c.redirect(consolePath(c), 303);
	const read = await readApi<unknown>(res);
	return draftPage(c, read.ok ? undefined : read.problem);
});

filingRoutes.post("/file/:id/submit", async (c) => {
	const res = await callApi(c, "POST", `${draftPath(c)}/submit`);
	if (res.ok) return c.redirect(`${consolePath(c)}/ticket`, 303);
	const read = await readApi<unknown>(res);
	// Filed, but the resident's chat could not be told: the same submit again tells them (the API
	// answers the same ticket), so that is what the page offers; the draft's page is gone.
	if (!read.ok && read.problem.status === 503) {
		return c.html(<SubmitAgain page={pageProps(c)} action={`${consolePath(c)}/submit`} />, 503);
	}
	return draftPage(c, read.ok ? undefined : read.problem);
});
