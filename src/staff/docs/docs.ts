/**
 * The staff API's interactive docs, served by the Worker itself: Swagger UI from the pinned
 * `swagger-ui-dist` package (bundled as text modules, see wrangler.toml's `[[rules]]`), so the page
 * works offline and loads no code from elsewhere. A strict Content-Security-Policy keeps it so:
 * admins paste tokens on this page.
 *
 * @module
 */

import { Hono } from "hono";
import swaggerCss from "swagger-ui-dist/swagger-ui.css";
import swaggerBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import type { AppEnv } from "../../env";
import initScript from "./swagger-init.client.js";

/** Where the docs live under the staff API; every path below it is public. */
export const DOCS_PATH = "/docs";

/** Only this origin, for everything: no inline script, no CDN, no framing. */
export const DOCS_CSP = [
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self'",
	"connect-src 'self'",
	"font-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"form-action 'self'",
	"frame-ancestors 'none'",
].join("; ");

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Disdukcapil staff API</title>
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/swagger-init.js"></script>
</body>
</html>
`;

const ASSETS: Record<string, { body: string; type: string }> = {
	"swagger-ui.css": { body: swaggerCss, type: "text/css; charset=utf-8" },
	"swagger-ui-bundle.js": { body: swaggerBundle, type: "text/javascript; charset=utf-8" },
	"swagger-init.js": { body: initScript, type: "text/javascript; charset=utf-8" },
};

const SECURITY_HEADERS = {
	"content-security-policy": DOCS_CSP,
	"x-content-type-options": "nosniff",
	"referrer-policy": "no-referrer",
};

/** `GET /docs` (the page) and `GET /docs/<asset>` (its script and styles), all same-origin. */
export const docsRoutes = new Hono<AppEnv>();

docsRoutes.get("/", (c) => c.html(PAGE, 200, { ...SECURITY_HEADERS, "cache-control": "no-cache" }));

docsRoutes.get("/:asset", (c) => {
	const asset = ASSETS[c.req.param("asset")];
	if (asset === undefined) return c.notFound();
	return c.body(asset.body, 200, {
		...SECURITY_HEADERS,
		"content-type": asset.type,
		// The package is pinned, so a deploy is the only thing that changes these files.
		"cache-control": "public, max-age=3600",
	});
});
