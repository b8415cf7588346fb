/**
 * One reader of `.dev.vars` files for every script: Node's own dotenv parser (`util.parseEnv`,
 * the rules of `node --env-file`: quotes, `export`, `#` comments), so no script keeps its own.
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/**
 * The KEY=value settings of a dotenv file.
 * @param {string} file path of the file
 * @returns {Record<string, string>}
 */
export function readDotenv(file) {
	return { ...parseEnv(readFileSync(file, "utf8")) };
}
