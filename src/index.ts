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
	sandboxRoutes((request, env, ctx) => app.fetch(request, env, ctx)),
);

app.notFound(notFoundProblem);
app.onError(errorProblem);

/** The Worker: the HTTP routes above and the cron triggers of `scheduled/`. */
export default {
	fetch: app.fetch,
	scheduled,
} satisfies ExportedHandler<Env>;
