import { Hono, type MiddlewareHandler } from "hono";
import { type AppEnv, settingsOf } from "../env";
import { chatRoutes, type Deliver } from "./chat-routes";
import { fakeGraph } from "./graph-routes";

/**
 * Everything under `/dev`: the chat simulator and the fake Graph API. Only in sandbox mode
 * (`SANDBOX=true` and a Graph API base on a loopback address); otherwise each path answers exactly
 * like a route that does not exist, so a production worker shows no trace of it.
 *
 * `deliver` is the app's own `fetch`: the simulator's webhooks go through the real route.
 */
export function sandboxRoutes(deliver: Deliver): Hono<AppEnv> {
	const sandbox = new Hono<AppEnv>();
	const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
		if (!settingsOf(c.env).sandboxEnabled()) return c.notFound();
		await next();
	};
	// "/dev" itself and everything below it.
	sandbox.use("/", guard);
	sandbox.use("*", guard);
	sandbox.get("/", (c) => c.redirect("/dev/chat"));
	sandbox.route("/graph", fakeGraph);
	sandbox.route("/chat", chatRoutes(deliver));
	return sandbox;
}
