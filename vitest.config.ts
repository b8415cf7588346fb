import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
	const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: {
					// Test-only values: secrets never come from a file in tests, and the Graph API base
					// points at a host that only the fake Graph API (test/fake-graph.ts) answers.
					bindings: {
						TEST_MIGRATIONS: migrations,
						WHATSAPP_APP_SECRET: "test_app_secret",
						WHATSAPP_VERIFY_TOKEN: "test_verify_token",
						WHATSAPP_ACCESS_TOKEN: "test_access_token",
						ADMIN_TOKEN: "test_admin_token_0123456789abcdef",
						GRAPH_API_BASE: "https://graph.test",
						// The office's number in every fixture (test/helpers/webhook.ts PHONE_NUMBER_ID).
						WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
						// Explicit, so that a developer's .dev.vars (sandbox on) does not change the tests.
						SANDBOX: "false",
						STATUS_TEMPLATE_NAME: "status_update",
						DIGEST_TEMPLATE_NAME: "staff_digest",
						// Short, so that tests of timeouts do not wait 15 s.
						GRAPH_TIMEOUT_MS: "300",
					},
				},
			}),
		],
		test: {
			setupFiles: ["./test/setup/apply-migrations.ts"],
			// The machine (and CI's) has 2 cores: streaming tests of 12-20 MB exceed vitest's 5 s
			// default when other work shares the CPU. Time is measured by the bench, not here.
			testTimeout: 20_000,
		},
	};
});
