import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type AppEnv, settingsOf } from "./env";
import { Problem, problemResponse, problemType } from "./http/problem";
import { log } from "./log";
import { counters, meteredD1, resetCounters } from "./metrics";
import { redeliverNotices } from "./requests/pending-notices";
import { purgeExpired } from "./requests/retention";
import { sandboxRoutes } from "./sandbox/routes";
import { staffApi } from "./staff/api";
import { whatsappWebhook } from "./whatsapp/webhook-routes";

export { Conversation } from "./conversation/conversation";

const app = new Hono<AppEnv>();

app.get("/health", (c) => c.json({ status: "ok" }));
// Counts any D1 use on the acknowledgement path (the benchmarks check it stays at 0).
const webhookEnvs = new WeakMap<Env, Env>();
app.use("/webhooks/*", async (c, next) => {
	// One derived env per isolate env, so that per-env caches (settings) keep hitting.
	let metered = webhookEnvs.get(c.env);
	if (metered === undefined) {
		metered = { ...c.env, DB: meteredD1(c.env.DB, true) };
		webhookEnvs.set(c.env, metered);
	}
	c.env = metered;
	await next();
});
app.route("/webhooks/whatsapp", whatsappWebhook);
app.route("/api/v1", staffApi);
// Benchmark counters of this isolate (sandbox only): read them, or reset them with DELETE.
app.on(["GET", "DELETE"], "/dev/metrics", (c) => {
	if (!settingsOf(c.env).sandboxEnabled()) {
		throw new Problem(404, "not-found", "Not found", "No route for this path.");
	}
	if (c.req.method === "DELETE") resetCounters();
	return c.json(counters);
});
// Local development only: answers 404 unless SANDBOX=true and GRAPH_API_BASE is not Meta's.
app.route(
	"/dev",
	sandboxRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
);

app.notFound((c) =>
	problemResponse({
		type: problemType("not-found"),
		title: "Not found",
		status: 404,
		detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`,
	}),
);

app.onError((error, c) => {
	if (error instanceof Problem) {
		if (error.status >= 500) log.error("http.problem", { slug: error.slug, detail: error.detail });
		return error.toResponse();
	}
	if (error instanceof HTTPException) {
		return problemResponse({
			type: problemType("http"),
			title: error.message || "Request failed",
			status: error.status,
		});
	}
	// Unexpected: log the kind and where, never the request body (it may hold personal data).
	log.error("http.unhandled", {
		method: c.req.method,
		path: new URL(c.req.url).pathname,
		error: error instanceof Error ? `${error.name}: ${error.message}` : "unknown",
	});
	return problemResponse({
		type: problemType("internal"),
		title: "Internal error",
		status: 500,
		detail: "Something went wrong on our side; it has been logged.",
	});
});

/** Must match the second cron in wrangler.toml. */
const REDELIVERY_CRON = "*/5 * * * *";

/**
 * The Worker: HTTP routes; every 5 minutes, notices left pending by a failed hand-over; daily,
 * the retention purge (crons in wrangler.toml).
 */
export default {
	fetch: app.fetch,
	async scheduled(controller, env, ctx) {
		if (controller.cron === REDELIVERY_CRON) {
			ctx.waitUntil(redeliverNotices(env));
			return;
		}
		const days = settingsOf(env).get("RETENTION_DAYS");
		ctx.waitUntil(purgeExpired(env, days));
	},
} satisfies ExportedHandler<Env>;
