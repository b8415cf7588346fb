import { Hono } from "hono";
import { consoleRoutes } from "./console/routes";
import { type AppEnv, settingsOf } from "./env";
import { errorProblem, notFoundProblem } from "./http/problem";
import { counters, meteredD1, resetCounters } from "./metrics";
import { sandboxRoutes } from "./sandbox/routes";
import { scheduled } from "./scheduled/handler";
import { staffApi } from "./staff/api";
import { whatsappWebhook } from "./whatsapp/webhook-routes";

export { Conversation } from "./conversation/conversation";

/**
 * Meta's deliveries, the hot path, on a router of their own: they do not walk the staff API's and
 * the console's routes (a few percent of the webhook's CPU in `bench/` profiles).
 */
const webhooks = new Hono<AppEnv>();
// Counts any D1 use on the acknowledgement path (the benchmarks check it stays at 0).
const webhookEnvs = new WeakMap<Env, Env>();
webhooks.use(async (c, next) => {
	// One derived env per isolate env, so that per-env caches (settings) keep hitting.
	let metered = webhookEnvs.get(c.env);
	if (metered === undefined) {
		metered = { ...c.env, DB: meteredD1(c.env.DB, true) };
		webhookEnvs.set(c.env, metered);
	}
	c.env = metered;
	await next();
});
webhooks.route("/webhooks/whatsapp", whatsappWebhook);
webhooks.notFound(notFoundProblem);
webhooks.onError(errorProblem);

const app = new Hono<AppEnv>();

app.get("/health", (c) => c.json({ status: "ok" }));
app.route("/api/v1", staffApi);
// The staff console: pages over the staff API, called in-process as the signed-in member.
app.route(
	"/console",
	consoleRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
);
// Benchmark counters of this isolate (sandbox only): read them, or reset them with DELETE.
app.on(["GET", "DELETE"], "/dev/metrics", (c) => {
	if (!settingsOf(c.env).sandboxEnabled()) return c.notFound();
	if (c.req.method === "DELETE") resetCounters();
	return c.json(counters);
});
// Local development only: answers 404 unless SANDBOX=true and GRAPH_API_BASE is a loopback address.
app.route(
	"/dev",
	sandboxRoutes((request, env, ctx) => handle(request, env, ctx)),
);

app.notFound(notFoundProblem);
app.onError(errorProblem);

/** Any request: a webhook to its own router, anything else to the app's. */
function handle(
	request: Request,
	env: Env,
	ctx: Parameters<typeof app.fetch>[2],
): Response | Promise<Response> {
	return isWebhook(request.url) ? webhooks.fetch(request, env, ctx) : app.fetch(request, env, ctx);
}

/** Whether `url`'s path is under /webhooks/, read without parsing the whole URL. */
function isWebhook(url: string): boolean {
	const path = url.indexOf("/", url.indexOf("//") + 2);
	return path !== -1 && url.startsWith("/webhooks/", path);
}

/** The Worker: the HTTP routes above and the cron triggers of `scheduled/`. */
export default {
	fetch: handle,
	scheduled,
} satisfies ExportedHandler<Env>;
