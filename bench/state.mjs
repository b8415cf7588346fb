/**
 * What the phases share while one bench runs, set by run.mjs: the fake Graph API, the running
 * `wrangler dev` and its port, the secrets of the bench's env file, and the counters that several
 * phases read (messages the worker accepted, staff API calls made). One object, so that a phase
 * module reads the current server after a restart (the breakdown phase starts another one).
 */
export const bench = {
	/** The fake Graph API (bench/fake-graph-server.mjs). */
	fake: null,
	/** The running WranglerDev (bench/server.mjs). */
	dev: null,
	/** Its HTTP port on 127.0.0.1. */
	workerPort: 0,
	/** WHATSAPP_APP_SECRET: signs every webhook. */
	appSecret: "",
	/** ADMIN_TOKEN: the staff API's bearer token. */
	adminToken: "",
	/** Messages the worker acknowledged (`received` of each webhook's answer). */
	acceptedMessages: 0,
	/** Of those, the ones accepted before the current server started (its counters start at 0). */
	acceptedBeforeServer: 0,
	/** Staff API calls made by the bench. */
	staffCalls: 0,
};
