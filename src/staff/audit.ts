/**
 * The audit log: who did what to which request and when, every file view included. Callers pass
 * no personal data in `detail` (no NIK, name, phone, token or file content): ids, codes, counts.
 */
export interface AuditEntry {
	actor: string;
	action: string;
	requestId?: string | null;
	detail?: Record<string, string | number | boolean | null | string[]>;
}

/** The insert as a prepared statement, so it can join the batch of the change it records. */
export function auditStatement(
	db: D1Database,
	entry: AuditEntry,
	at = Date.now(),
): D1PreparedStatement {
	return db
		.prepare(
			"INSERT INTO audit_log (id, at, actor, action, request_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
		)
		.bind(
			crypto.randomUUID(),
			at,
			entry.actor,
			entry.action,
			entry.requestId ?? null,
			JSON.stringify(entry.detail ?? {}),
		);
}

export async function audit(db: D1Database, entry: AuditEntry): Promise<void> {
	await auditStatement(db, entry).run();
}
