import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { Problem, problemResponse, problemType } from "./http/problem";
import { log } from "./log";
import { staffApi } from "./staff/api";
import { whatsappWebhook } from "./whatsapp/webhook-routes";

export { Conversation } from "./conversation/conversation";

const app = new Hono<AppEnv>();

app.get("/health", (c) => c.json({ status: "ok" }));
app.route("/webhooks/whatsapp", whatsappWebhook);
app.route("/api/v1", staffApi);

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

export default app;
