import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
	namespace Cloudflare {
		interface Env {
			/** Injected by vitest.config.ts so the setup file can apply them. */
			TEST_MIGRATIONS: D1Migration[];
		}
	}
}
