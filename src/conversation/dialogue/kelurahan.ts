import { findArea } from "../../catalog/catalog";
import { ALIASES } from "../texts";
import { normalizeWord } from "./choices";
import { prompt } from "./prompts";
import type { Turn } from "./turn";

/**
 * Tells the resident where their kelurahan/desa office is (the area of their draft) and that it
 * can file the request for them, then asks the current question again. Before an area was chosen,
 * says how to find it.
 */
export function tellKelurahanHelp(turn: Turn): void {
	const { t } = turn;
	const area = findArea(turn.catalog, turn.state.draft?.area);
	if (area === undefined) turn.say(t.kelurahan.chooseAreaFirst);
	else turn.say(t.kelurahan.office(`${t.areaKind[area.kind]} ${area.name}`, area.office ?? {}));
	prompt(turn);
}

const CANNOT_SEND = new Set(ALIASES.cannotSend.map(normalizeWord));

/** Whether a text at a document step says the resident cannot send it ("tidak bisa kirim"). */
export function saysCannotSend(text: string): boolean {
	return CANNOT_SEND.has(normalizeWord(text));
}
