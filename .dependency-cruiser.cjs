/**
 * The layers of src/ as rules (issue 9), checked by `npm run check:layers` (part of `npm test`).
 * Paths are relative to the repository root; imports are resolved as tsconfig.json says.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
	forbidden: [
		{
			name: "no-circular",
			severity: "error",
			comment:
				"No import cycles, type-only imports included (tsPreCompilationDeps): a cycle means two modules are one concept split badly, or a shared type belongs lower.",
			from: {},
			to: { circular: true },
		},
		{
			name: "channel-imports-nothing-from-the-app",
			severity: "error",
			comment:
				"src/channel/ is the bottom layer (events, outbound shapes, the channel client): it imports only itself and libraries.",
			from: { path: "^src/channel/" },
			to: { path: "^src/", pathNot: "^src/channel/" },
		},
		{
			name: "conversation-not-whatsapp",
			severity: "error",
			comment:
				"The dialogue and the Conversation object speak the channel's types; only the WhatsApp adapter knows Graph errors and Meta's limits.",
			from: { path: "^src/conversation/" },
			to: { path: "^src/whatsapp/" },
		},
		{
			name: "requests-not-staff-or-conversation",
			severity: "error",
			comment:
				"src/requests/ is the D1 layer under both the staff API and the conversation: it imports neither.",
			from: { path: "^src/requests/" },
			to: { path: "^src/(staff|conversation)/" },
		},
		{
			name: "not-to-unresolvable",
			severity: "error",
			comment: "An import that resolves to nothing (a typo, or a moved file).",
			from: {},
			to: { couldNotResolve: true },
		},
	],
	options: {
		doNotFollow: { path: "node_modules" },
		// Type-only imports count: a type-only cycle is still a cycle between concepts.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: "tsconfig.json" },
		// The Workers runtime's built-in modules: like node: built-ins, not files to resolve.
		builtInModules: { add: ["cloudflare:workers", "cloudflare:test", "cloudflare:sockets"] },
		enhancedResolveOptions: {
			exportsFields: ["exports"],
			conditionNames: ["import", "require", "node", "default", "types"],
			extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts", ".json"],
		},
		reporterOptions: { text: { highlightFocused: true } },
	},
};
