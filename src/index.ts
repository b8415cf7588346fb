import { Hono } from "hono";

export { Conversation } from "./conversation/conversation";

const app = new Hono<{ Bindings: Env }>();
app.get("/health", (c) => c.json({ status: "ok" }));

export default app;
