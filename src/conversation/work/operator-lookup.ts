import { activeOperatorByPhone } from "../../requests/operator-identity";
import { normalizePhone } from "../../requests/phone";
import type { Work } from "./context";

/**
 * The operator behind this chat's number, if any: looked up by the channel's own id for the
 * sender (a `wa_id` is the phone number), never by anything the sender wrote. A business-scoped
 * id without a number is nobody's operator account.
 */
export async function currentOperator(work: Work) {
	const { residentId } = work.tables.kv.identity();
	const phone = /^\d+$/.test(residentId) ? normalizePhone(residentId) : null;
	return phone === null ? null : activeOperatorByPhone(work.db, phone, Date.now());
}
