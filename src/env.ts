import { z } from "zod";
import { Problem } from "./http/problem";
import { log } from "./log";
import { OFFICE_CODE_PATTERN } from "./requests/tickets";
import { isTimeZone } from "./standards/office-clock";

/**
 * Settings as the code sees them: parsed once per `env` object with zod, each one on its own,
 * so that a broken secret only breaks the routes that need it (they answer 500 naming it).
 */
const settingSchemas = {
	WHATSAPP_APP_SECRET: z
		.string({ error: "is not set" })
		.min(1, "is empty")
		.regex(/^\S+$/, "contains whitespace"),
	WHATSAPP_VERIFY_TOKEN: z.string({ error: "is not set" }).min(1, "is empty"),
	WHATSAPP_ACCESS_TOKEN: z
		.string({ error: "is not set" })
		.min(1, "is empty")
		.regex(/^\S+$/, "contains whitespace"),
	/** The office's own business number: deliveries naming any other are not answered. */
	WHATSAPP_PHONE_NUMBER_ID: z
		.string({ error: "is not set" })
		.regex(/^\d{5,20}$/, "must be the digits of a phone_number_id"),
	// Optional: once a personal admin exists the bootstrap token should be removed. Missing or
	// empty means no bootstrap login; a malformed one disables only that login (see staff/auth).
	ADMIN_TOKEN: z
		.string()
		.optional()
		.transform((token) => (token === "" ? undefined : token))
		.pipe(
			z
				.string()
				.min(16, "must be at least 16 characters")
				.regex(/^\S+$/, "contains whitespace")
				.optional(),
		),
	GRAPH_API_BASE: z
		.url({ protocol: /^https?$/, error: "must be an http(s) URL" })
		.default("https://graph.facebook.com")
		.transform((url) => url.replace(/\/+$/, "")),
	GRAPH_API_VERSION: z
		.string()
		.regex(/^v\d+\.\d+$/, "must look like v25.0")
		.default("v25.0"),
	OFFICE_CODE: z
		.string()
		// The ticket's own rule: a code tickets cannot carry must fail here, not at every submission.
		.regex(OFFICE_CODE_PATTERN, "must be 2-10 capital letters or digits, starting with a letter")
		.default("DKC"),
	OFFICE_NAME: z.string().trim().min(1, "is empty").default("Disdukcapil"),
	// WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura; any IANA zone the runtime knows.
	OFFICE_TIME_ZONE: z
		.string()
		.trim()
		.default("Asia/Jakarta")
		.refine(
			isTimeZone,
			"must be an IANA time zone such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura",
		),
	DEFAULT_LANGUAGE: z.enum(["id", "en"], { error: "must be id or en" }).default("id"),
	STATUS_TEMPLATE_NAME: z
		.string()
		.trim()
		.default("")
		.transform((name) => (name === "" ? undefined : name)),
	// Invites a resident whose window closed to the SKM survey (body: office name, ticket; in
	// STATUS_TEMPLATE_LANGUAGE); without it the survey is offered only inside the window.
	SURVEY_TEMPLATE_NAME: z
		.string()
		.trim()
		.default("")
		.transform((name) => (name === "" ? undefined : name)),
	// The morning digest to staff; without it the digest is only in the staff API.
	DIGEST_TEMPLATE_NAME: z
		.string()
		.trim()
		.default("")
		.transform((name) => (name === "" ? undefined : name)),
	STATUS_TEMPLATE_LANGUAGE: z.string().trim().min(2, "must be a language code").default("id"),
	RETENTION_DAYS: z.coerce
		.number({ error: "must be a number" })
		.int("must be a whole number of days")
		.min(1, "must be at least 1")
		.max(3650, "must be at most 3650")
		.default(90),
	GRAPH_TIMEOUT_MS: z.coerce
		.number({ error: "must be a number" })
		.int("must be whole milliseconds")
		.min(100, "must be at least 100")
		.max(60_000, "must be at most 60000")
		.default(15_000),
	SANDBOX: z
		.enum(["true", "false", ""], { error: "must be true or false" })
		.default("false")
		.transform((flag) => flag === "true"),
} as const;

type SettingSchemas = typeof settingSchemas;
export type SettingName = keyof SettingSchemas;
export type SettingValues = { [K in SettingName]: z.output<SettingSchemas[K]> };

/**
 * Raised when a route needs a setting that is missing or malformed: a deployer's mistake. The
 * answer names no setting and no rule (any caller may see it); the log line names both.
 */
export class ConfigError extends Problem {
	readonly setting: SettingName;
	constructor(setting: SettingName, reason: string) {
		super(
			500,
			"configuration",
			"Service misconfigured",
			"A setting of the service is missing or malformed; the deployer must fix it (the logs name it).",
			{ internal: `Setting ${setting} ${reason}` },
		);
		this.setting = setting;
	}
}

/** Typed, validated settings; `get` throws {@link ConfigError} for a bad one. */
export class Settings {
	readonly #values: Partial<SettingValues>;
	readonly #problems: Partial<Record<SettingName, string>>;

	constructor(env: Partial<Record<SettingName, unknown>>) {
		const values: Partial<Record<SettingName, unknown>> = {};
		const problems: Partial<Record<SettingName, string>> = {};
		for (const name of Object.keys(settingSchemas) as SettingName[]) {
			const result = settingSchemas[name].safeParse(env[name]);
			if (result.success) values[name] = result.data;
			else problems[name] = result.error.issues[0]?.message ?? "is invalid";
		}
		this.#values = values as Partial<SettingValues>;
		this.#problems = problems;
	}

	get<K extends SettingName>(name: K): SettingValues[K] {
		const problem = this.#problems[name];
		if (problem !== undefined) throw new ConfigError(name, problem);
		return this.#values[name] as SettingValues[K];
	}

	/** Names and reasons of every bad setting, for logs and the health check (no values). */
	problems(): { setting: SettingName; reason: string }[] {
		return Object.entries(this.#problems).map(([setting, reason]) => ({
			setting: setting as SettingName,
			reason: reason ?? "is invalid",
		}));
	}

	/**
	 * The sandbox only runs against a Graph API on this machine (a loopback address), so that
	 * `/dev/*` can never be turned on in front of Meta's API or a proxy to it, whatever SANDBOX says.
	 */
	sandboxEnabled(): boolean {
		if (this.#problems.SANDBOX !== undefined || this.#problems.GRAPH_API_BASE !== undefined) {
			return false;
		}
		return this.get("SANDBOX") && isLoopbackUrl(this.get("GRAPH_API_BASE"));
	}
}

/**
 * Whether `url` is an http(s) URL whose host is a loopback address: `localhost`, 127.0.0.0/8 or
 * `[::1]`. An allowlist read from the URL parser's own result (which decodes percent-escapes and
 * normalizes IPv4 forms), so a trailing dot, userinfo or a look-alike name cannot pass.
 */
export function isLoopbackUrl(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
	const host = parsed.hostname;
	return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

const cache = new WeakMap<object, Settings>();

/** Settings for this `env`, parsed on first use and then reused for the isolate's lifetime. */
export function settingsOf(env: Env): Settings {
	let settings = cache.get(env);
	if (settings === undefined) {
		settings = new Settings(env as unknown as Partial<Record<SettingName, unknown>>);
		for (const { setting, reason } of settings.problems()) {
			log.error("config.invalid", { setting, reason });
		}
		cache.set(env, settings);
	}
	return settings;
}

/** Hono's environment for every router of the app. */
export interface AppEnv {
	Bindings: Env;
}
