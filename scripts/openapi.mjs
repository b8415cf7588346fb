#!/usr/bin/env node
/**
 * `npm run check:openapi`, step one: writes the staff API's OpenAPI document to
 * `.wrangler/openapi/openapi.json` for `redocly lint`, without starting anything.
 *
 * The document is built from the app's own route definitions (`src/staff/api.ts`, the same
 * `OpenAPIHono` router the Worker serves), bundled for Node by esbuild: the Worker's text modules
 * (CSS, browser scripts, Swagger UI) load as strings, as wrangler's `[[rules]]` make them, and the
 * `cloudflare:*` modules, which no route definition uses, become empty stand-ins.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outDir = path.join(root, ".wrangler", "openapi");
mkdirSync(outDir, { recursive: true });

const workerShims = {
	name: "worker-shims",
	setup(b) {
		b.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "shim" }));
		b.onLoad({ filter: /.*/, namespace: "shim" }, () => ({
			contents:
				"export class DurableObject {} export class WorkerEntrypoint {} export const env = {};",
			loader: "js",
		}));
		// The same files wrangler.toml's [[rules]] bundle as text.
		b.onLoad({ filter: /(\.css|\.client\.js|[/\\]swagger-ui-bundle\.js)$/ }, async (args) => ({
			contents: await import("node:fs/promises").then((fs) => fs.readFile(args.path, "utf8")),
			loader: "text",
		}));
	},
};

const bundle = path.join(outDir, "document.mjs");
await build({
	stdin: {
		contents:
			'import { OPENAPI_CONFIG, staffApi } from "./src/staff/api.ts";\n' +
			"export const document = staffApi.getOpenAPI31Document(OPENAPI_CONFIG);\n",
		resolveDir: root,
		loader: "ts",
	},
	bundle: true,
	platform: "node",
	format: "esm",
	target: "node20",
	outfile: bundle,
	logLevel: "warning",
	plugins: [workerShims],
});
const { document } = await import(pathToFileURL(bundle).href);
const out = path.join(outDir, "openapi.json");
writeFileSync(out, `${JSON.stringify(document, null, "\t")}\n`);
console.log(
	`OpenAPI document: ${path.relative(root, out)} (${Object.keys(document.paths).length} paths)`,
);
